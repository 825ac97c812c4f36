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
    FLOAT32(4, "torch.float32", 4),
    FLOAT64(8, "torch.float64", 5),
    /** IEEE half precision: 1 sign, 5 exponent and 10 mantissa bits; largest value 65504. */
    FLOAT16(2, "torch.float16", 3),
    /** bfloat16: float32's 8 exponent bits with 7 mantissa bits, the range of FLOAT32 at about 3 digits. */
    BFLOAT16(2, "torch.bfloat16", 3);

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

    /** True for FLOAT16, BFLOAT16, FLOAT32 and FLOAT64: the types that can require gradients. */
    public boolean isFloatingPoint() { return rank >= 3; }

    /**
     * True for the 16-bit float types, FLOAT16 and BFLOAT16: stored in two bytes, computed in float32 and
     * rounded once per op (to nearest, ties to even), as PyTorch's CPU kernels do.
     */
    public boolean isHalf() { return this == FLOAT16 || this == BFLOAT16; }

    /** True for INT32, INT64 and BOOL. */
    public boolean isIntegral() { return !isFloatingPoint(); }

    /** PyTorch's name, as printed in {@code dtype=torch.float64}. */
    public String torchName() { return torchName; }

    /**
     * PyTorch's promotion of two tensor dtypes: the higher category wins (bool {@literal <} integer {@literal <} float) and,
     * inside a category, the wider type. {@code promote(INT64, FLOAT32) == FLOAT32}; FLOAT16 and BFLOAT16 hold
     * each other's values in neither, so together they give FLOAT32.
     */
    public static DType promote(DType a, DType b) {
        if (a.isHalf() && b.isHalf() && a != b) return FLOAT32;
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
