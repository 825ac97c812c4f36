package dev.kindling.backend;

/**
 * Fused in-place updates {@code out = self + value * f(t1, t2)}, rounded like PyTorch's CPU kernels
 * (which contract multiply-add into one fused multiply-add), so optimizer steps match PyTorch bit for bit
 * and run in one pass without temporaries.
 */
public enum TernaryOp {
    /** {@code self + value * t1} as {@code fma(t1, value, self)} ({@code add(other, alpha=value)}); t2 is ignored. */
    AXPY,
    /** {@code self + value * t1 * t2} as {@code fma(value * t1, t2, self)} ({@code addcmul}). */
    ADDCMUL,
    /** {@code self + (value * t1) / t2} ({@code addcdiv}). */
    ADDCDIV
}
