package dev.kindling;

/**
 * Element types, named as in PyTorch. FLOAT32 is the default for floating point data and INT64 for
 * integer data (labels, indices), exactly as {@code torch.tensor} infers them.
 *
 * <pre>{@code Tensor y = Tensor.of(new long[]{0, 2, 1});   // INT64 }</pre>
 */
public enum DType {
    BOOL(1, "torch.bool", 0),
    INT32(4, "torch.int32", 1),
    INT64(8, "torch.int64", 2),
    FLOAT32(4, "torch.float32", 3),
    FLOAT64(8, "torch.float64", 4);

    private final int byteSize;
    private final String torchName;
    private final int rank;

    DType(int byteSize, String torchName, int rank) {
        this.byteSize = byteSize;
        this.torchName = torchName;
        this.rank = rank;
    }

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    /** True for FLOAT32 and FLOAT64: the types that can require gradients. */
    public boolean isFloatingPoint() { return this == FLOAT32 || this == FLOAT64; }

    /** True for INT32, INT64 and BOOL. */
    public boolean isIntegral() { return !isFloatingPoint(); }

    /** PyTorch's name, as printed in {@code dtype=torch.float64}. */
    public String torchName() { return torchName; }

    /**
     * PyTorch's promotion of two tensor dtypes: the higher category wins (bool {@literal <} integer {@literal <} float) and,
     * inside a category, the wider type. {@code promote(INT64, FLOAT32) == FLOAT32}.
     */
    public static DType promote(DType a, DType b) {
        return a.rank >= b.rank ? a : b;
    }

    /**
     * The dtype of {@code tensor op scalar}: a Python-style scalar only moves the result to a higher
     * category (an int tensor times 0.5 becomes FLOAT32), never to a wider type inside one.
     */
    public static DType promoteWithScalar(DType tensor, boolean scalarIsFloating) {
        if (scalarIsFloating && !tensor.isFloatingPoint()) return Kindling.defaultDType();
        if (!scalarIsFloating && tensor == BOOL) return INT64;
        return tensor;
    }
}
