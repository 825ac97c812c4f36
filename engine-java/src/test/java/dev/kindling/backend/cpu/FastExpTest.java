package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-pass array exp and sigmoid give exactly the bits of the one-element {@link FastExp#expf}, which is within 1 ulp. */
class FastExpTest {
    private static float[] inputs() {
        SplittableRandom r = new SplittableRandom(7);
        float[] x = new float[Chunks.SIZE];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 88.37f, 88.38f, 88.72f, 88.73f,
                -87.33f, -87.34f, -103.9f, -104f, -150f, 1e-30f, -1e-30f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < x.length; i++) x[i] = (float) (r.nextDouble(-1, 1) * Math.pow(2, r.nextInt(-20, 8)));
        return x;
    }

    @Test
    void arrayExpIsBitForBitTheScalarOne() {
        float[] x = inputs(), o = new float[x.length], t = new float[x.length];
        for (int n : new int[]{x.length, 640, 7, 1}) {
            FastExp.exp(x, o, t, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(FastExp.expf(x[i])), Float.floatToIntBits(o[i]), "exp(" + x[i] + ")");
                double want = Math.exp(x[i]);
                if (Double.isFinite(want) && want >= Float.MIN_NORMAL && want <= Float.MAX_VALUE) {
                    assertTrue(Math.abs(o[i] - want) <= Math.ulp((float) want), "exp(" + x[i] + ") = " + o[i] + " is more than 1 ulp from " + want);
                }
            }
        }
    }

    @Test
    void arraySigmoidIsBitForBitTheScalarOne() {
        float[] x = inputs(), o = new float[x.length], t = new float[x.length];
        FastExp.sigmoid(x, o, t, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(1f / (1f + FastExp.expf(-x[i]))), Float.floatToIntBits(o[i]), "sigmoid(" + x[i] + ")");
        }
    }
}
