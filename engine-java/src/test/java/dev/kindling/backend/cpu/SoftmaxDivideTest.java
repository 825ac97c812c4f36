package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The softmax row's divide by its sum through the reciprocal ({@link SoftmaxKernel#divide}) gives the division's bits
 * over the range it is used for: quotients {@code y / total} with {@code y} in [2^-58, 1] and {@code total} in [1, 2^31).
 * Every 61st float of that range over totals at the edges and at random (a scratch run checked every float there over
 * 400 totals).
 */
class SoftmaxDivideTest {
    @Test
    void reciprocalWithOneCorrectionIsTheDivision() {
        int lo = Float.floatToRawIntBits(0x1p-58f), hi = Float.floatToRawIntBits(1f);
        int step = 61, count = (hi - lo) / step + 1;
        float[] y = new float[count];
        for (int i = 0; i < count; i++) y[i] = Float.intBitsToFloat(lo + i * step);
        y[count - 1] = 1f;
        float[] q = new float[count];
        SplittableRandom r = new SplittableRandom(5);
        float[] edges = {1f, Math.nextUp(1f), Math.nextDown(2f), 2f, 3f, 1000f, Math.nextDown(0x1p31f)};
        for (int k = 0; k < edges.length + 12; k++) {
            float total = k < edges.length ? edges[k] : (float) Math.exp(r.nextDouble(0, Math.log(0x1p31)));
            System.arraycopy(y, 0, q, 0, count);
            SoftmaxKernel.divide(q, count, total);
            for (int i = 0; i < count; i++) {
                if (Float.floatToRawIntBits(q[i]) != Float.floatToRawIntBits(y[i] / total)) {
                    assertEquals(y[i] / total, q[i], 0f, y[i] + " / " + total + ": not the division's bits");
                }
            }
        }
    }
}
