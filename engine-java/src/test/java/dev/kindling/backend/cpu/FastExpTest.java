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

    /**
     * The scalar array paths (the default without the Vector API) on random bit patterns of every kind, NaN payloads,
     * infinities and subnormals included, over lengths across the 1024-float blocks they work in: expf's bits, and
     * softmax's pass ({@code shiftedExp}) gives those of the shifted inputs, says whether all of them lie within
     * [-40, 40], and the row's eight-accumulator sum of them is the composite's. With {@code FloatBits} on here; the
     * {@code vector} test execution runs it again with it off.
     */
    @Test
    void scalarArrayPathsGiveExpfBitsOnEveryKindOfInput() {
        SplittableRandom r = new SplittableRandom(11);
        for (int n : new int[]{1, 3, 1023, 1024, 1025, 3000}) {
            for (int round = 0; round < 100; round++) {
                float[] x = new float[n], o = new float[n], s = new float[n], t = new float[n];
                for (int i = 0; i < n; i++) {
                    // half the rows: any bit pattern; the rest: the range softmax and sigmoid see, with its edges
                    x[i] = round % 2 == 0 ? Float.intBitsToFloat(r.nextInt())
                            : round % 4 == 1 ? (float) r.nextDouble(-39.9, 39.9)
                            : (float) r.nextDouble(-110, 100) * (r.nextInt(50) == 0 ? 1e-20f : 1f);
                }
                // a third of the narrow rows touch the edge of shiftedExp's [-40, 40] (inside, or just beyond)
                if (round % 4 == 1 && round % 3 != 2) x[r.nextInt(n)] = round % 3 == 0 ? -40f : Math.nextUp(40f);
                FastExp.scalarExp(x, o, t, n);
                FastExp.scalarSigmoid(x, s, t, n);
                // softmax's pass: shifted by 0, by a value or by NaN
                float shift = round % 3 == 0 || round % 4 == 1 ? 0f : round % 3 == 1 ? (float) r.nextDouble(-50, 50) : Float.NaN;
                float[] sh = new float[n], e = new float[n];
                boolean moderate = FastExp.shiftedExp(x, shift, sh, e, t, n);
                double total = Reductions.sum(e, n);
                double[] acc = new double[8];
                boolean allWithin40 = true;
                for (int i = 0; i < n; i++) {
                    acc[i < n - n % 8 ? i % 8 : 0] += FastExp.expf(x[i] - shift);
                    allWithin40 &= Math.abs(x[i] - shift) <= 40f;
                }
                assertEquals(allWithin40, moderate, "shiftedExp's answer: every shifted value within [-40, 40]");
                double want = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(total), "sum of shiftedExp over " + n);
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToIntBits(x[j] - shift), Float.floatToIntBits(sh[j]), "shifted " + x[j]);
                    assertEquals(Float.floatToIntBits(FastExp.expf(x[j] - shift)), Float.floatToIntBits(e[j]), "exp(" + x[j] + " - " + shift + ")");
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToIntBits(FastExp.expf(x[j])), Float.floatToIntBits(o[j]), "exp(" + x[j] + ")");
                    assertEquals(Float.floatToIntBits(1f / (1f + FastExp.expf(-x[j]))), Float.floatToIntBits(s[j]), "sigmoid(" + x[j] + ")");
                }
            }
        }
    }
}
