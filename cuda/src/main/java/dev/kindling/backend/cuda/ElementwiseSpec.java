package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;

import java.util.List;
import java.util.Locale;

/**
 * Which elementwise kernel a backend call needs: its family name, dtypes and C expression. Pure, so that
 * the tests generate and compile exactly the kernels {@link CudaBackend} launches.
 *
 * @param family the op, named in the kernel's symbol
 * @param out    the output dtype
 * @param inputs the inputs' dtypes, bound to {@code a, b, c} in the expression
 * @param expr   the C expression over the inputs and the scalars {@code s0, s1}
 */
record ElementwiseSpec(String family, DType out, List<DType> inputs, String expr) {
    /** The kernel source, contiguous or strided variant. */
    KernelSource source(boolean contiguous) { return ElementwiseKernels.source(family, out, inputs, expr, contiguous); }

    /** A key naming the kernel without generating it (the backend's launch cache). */
    String key(boolean contiguous) { return family + '|' + out + '|' + inputs + '|' + contiguous + '|' + expr; }

    private static String name(Enum<?> op) { return op.name().toLowerCase(Locale.ROOT); }

    /** {@code out = src} converting dtype. */
    static ElementwiseSpec copy(DType in, DType out) { return new ElementwiseSpec("copy", out, List.of(in), "a"); }

    /** Every element set to {@code s0} (converted to the dtype). */
    static ElementwiseSpec fill(DType out) { return new ElementwiseSpec("fill", out, List.of(), "s0"); }

    /** Every element set to an integer beyond double's exact range, written into the kernel as a literal. */
    static ElementwiseSpec fillLong(DType out, long value) {
        // the value is part of the code, so it is part of the name: one kernel per such value
        return new ElementwiseSpec("fill_" + Long.toUnsignedString(value, 36), out, List.of(), "(" + value + "LL)");
    }

    /** {@code op(in)}, or an error naming the op when it is not defined for the dtype. */
    static ElementwiseSpec unary(UnaryOp op, DType in, DType out) {
        String e = Expressions.unary(op, CudaTypes.compute(in), "a");
        if (e == null) throw new IllegalArgumentException(name(op) + ": not defined for " + in + " on CUDA; cast to a float dtype first");
        return new ElementwiseSpec(name(op), out, List.of(in), e);
    }

    /** {@code op(a, b)} for operands of dtype {@code in}. */
    static ElementwiseSpec binary(BinaryOp op, DType in, DType out) {
        String e = Expressions.binary(op, CudaTypes.compute(in), "a", "b");
        if (e == null) throw new IllegalArgumentException(name(op) + ": not defined for " + in + " on CUDA; cast to a float dtype first");
        return new ElementwiseSpec(name(op), out, List.of(in, in), e);
    }

    /** {@code clamp(a, s0, s1)} with either bound possibly absent; NaN stays NaN. */
    static ElementwiseSpec clamp(DType in, DType out, boolean hasMin, boolean hasMax) {
        String ct = CudaTypes.compute(in), e = "a";
        if (hasMin) e = "kmax(" + e + ", (" + ct + ") s0)";
        if (hasMax) e = "kmin(" + e + ", (" + ct + ") s1)";
        return new ElementwiseSpec(hasMin && hasMax ? "clamp" : hasMin ? "clamp_min" : "clamp_max", out, List.of(in), e);
    }

    /**
     * The fused updates of {@link TernaryOp} with the CPU's rounding: {@code fma(t1, value, self)},
     * {@code fma(value * t1, t2, self)} and {@code self + (value * t1) / t2}; the value rounded to float first
     * below FLOAT64.
     */
    static ElementwiseSpec ternary(TernaryOp op, DType t) {
        boolean f64 = t == DType.FLOAT64;
        String v = f64 ? "s0" : "((float) s0)", fma = f64 ? "fma" : "fmaf";
        return switch (op) {
            case AXPY -> new ElementwiseSpec("axpy", t, List.of(t, t), fma + "(b, " + v + ", a)");
            case ADDCMUL -> new ElementwiseSpec("addcmul", t, List.of(t, t, t), fma + "(" + v + " * b, c, a)");
            case ADDCDIV -> new ElementwiseSpec("addcdiv", t, List.of(t, t, t), "a + (" + v + " * b) / c");
        };
    }

    /** {@code cond ? a : b}. */
    static ElementwiseSpec where(DType cond, DType in, DType out) {
        return new ElementwiseSpec("where", out, List.of(cond, in, in), "(a ? b : c)");
    }

    /** 1 where the element is not zero, into BOOL (counting non-zeros). */
    static ElementwiseSpec nonzero(DType in) { return new ElementwiseSpec("nonzero", DType.BOOL, List.of(in), "(a != 0)"); }
}
