package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.View;

import java.util.Arrays;

/**
 * Generates the reduction kernels (sum, prod, max, min, any, all over any set of dimensions) from one template,
 * and lays out their index space. One block per output element: its threads stride over the reduced elements,
 * accumulating in float for the float types up to 32 bits and in double for FLOAT64 (as PyTorch's CUDA
 * reductions do), then combine in shared memory. Max and min propagate NaN.
 */
final class ReductionKernels {
    /** Threads per block: a power of two for the shared-memory tree. */
    static final int THREADS = 256;
    static final String C_STRUCT = "struct RGeo { long long ondim; long long osize[" + Geometry.MAX_DIMS + "]; long long ostride[2]["
            + Geometry.MAX_DIMS + "]; long long rndim; long long rsize[" + Geometry.MAX_DIMS + "]; long long rstride["
            + Geometry.MAX_DIMS + "]; };\n";

    private ReductionKernels() {}

    /** The type a reduction accumulates in. */
    static String accumulator(ReduceOp op, DType in) {
        if (op == ReduceOp.ANY || op == ReduceOp.ALL) return "bool";
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) return CudaTypes.compute(in);
        return switch (in) {
            case FLOAT32, FLOAT16, BFLOAT16 -> "float";
            case FLOAT64 -> "double";
            default -> "long long";
        };
    }

    private static String init(ReduceOp op, String acc, DType in) {
        return switch (op) {
            case SUM -> "(" + acc + ") 0";
            case PROD -> "(" + acc + ") 1";
            case ANY -> "false";
            case ALL -> "true";
            case MAX, MIN -> {
                boolean max = op == ReduceOp.MAX;
                yield switch (in) {
                    // bit patterns rather than INFINITY: NVRTC has no math.h to define it
                    case FLOAT32, FLOAT16, BFLOAT16 -> "__uint_as_float(" + (max ? "0xff800000u" : "0x7f800000u") + ")";
                    case FLOAT64 -> "__longlong_as_double((long long) " + (max ? "0xfff0000000000000ULL" : "0x7ff0000000000000ULL") + ")";
                    case INT64 -> max ? "(-9223372036854775807LL - 1)" : "9223372036854775807LL";
                    case INT32 -> max ? "(-2147483647 - 1)" : "2147483647";
                    case BOOL -> max ? "false" : "true";
                };
            }
        };
    }

    private static String combine(ReduceOp op, String a, String b) {
        return switch (op) {
            case SUM -> a + " + " + b;
            case PROD -> a + " * " + b;
            case MAX -> "kmax(" + a + ", " + b + ")";
            case MIN -> "kmin(" + a + ", " + b + ")";
            case ANY -> a + " || " + b;
            case ALL -> a + " && " + b;
        };
    }

    static KernelSource source(ReduceOp op, DType in, DType out) {
        String name = "red_" + op.name().toLowerCase(java.util.Locale.ROOT) + "_" + CudaTypes.tag(out) + "_" + CudaTypes.tag(in);
        String acc = accumulator(op, in);
        String load = CudaTypes.load(in, "in[off]");
        if (op == ReduceOp.ANY || op == ReduceOp.ALL) load = "(" + load + " != 0)";
        String code = CudaTypes.PRELUDE + C_STRUCT
                + "extern \"C\" __global__ void " + name + "(RGeo g, long long nout, long long nred, "
                + CudaTypes.storage(out) + "* __restrict__ out, const " + CudaTypes.storage(in) + "* __restrict__ in) {\n"
                + "  __shared__ " + acc + " sh[" + THREADS + "];\n"
                + "  for (long long o = blockIdx.x; o < nout; o += gridDim.x) {\n"
                + "    long long r = o, oo = 0, oi = 0;\n"
                + "    for (int d = (int) g.ondim - 1; d >= 0; --d) {\n"
                + "      long long q = r / g.osize[d], x = r - q * g.osize[d]; r = q;\n"
                + "      oo += x * g.ostride[0][d]; oi += x * g.ostride[1][d];\n"
                + "    }\n"
                + "    " + acc + " acc = " + init(op, acc, in) + ";\n"
                + "    for (long long j = threadIdx.x; j < nred; j += blockDim.x) {\n"
                + "      long long rr = j, off = oi;\n"
                + "      for (int d = (int) g.rndim - 1; d >= 0; --d) {\n"
                + "        long long q = rr / g.rsize[d], x = rr - q * g.rsize[d]; rr = q; off += x * g.rstride[d];\n"
                + "      }\n"
                + "      const " + acc + " v = (" + acc + ") " + load + ";\n"
                + "      acc = " + combine(op, "acc", "v") + ";\n"
                + "    }\n"
                + "    sh[threadIdx.x] = acc;\n"
                + "    __syncthreads();\n"
                + "    for (int s = blockDim.x / 2; s > 0; s >>= 1) {\n"
                + "      if (threadIdx.x < s) sh[threadIdx.x] = " + combine(op, "sh[threadIdx.x]", "sh[threadIdx.x + s]") + ";\n"
                + "      __syncthreads();\n"
                + "    }\n"
                + "    if (threadIdx.x == 0) out[oo] = " + CudaTypes.store(out, "sh[0]") + ";\n"
                + "    __syncthreads();\n"
                + "  }\n"
                + "}\n";
        return new KernelSource(name, code);
    }

    /**
     * The {@link #C_STRUCT} image for reducing {@code in} over {@code dims} into {@code out} (in's shape with
     * those dims set to 1): the kept dimensions with out's and in's strides, then the reduced ones with in's.
     */
    static long[] pack(String op, View in, int[] dims, View out) {
        int n = in.dim(), m = Geometry.MAX_DIMS;
        boolean[] reduced = new boolean[n];
        for (int d : dims) reduced[d] = true;
        long[] g = new long[1 + m + 2 * m + 1 + m + m];
        int ok = 0, rk = 0;
        for (int d = 0; d < n; d++) {
            if (in.shape()[d] == 1) continue;
            if (ok >= m || rk >= m) {
                throw new IllegalArgumentException(op + ": more than " + m + " dimensions of size > 1 on CUDA: "
                        + Arrays.toString(in.shape()) + "; reshape first");
            }
            if (reduced[d]) {
                g[2 + 3 * m + rk] = in.shape()[d];
                g[2 + 4 * m + rk] = in.strides()[d];
                rk++;
            } else {
                g[1 + ok] = in.shape()[d];
                g[1 + m + ok] = out.strides()[d];
                g[1 + 2 * m + ok] = in.strides()[d];
                ok++;
            }
        }
        g[0] = ok;
        g[1 + 3 * m] = rk;
        return g;
    }
}
