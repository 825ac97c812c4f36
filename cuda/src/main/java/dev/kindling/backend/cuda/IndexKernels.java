package dev.kindling.backend.cuda;

import dev.kindling.DType;

/**
 * The indexing kernels, generated like the elementwise ones (same {@link Geometry}, same prelude):
 * <ul>
 *   <li>{@code take}: {@code out = src[idx * dimStride]} over the output's shape, with the operands (out, index,
 *       src) where src's stride along the indexed dimension is 0 and the index supplies that coordinate
 *       (gather, index_select);</li>
 *   <li>{@code put}: {@code dst[idx * dimStride] = src} or {@code +=} with {@code atomicAdd} over the source's shape,
 *       operands (index, src, dst) (scatter, scatter_add, index_add);</li>
 *   <li>{@code arg}: max or min with the first index of the extreme value, NaN winning, one block per output.</li>
 * </ul>
 * An index out of range is skipped and reported through the error word {@code err}, which the backend reads at the
 * next host read (a kernel cannot throw; PyTorch's device assert is reported late in the same way).
 */
final class IndexKernels {
    private IndexKernels() {}

    /** Whether {@code put} with accumulation has an atomic add for this dtype. */
    static boolean canAccumulate(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64 || t == DType.INT32 || t == DType.INT64 || t == DType.BOOL;
    }

    private static String offsets(int ops) {
        StringBuilder sb = new StringBuilder("    long long r = i");
        for (int k = 0; k < ops; k++) sb.append(", o").append(k).append(" = 0");
        sb.append(";\n    for (int d = (int) g.ndim - 1; d >= 0; --d) {\n")
                .append("      long long q = r / g.size[d], x = r - q * g.size[d];\n      r = q;\n");
        for (int k = 0; k < ops; k++) sb.append("      o").append(k).append(" += x * g.stride[").append(k).append("][d];\n");
        return sb.append("    }\n").toString();
    }

    private static final String LOOP = "  for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) blockDim.x * gridDim.x) {\n";

    /** {@code out[o0] = src[o2 + index[o1] * dimStride]}, converting dtype. */
    static KernelSource take(DType src, DType out) {
        String name = "take_" + CudaTypes.tag(out) + "_" + CudaTypes.tag(src);
        String code = CudaTypes.PRELUDE + Expressions.HELPERS + Geometry.C_STRUCT
                + "extern \"C\" __global__ void " + name + "(Geo g, long long n, int* err, long long size, long long dimStride, "
                + CudaTypes.storage(out) + "* __restrict__ out, const long long* __restrict__ index, const "
                + CudaTypes.storage(src) + "* __restrict__ src) {\n" + LOOP + offsets(3)
                + "    const long long idx = index[o1];\n"
                + "    if (idx < 0 || idx >= size) { *err = 1; continue; }\n"
                + "    out[o0] = " + CudaTypes.store(out, CudaTypes.load(src, "src[o2 + idx * dimStride]")) + ";\n  }\n}\n";
        return new KernelSource(name, code);
    }

    /** {@code dst[o2 + index[o0] * dimStride] = src[o1]} ({@code +=} with {@code accumulate}). */
    static KernelSource put(DType t, boolean accumulate) {
        if (accumulate && !canAccumulate(t)) throw new IllegalArgumentException("no atomic add for " + t);
        String name = (accumulate ? "putadd_" : "put_") + CudaTypes.tag(t);
        String st = CudaTypes.storage(t);
        String write = !accumulate ? "*p = src[o1];"
                : t == DType.BOOL ? "if (src[o1] != 0) *p = 1;"
                : t == DType.INT64 ? "atomicAdd((unsigned long long*) p, (unsigned long long) src[o1]);"
                : "atomicAdd(p, src[o1]);";
        String code = CudaTypes.PRELUDE + Expressions.HELPERS + Geometry.C_STRUCT
                + "extern \"C\" __global__ void " + name + "(Geo g, long long n, int* err, long long size, long long dimStride, "
                + "const long long* __restrict__ index, const " + st + "* __restrict__ src, " + st + "* dst) {\n" + LOOP + offsets(3)
                + "    const long long idx = index[o0];\n"
                + "    if (idx < 0 || idx >= size) { *err = 1; continue; }\n"
                + "    " + st + "* p = dst + o2 + idx * dimStride;\n"
                + "    " + write + "\n  }\n}\n";
        return new KernelSource(name, code);
    }

