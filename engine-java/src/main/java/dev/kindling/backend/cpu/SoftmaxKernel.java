package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import java.nio.FloatBuffer;

/**
 * FLOAT32 softmax and log-softmax over the last dimension of a contiguous tensor, one row at a time in
 * cache: the operations of the composite in {@code Reduce} (max, shift, exp, a sum accumulated in double,
 * divide or subtract the log) in the same order and precision, so the same bits, in one pass per row
 * instead of six whole-tensor passes and their temporaries.
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
        // amax with NaN winning: Math.max propagates NaN, and C2 turns the loop into vector max instructions
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[i]);
        // log_softmax shifts by 0 when the max is infinite (where(isinf(m), 0, m)); softmax by the max itself
        float shift = log && Float.isInfinite(m) ? 0f : m;
        for (int i = 0; i < n; i++) sh[i] = x[i] - shift;
        FastExp.scalarExp(sh, y, t, n);
        // four double accumulators instead of one: a sum of floats in double is exact to 2^-53, so only a sum
        // within that of a float rounding boundary could round differently from the one-accumulator order
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += y[i];
            s1 += y[i + 1];
            s2 += y[i + 2];
            s3 += y[i + 3];
        }
        for (; i < n; i++) s0 += y[i];
        float total = (float) ((s0 + s1) + (s2 + s3));
        if (log) {
            float lg = (float) Math.log(total);
            for (int k = 0; k < n; k++) y[k] = sh[k] - lg;
        } else {
            for (int k = 0; k < n; k++) y[k] = y[k] / total;
        }
    }
}
