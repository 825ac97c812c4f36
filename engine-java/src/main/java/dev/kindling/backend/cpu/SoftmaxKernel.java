package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import java.nio.FloatBuffer;

/**
 * FLOAT32 softmax and log-softmax over the last dimension of a contiguous tensor, one row at a time in
 * cache: the operations of the composite in {@code Reduce} (max, shift, exp, a sum accumulated in double,
 * divide or subtract the log) in the same precision, so the same bits, in one pass per row instead of six
 * whole-tensor passes and their temporaries. The one liberty is the order of the double sum's additions
 * ({@link FastExp#shiftedExpSum}), which could change the float total only within 2^-53 of a rounding boundary.
 */
final class SoftmaxKernel {
    private SoftmaxKernel() {}

    static boolean run(View in, boolean log, View out) {
        if (in.dtype() != DType.FLOAT32 || out.dtype() != DType.FLOAT32 || !in.isContiguous() || !out.isContiguous()
                || in.dim() == 0) {
            return false;
        }
        int len = in.shape()[in.dim() - 1];
        long rows = len == 0 ? 0 : in.numel() / len;
        FloatBuffer ib = CpuBackend.buf(in).f, ob = CpuBackend.buf(out).f;
        int inOff = in.offset(), outOff = out.offset();
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, len)), (s, e) -> {
            float[] x = new float[len], y = new float[len], sh = new float[len], t = new float[len];
            for (long r = s; r < e; r++) {
                ib.get((int) (inOff + r * len), x, 0, len);
                if (Simd.on(len)) VectorMath.softmaxRow(x, y, len, log);
                else row(x, y, sh, t, len, log);
                ob.put((int) (outOff + r * len), y, 0, len);
            }
        });
        return true;
    }

    /** {@code sh} and {@code t} are scratch: the shifted inputs and the exponents of the two-pass exp. */
    static void row(float[] x, float[] y, float[] sh, float[] t, int n, boolean log) {
        float m = amax(x, n);
        // log_softmax shifts by 0 when the max is infinite (where(isinf(m), 0, m)); softmax by the max itself
        float shift = log && Float.isInfinite(m) ? 0f : m;
        float total = (float) FastExp.shiftedExpSum(x, shift, sh, y, t, n);
        if (log) {
            float lg = (float) Math.log(total);
            for (int k = 0; k < n; k++) y[k] = sh[k] - lg;
        } else {
            for (int k = 0; k < n; k++) y[k] = y[k] / total;
        }
    }

    /**
     * The largest element, NaN when there is one, as a loop of {@code Math.max} gives it (up to the sign of a zero,
     * see the end). A branch per element rather
     * than {@code Math.max}, which C2 compiles into a chain of dependent blends (1.07 against 0.55 us per 1000 floats):
     * after the first few elements a new maximum is rare, so the branch is predicted.
     */
    private static float amax(float[] x, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            if (!(v <= m)) {             // v > m, or v is NaN
                if (v != v) return v;
                m = v;
            }
        }
        // where Math.max would give +0 this may give -0 (a row holding both): the outputs are the same, since the shifted
        // zeros only go through exp, or have the log of a sum of at least 2 subtracted
        return m;
    }
}