    /**
     * Max ({@code max}) or min over one dimension into values (in's dtype) and INT64 indices: the first index of
     * the extreme value, a NaN winning over numbers (the first NaN), as the CPU and PyTorch do.
     */
    static KernelSource arg(boolean max, DType in) {
        String name = (max ? "argmax_" : "argmin_") + CudaTypes.tag(in);
        String ct = CudaTypes.compute(in);
        boolean fl = Expressions.isFloat(ct);
        String wins = "(v " + (max ? ">" : "<") + " bv)";
        String tie = "(" + (fl ? "(v == bv || (v != v && bv != bv))" : "v == bv") + " && j < bj)";
        // a NaN beats any number; among equals (or NaNs) the first index wins
        String better = fl ? "((v != v && bv == bv) || (v == v && bv == bv && " + wins + ") || " + tie + ")"
                : "(" + wins + " || " + tie + ")";
        String code = CudaTypes.PRELUDE + ReductionKernels.C_STRUCT
                + "extern \"C\" __global__ void " + name + "(RGeo g, RGeo gi, long long nout, long long len, "
                + CudaTypes.storage(in) + "* __restrict__ values, long long* __restrict__ indices, const "
                + CudaTypes.storage(in) + "* __restrict__ in) {\n"
                + "  __shared__ " + ct + " sv[" + ReductionKernels.THREADS + "];\n"
                + "  __shared__ long long si[" + ReductionKernels.THREADS + "];\n"
                + "  for (long long o = blockIdx.x; o < nout; o += gridDim.x) {\n"
                + "    long long r = o, ov = 0, oi = 0, ox = 0;\n"
                + "    for (int d = (int) g.ondim - 1; d >= 0; --d) {\n"
                + "      long long q = r / g.osize[d], x = r - q * g.osize[d]; r = q;\n"
                + "      ov += x * g.ostride[0][d]; oi += x * g.ostride[1][d]; ox += x * gi.ostride[0][d];\n"
                + "    }\n"
                + "    " + ct + " bv = 0; long long bj = -1;\n"
                + "    for (long long j = threadIdx.x; j < len; j += blockDim.x) {\n"
                + "      const " + ct + " v = " + CudaTypes.load(in, "in[oi + j * g.rstride[0]]") + ";\n"
                + "      if (bj < 0 || " + better + ") { bv = v; bj = j; }\n"
                + "    }\n"
                + "    sv[threadIdx.x] = bv; si[threadIdx.x] = bj;\n"
                + "    __syncthreads();\n"
                + "    for (int s = blockDim.x / 2; s > 0; s >>= 1) {\n"
                + "      if (threadIdx.x < s) {\n"
                + "        const " + ct + " v = sv[threadIdx.x + s]; const long long j = si[threadIdx.x + s];\n"
                + "        bv = sv[threadIdx.x]; bj = si[threadIdx.x];\n"
                + "        if (j >= 0 && (bj < 0 || " + better + ")) { sv[threadIdx.x] = v; si[threadIdx.x] = j; }\n"
                + "      }\n"
                + "      __syncthreads();\n"
                + "    }\n"
                + "    if (threadIdx.x == 0) { values[ov] = " + CudaTypes.store(in, "sv[0]") + "; indices[ox] = si[0]; }\n"
                + "    __syncthreads();\n"
                + "  }\n"
                + "}\n";
        return new KernelSource(name, code);
    }
}
