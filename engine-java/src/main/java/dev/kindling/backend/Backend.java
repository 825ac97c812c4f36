package dev.kindling.backend;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.memory.MemoryStats;

/**
 * The kernels a device must provide. The ops layer checks shapes, dtypes and devices, broadcasts by
 * strides and allocates outputs; a backend only computes. Every gradient is written in tensor ops, so a
 * new backend needs no backward kernels; the optional direct kernels below (convolution, fused optimizer
 * steps, softmax) are shortcuts that a backend offers when it has something faster than the composite.
 */
public interface Backend {
    /** The device this backend computes on, e.g. {@code Device.CPU}. */
    Device device();

    /** Uninitialised memory for {@code bytes} bytes. */
    Buffer allocate(long bytes);

    /** A snapshot of this backend's allocator: live, peak and pooled bytes ({@code Kindling.memoryStats()}). */
    MemoryStats memoryStats();

    /** Starts measuring {@code peakLiveBytes} again from the current live bytes. */
    void resetPeakMemory();

    /** Returns pooled memory to the operating system or driver. */
    void emptyCache();

    /** Sizes the pool that kernels split large loops over ({@code Kindling.setNumThreads}). */
    void setNumThreads(int threads);

    /** The number of threads kernels use. */
    int numThreads();

    /** {@code dst = src} elementwise, converting dtype; shapes are equal (src may have stride-0 dims). */
    void copy(View src, View dst);

    /** Sets every element of {@code dst} to {@code value} (converted to its dtype). */
    void fill(View dst, double value);

    /** Sets every element of an INT64/INT32 {@code dst} to {@code value} exactly. */
    void fillLong(View dst, long value);

    /** Copies a Java array ({@code float[]}, {@code double[]}, {@code long[]}, {@code int[]}, {@code boolean[]}) into a contiguous view. */
    void write(View dst, Object array);

    /** Copies a view into a new Java array of its dtype (BOOL gives {@code boolean[]}, FLOAT16 and BFLOAT16 {@code float[]}). */
    Object read(View src);

    /**
     * Copies the elements of a contiguous view, as raw bytes in {@code dst}'s byte order, into {@code dst}
     * starting at its position (which is left unchanged); {@code dst} has room for them.
     */
    void readBytes(View src, java.nio.ByteBuffer dst);

    /**
     * Fills a contiguous view from the raw bytes of {@code src} (in its byte order) starting at its position,
     * which is left unchanged. BOOL bytes other than 0 are stored as 1.
     */
    void writeBytes(View dst, java.nio.ByteBuffer src);

    /** {@code out = op(in)}; {@code in} and {@code out} have the same shape. */
    void unary(UnaryOp op, View in, View out);

    /** {@code out = clamp(in, min, max)}; either bound may be NaN meaning none. */
    void clamp(View in, double min, double max, View out);

    /** {@code out = op(a, b)}; a and b have the dtype the op computes in and out's shape. */
    void binary(BinaryOp op, View a, View b, View out);

    /**
     * {@code out = self + value * f(t1, t2)} for FLOAT32/FLOAT64 views of one dtype and out's shape (t2 is
     * ignored by {@link TernaryOp#AXPY}); {@code out} may be {@code self}. FLOAT32 rounds {@code value} to float first.
     */
    void ternary(TernaryOp op, View self, View t1, View t2, double value, View out);

    /**
     * One fused optimizer update: {@code tensors} are the parameter, its gradient and the step's state
     * tensors ({@link OptimStep#stateCount()}), all contiguous, of one shape and one floating point dtype,
     * updated in place. Returns false when this backend has no fused kernel for that dtype; the optimizer
     * then runs its chain of tensor ops, which gives the same result.
     */
    default boolean optimStep(OptimStep step, View... tensors) { return false; }

    /**
     * Softmax (or log-softmax) over dimension {@code dim} (in {@code [0, in.dim())}) of {@code in}, of any layout, into
     * the contiguous {@code out} of the same shape, computing what the composite of max, exp, sum and divide computes;
     * returns false when this backend has no such kernel for the dtype or layout, and the caller composes.
     */
    default boolean softmax(View in, int dim, boolean log, View out) { return false; }

