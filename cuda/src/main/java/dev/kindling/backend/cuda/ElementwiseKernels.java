package dev.kindling.backend.cuda;

import dev.kindling.DType;

import java.util.List;

/**
 * Generates the source of every elementwise kernel from one template: an output, up to three inputs (each
 * loaded into its compute type), up to two double scalars {@code s0, s1}, and a C expression over
 * {@code a, b, c, s0, s1}. Two variants per kernel: {@code _c} when every operand is contiguous (the index is
 * the offset) and {@code _s} for strided and broadcast operands (the offsets come from {@link Geometry}).
 * One template instead of one hand-written kernel per op and dtype: what STYLE.md asks of per-dtype loops.
 */
final class ElementwiseKernels {
    private static final String[] INPUTS = {"a", "b", "c"};

    private ElementwiseKernels() {}

    /**
     * The kernel {@code family_out_in..._c|_s} computing {@code expr}.
     *
     * @param family     names the op, e.g. "exp" or "where"
     * @param out        the output dtype
     * @param inputs     the input dtypes, at most three
     * @param expr       the C expression, over the inputs' compute-type values and the scalars
     * @param contiguous the variant without index math
     */
    static KernelSource source(String family, DType out, List<DType> inputs, String expr, boolean contiguous) {
        if (inputs.size() > INPUTS.length) throw new IllegalArgumentException(family + ": at most 3 inputs");
        StringBuilder name = new StringBuilder("ew_").append(family).append('_').append(CudaTypes.tag(out));
        for (DType t : inputs) name.append('_').append(CudaTypes.tag(t));
        name.append(contiguous ? "_c" : "_s");
        StringBuilder sb = new StringBuilder(CudaTypes.PRELUDE).append(Expressions.HELPERS).append(Geometry.C_STRUCT);
        sb.append("extern \"C\" __global__ void ").append(name).append("(Geo g, long long n, ")
                .append(CudaTypes.storage(out)).append("* __restrict__ out");
        for (int k = 0; k < inputs.size(); k++) {
            sb.append(", const ").append(CudaTypes.storage(inputs.get(k))).append("* __restrict__ in_").append(INPUTS[k]);
        }
        sb.append(", double s0, double s1) {\n");
        sb.append("  for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) blockDim.x * gridDim.x) {\n");
        int ops = inputs.size() + 1;
        if (contiguous) {
            for (int k = 0; k < ops; k++) sb.append("    long long o").append(k).append(" = i;\n");
        } else {
            sb.append("    long long r = i");
            for (int k = 0; k < ops; k++) sb.append(", o").append(k).append(" = 0");
            sb.append(";\n    for (int d = (int) g.ndim - 1; d >= 0; --d) {\n")
                    .append("      long long q = r / g.size[d], x = r - q * g.size[d];\n      r = q;\n");
            for (int k = 0; k < ops; k++) sb.append("      o").append(k).append(" += x * g.stride[").append(k).append("][d];\n");
            sb.append("    }\n");
        }
        for (int k = 0; k < inputs.size(); k++) {
            DType t = inputs.get(k);
            sb.append("    const ").append(CudaTypes.compute(t)).append(' ').append(INPUTS[k]).append(" = ")
                    .append(CudaTypes.load(t, "in_" + INPUTS[k] + "[o" + (k + 1) + "]")).append(";\n");
        }
        sb.append("    out[o0] = ").append(CudaTypes.store(out, expr)).append(";\n  }\n}\n");
        return new KernelSource(name.toString(), sb.toString());
    }
}
