package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel the CUDA backend can generate for the dtypes the ops layer hands it, in both layout variants,
 * so tests can compile (and run on the host) exactly what a GPU would get.
 */
final class KernelCatalog {
    static final List<DType> FLOATS = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16);

    private KernelCatalog() {}

    static boolean bool(UnaryOp op) {
        return op == UnaryOp.LOGICAL_NOT || op == UnaryOp.ISNAN || op == UnaryOp.ISINF || op == UnaryOp.ISFINITE;
    }

    static List<ElementwiseSpec> elementwise() {
        List<ElementwiseSpec> out = new ArrayList<>();
        for (DType a : DType.values()) {
            for (DType b : DType.values()) out.add(ElementwiseSpec.copy(a, b));
            out.add(ElementwiseSpec.fill(a));
            out.add(ElementwiseSpec.nonzero(a));
            out.add(ElementwiseSpec.where(DType.BOOL, a, a));
            for (UnaryOp op : UnaryOp.values()) {
                if (Expressions.unary(op, CudaTypes.compute(a), "a") != null) out.add(ElementwiseSpec.unary(op, a, bool(op) ? DType.BOOL : a));
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (Expressions.binary(op, CudaTypes.compute(a), "a", "b") != null) {
                    out.add(ElementwiseSpec.binary(op, a, op.producesBool() ? DType.BOOL : a));
                }
            }
            if (a != DType.BOOL) {
                out.add(ElementwiseSpec.clamp(a, a, true, true));
                out.add(ElementwiseSpec.clamp(a, a, true, false));
                out.add(ElementwiseSpec.clamp(a, a, false, true));
            }
        }
        out.add(ElementwiseSpec.fillLong(DType.INT64, Long.MIN_VALUE + 1));
        for (DType t : FLOATS) for (TernaryOp op : TernaryOp.values()) out.add(ElementwiseSpec.ternary(op, t));
        return out;
    }

    /** The reductions, keyed by name: SUM/PROD of integers and bools give INT64, ANY/ALL give BOOL. */
    static List<KernelSource> reductions() {
        Map<String, KernelSource> out = new LinkedHashMap<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (DType in : DType.values()) {
                DType o = op == ReduceOp.ANY || op == ReduceOp.ALL ? DType.BOOL
                        : (op == ReduceOp.SUM || op == ReduceOp.PROD) && !in.isFloatingPoint() ? DType.INT64 : in;
                KernelSource s = ReductionKernels.source(op, in, o);
                out.put(s.name(), s);
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Every source, de-duplicated by hash: each elementwise spec strided, and contiguous for the FLOAT32 outputs
     * (the two variants differ only in their index lines, and compiling all of both doubles the time).
     */
    static List<KernelSource> all() {
        Map<String, KernelSource> out = new LinkedHashMap<>();
        for (ElementwiseSpec s : elementwise()) {
            for (boolean c : new boolean[]{true, false}) {
                if (c && s.out() != DType.FLOAT32) continue;
                KernelSource k = s.source(c);
                out.putIfAbsent(k.hash(), k);
            }
        }
        for (KernelSource k : reductions()) out.putIfAbsent(k.hash(), k);
        for (KernelSource k : indexing()) out.putIfAbsent(k.hash(), k);
        return new ArrayList<>(out.values());
    }

    /** take (gather, index_select) for every dtype, put with and without accumulation, arg max/min. */
    static List<KernelSource> indexing() {
        List<KernelSource> out = new ArrayList<>();
        for (DType t : DType.values()) {
            out.add(IndexKernels.take(t, t));
            out.add(IndexKernels.put(t, false));
            if (IndexKernels.canAccumulate(t)) out.add(IndexKernels.put(t, true));
            out.add(IndexKernels.arg(true, t));
            out.add(IndexKernels.arg(false, t));
        }
        for (DType t : FLOATS) {
            out.add(WindowKernels.maxPool(t, true));
            out.add(WindowKernels.maxPool(t, false));
            out.add(WindowKernels.maxPoolBackward(t));
            out.add(WindowKernels.avgPool(t));
            out.add(WindowKernels.avgPoolBackward(t));
            out.add(WindowKernels.im2col(t));
            out.add(WindowKernels.col2im(t));
        }
        return out;
    }

    /** The text shared by all sources, so that many kernels fit in one translation unit. */
    static final String ELEMENTWISE_PREFIX = CudaTypes.PRELUDE + Expressions.HELPERS + Geometry.C_STRUCT;
    static final String REDUCTION_PREFIX = CudaTypes.PRELUDE + ReductionKernels.C_STRUCT;
    static final String WINDOW_PREFIX = CudaTypes.PRELUDE + WindowKernels.C_STRUCT
            + "__device__ __forceinline__ long long fdiv(long long a, long long b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }\n";

    /** One translation unit holding every kernel of {@code sources} after a single prelude. */
    static String translationUnit(List<KernelSource> sources) {
        StringBuilder sb = new StringBuilder(CudaTypes.PRELUDE).append(Expressions.HELPERS).append(Geometry.C_STRUCT)
                .append(ReductionKernels.C_STRUCT).append(WINDOW_PREFIX.substring(CudaTypes.PRELUDE.length()));
        for (KernelSource k : sources) {
            String c = k.code();
            if (c.startsWith(ELEMENTWISE_PREFIX)) sb.append(c.substring(ELEMENTWISE_PREFIX.length()));
            else if (c.startsWith(REDUCTION_PREFIX)) sb.append(c.substring(REDUCTION_PREFIX.length()));
            else if (c.startsWith(WINDOW_PREFIX)) sb.append(c.substring(WINDOW_PREFIX.length()));
            else throw new IllegalStateException("unknown prefix for " + k.name());
        }
        return sb.toString();
    }
}