    /**
     * The gradient of softmax (or log-softmax) over {@code dim} from the incoming gradient {@code grad} and the forward
     * output {@code out}, into {@code gradIn}: {@code out * (grad - sum(grad * out))}, or {@code grad - exp(out) *
     * sum(grad)}, with the bits of those ops run one by one. False when the backend has no kernel for this case; the
     * caller then runs the ops.
     */
    default boolean softmaxBackward(View grad, View out, int dim, boolean log, View gradIn) { return false; }

    /**
     * The exact GELU {@code x Phi(x)} of {@code x} into {@code out} (same shape), with the bits of the ops it is made of,
     * one by one: {@code s = erf(x * (1 / sqrt 2)) + 1}, {@code out = (x * s) * 0.5}, each step rounded to the dtype;
     * {@code s} also into {@code factor} where that is not null (the gradient reads it). False when this backend has no
     * kernel for the dtype; the caller then runs the ops.
     */
    default boolean gelu(View x, View out, View factor) { return false; }

    /**
     * GELU's gradient from the incoming {@code grad}, the input {@code x} and the forward's {@code factor} (see
     * {@link #gelu}) into the contiguous {@code gradIn}, with the bits of the ops' own backward: {@code h = grad * 0.5},
     * {@code h * factor + ((h * x) * exp(-(u * u))) * (2 / sqrt pi) * (1 / sqrt 2)}, {@code u = x * (1 / sqrt 2)}.
     * False when this backend has no kernel for the case; the caller then runs the ops.
     */
    default boolean geluBackward(View grad, View x, View factor, View gradIn) { return false; }

    /**
     * {@code binary_cross_entropy}'s unreduced loss {@code -(t log x + (1 - t) log(1 - x))} into {@code out}, with the
     * bits of those ops run one by one, where every {@code x} lies inside (0, 1) with {@code x (1 - x) >= 1e-12}:
     * returns 0 then; 1 when some {@code x} is on that boundary or NaN, 2 when some lies outside [0, 1] ({@code out}
     * unspecified for both), -1 when this backend has no kernel for the case. The caller composes all but 0.
     */
    default int binaryCrossEntropy(View x, View t, View out) { return -1; }

    /**
     * That loss's gradient from the incoming {@code grad} into the contiguous {@code gradIn}, with the bits of the
     * ops' own backward: {@code h = -grad}, {@code (h t) / x + -((h (1 - t)) / (1 - x))}. False when this backend has no
     * kernel for the case.
     */
    default boolean binaryCrossEntropyBackward(View grad, View x, View t, View gradIn) { return false; }

    /**
     * SiLU's gradient from the incoming {@code grad}, the input {@code x} and its sigmoid {@code s} into the contiguous
     * {@code gradIn}, with the bits of the ops' own backward through {@code x * s}: {@code grad * s + ((grad * x) * s) *
     * (1 - s)}. False when this backend has no kernel for the case; the caller then runs the ops.
     */
    default boolean siluBackward(View grad, View x, View s, View gradIn) { return false; }

    /**
     * LeakyReLU, {@code x > 0 ? x : x * slope} into {@code out} (same shape), with the bits of the ops it is made of
     * ({@code where(x > 0, x, x.mul(slope))}, the slope rounded to the dtype). False when this backend has no kernel for
     * the dtype; the caller then runs the ops.
     */
    default boolean leakyRelu(View x, double slope, View out) { return false; }

    /**
     * LeakyReLU's gradient into the contiguous {@code gradIn} with the bits of the ops' backward: {@code where(x > 0,
     * grad, 0) + where(x > 0, 0, grad) * slope}. False when this backend has no kernel for the case.
     */
    default boolean leakyReluBackward(View grad, View x, double slope, View gradIn) { return false; }

    /**
     * ELU, {@code x} where {@code x > 0}, else {@code expm1(min(x, 0)) * alpha}, into {@code out} (same shape), with the
     * bits of the ops it is made of ({@code where(x > 0, x, x.clampMax(0).expm1().mul(alpha))}); the exponential
     * {@code expm1(min(x, 0))} also into {@code factor} where that is not null (the gradient reads it). False when this
     * backend has no kernel for the dtype; the caller then runs the ops.
     */
    default boolean elu(View x, double alpha, View out, View factor) { return false; }

