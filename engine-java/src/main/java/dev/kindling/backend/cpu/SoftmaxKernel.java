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
            float[] x = new float[len], y = new float[len];
            for (long r = s; r < e; r++) {
                ib.get((int) (inOff + r * len), x, 0, len);
                row(x, y, len, log);
                ob.put((int) (outOff + r * len), y, 0, len);
            }
        });
        return true;
    }

    private static void row(float[] x, float[] y, int n, boolean log) {
        double max = Double.NEGATIVE_INFINITY; // amax: NaN wins
        for (int i = 0; i < n; i++) {
            double v = x[i];
            if (v > max || v != v) max = v;
            if (max != max) break;
        }
        float m = (float) max;
        // log_softmax shifts by 0 when the max is infinite (where(isinf(m), 0, m)); softmax by the max itself
        float shift = log && Float.isInfinite(m) ? 0f : m;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = FastExp.expf(x[i] - shift);
            y[i] = e;
            sum += e;
        }
        float total = (float) sum;
        if (log) {
            float lg = (float) Math.log(total);
            for (int i = 0; i < n; i++) y[i] = (x[i] - shift) - lg;
        } else {
            for (int i = 0; i < n; i++) y[i] = y[i] / total;
        }
    }
}