    /**
     * ELU's gradient from the incoming {@code grad}, the input {@code x} and the forward's {@code factor} (see
     * {@link #elu}) into the contiguous {@code gradIn}, with the bits of the ops' own backward: {@code where(x > 0, grad,
     * 0) + where(x > 0, 0, grad) * alpha * (factor + 1) * (x <= 0)}. False when this backend has no kernel for the case.
     */
    default boolean eluBackward(View grad, View x, double alpha, View factor, View gradIn) { return false; }

    /** {@code out = cond ? a : b}. */
    void where(View cond, View a, View b, View out);

    /** Reduces {@code in} over {@code dims} into {@code out}, whose shape is in's with those dims set to 1. */
    void reduce(ReduceOp op, View in, int[] dims, View out);

    /** Max or min along {@code dim}, with the first index of the extreme value (NaN counts as extreme). */
    void argReduce(boolean max, View in, int dim, View values, View indices);

    /** Batched {@code out[b] = a[b] @ b[b]} for {@code a:[B,M,K]}, {@code b:[B,K,N]}, contiguous {@code out:[B,M,N]}. */
    void matmul(View a, View b, View out);

    /** Like {@link #matmul}, but adds the products onto {@code out}'s values (gemm's beta = 1: a bias as epilogue). */
    void matmulAdd(View a, View b, View out);

    /** {@code out[..i..] = in[..index[..i..]..]} along {@code dim} (torch.gather). */
    void gather(View in, int dim, View index, View out);

    /** {@code out[..index[i]..] (+)= src[i]} along {@code dim} (torch.scatter / scatter_add); {@code out} is modified in place. */
    void scatter(View out, int dim, View index, View src, boolean accumulate);

    /** {@code out = in.index_select(dim, index)} with a 1-D INT64 index. */
    void indexSelect(View in, int dim, View index, View out);

    /** {@code out.index_add_(dim, index, src)}. */
    void indexAdd(View out, int dim, View index, View src);

    /** Stable sort along the last dimension into contiguous values and INT64 indices. */
    void sort(View in, boolean descending, View values, View indices);

    /**
     * The first {@code k} of each row's {@link #sort} (largest first when {@code largest}) into contiguous
     * {@code [rows, k]} values and indices, without sorting the rest; false leaves it to sort.
     */
    default boolean topk(View in, int k, boolean largest, View values, View indices) { return false; }

    /** Number of elements that are not zero. */
    long countNonzero(View in);

    /** Coordinates of the non-zero elements, row-major, into a contiguous {@code [n, dim]} INT64 view. */
    void nonzero(View in, View out);

    /**
     * True when {@link #conv2d} and {@link #conv2dBackward} run for {@code dtype}; otherwise the ops layer
     * composes convolution from {@link #im2col} and matmul.
     */
    default boolean hasConvKernels(DType dtype) { return false; }

    /** Which convolution kernels this backend uses, for diagnostics: for example "oneDNN 3.11.0 (avx512_core)". */
    default String convKernels() { return "im2col + gemm"; }

    /**
     * Direct 2-D convolution: contiguous {@code x:[N,C,H,W]}, {@code w:[O,C/groups,kh,kw]}, {@code bias:[O]} or
     * null, into contiguous {@code y:[N,O,OH,OW]}. Only called when {@link #hasConvKernels} says so.
     */
    default void conv2d(View x, View w, View bias, View y, ConvParams p) {
        throw new UnsupportedOperationException(device() + " backend: no direct convolution kernels (check hasConvKernels first)");
    }

    /**
     * Gradients of {@link #conv2d} from {@code gy:[N,O,OH,OW]}: any of {@code gx} (like x), {@code gw} (like w)
     * and {@code gb:[O]} may be null when not needed; all are contiguous and overwritten.
     */
    default void conv2dBackward(View x, View w, View gy, View gx, View gw, View gb, ConvParams p) {
        throw new UnsupportedOperationException(device() + " backend: no direct convolution kernels (check hasConvKernels first)");
    }

    /** True when {@link #batchNorm} and {@link #batchNormBackward} run for {@code dtype}; otherwise norms compose. */
    default boolean hasBatchNormKernels(DType dtype) { return false; }

    /**
     * Batch normalization of contiguous {@code x:[N, C, ...]} (2 to 5 dims) into {@code y}, per channel. With
     * {@code useGlobalStats} {@code mean} and {@code var} ({@code [C]}) are read (eval mode); otherwise the batch's
     * mean and biased variance are written into them. {@code weight} and {@code bias} may be null.
     */
    default void batchNorm(View x, View mean, View var, View weight, View bias, double eps, boolean useGlobalStats, View y) {
        throw new UnsupportedOperationException(device() + " backend: no batch norm kernels (check hasBatchNormKernels first)");
    }

    /**
     * Gradients of {@link #batchNorm} from {@code gy} into {@code gx} (like x) and {@code gw}/{@code gb} ({@code [C]};
     * {@code gw} only with a weight; either null when not wanted); all contiguous and overwritten.
     */
    default void batchNormBackward(View x, View mean, View var, View weight, View gy, double eps, boolean useGlobalStats, View gx, View gw, View gb) {
        throw new UnsupportedOperationException(device() + " backend: no batch norm kernels (check hasBatchNormKernels first)");
    }

    /** True when {@link #layerNorm} and {@link #layerNormBackward} run for {@code dtype}; otherwise layer norm composes. */
    default boolean hasLayerNormKernels(DType dtype) { return false; }

    /**
     * Layer normalization of each row of {@code n} elements of contiguous {@code x} into {@code y}: {@code mean} and
     * {@code rstd = 1 / sqrt(var + eps)} (biased variance; one per row, x's dtype) are written. {@code weight} and
     * {@code bias} ({@code [n]}) may be null.
     */
    default void layerNorm(View x, int n, View weight, View bias, double eps, View y, View mean, View rstd) {
        throw new UnsupportedOperationException(device() + " backend: no layer norm kernels (check hasLayerNormKernels first)");
    }

    /**
     * Gradients of {@link #layerNorm} from {@code gy} into {@code gx} (like x), {@code gw} and {@code gb} ({@code [n]};
     * each null when not wanted); all contiguous and overwritten.
     */
    default void layerNormBackward(View x, int n, View mean, View rstd, View weight, View gy, View gx, View gw, View gb) {
        throw new UnsupportedOperationException(device() + " backend: no layer norm kernels (check hasLayerNormKernels first)");
    }

    /**
     * Max pooling of contiguous {@code x:[P,H,W]} (P = N*C planes) into {@code values:[P,OH,OW]} and INT64
     * {@code indices} (flat {@code h*W+w} positions in each plane, as PyTorch's; null when nobody needs them),
     * where a NaN wins as in PyTorch. {@code p.groups()} is unused; kernel is {@code {kh, kw}}.
     */
    void maxPool2d(View x, int[] kernel, ConvParams p, View values, View indices);

    /**
     * The gradient of {@link #maxPool2d}: {@code gx:[P,H,W]} (contiguous, overwritten) gets each {@code gy:[P,OH,OW]}
     * value added at its plane's {@code indices} position, zero elsewhere.
     */
    void maxPool2dBackward(View gy, View indices, View gx);

    /**
     * Average pooling of contiguous {@code x:[P,H,W]} into {@code y:[P,OH,OW]} (dilation 1): each window's sum over
     * its in-image cells divided by the window size, or with {@code countIncludePad == false} by those cells.
     */
    void avgPool2d(View x, int[] kernel, ConvParams p, boolean countIncludePad, View y);

    /** The gradient of {@link #avgPool2d} from {@code gy:[P,OH,OW]} into contiguous {@code gx:[P,H,W]} (overwritten). */
    void avgPool2dBackward(View gy, int[] kernel, ConvParams p, boolean countIncludePad, View gx);

    /** im2col for 2-D convolution: {@code in:[C,H,W]} to {@code cols:[C*kh*kw, outH*outW]}. */
    void im2col(View in, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View cols);

    /** The adjoint of im2col: accumulates {@code cols} into {@code out:[C,H,W]} (zeroed by the caller). */
    void col2im(View cols, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View out);

    /** True when the native BLAS is in use (false means the Java fallback). */
    boolean nativeBlas();

    /** The common dtype of {@code a} and {@code b}, or an error naming {@code op} when they differ. */
    static DType checkSame(View a, View b, String op) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype() + " and " + b.dtype() + " differ");
        }
        return a.dtype();
    }
}
