package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * float32 sign and reciprocal loops against the double loop's formulas over random bit patterns (NaN, infinities,
 * zeros and subnormals among them), and pow with the exponents PyTorch computes by products, sqrt and reciprocals
 * against those formulas in float.
 */
class SignPowTest {
    private static float[] patterns(int n) {
        SplittableRandom r = new SplittableRandom(17);
        float[] x = new float[n];
        float[] special = {0f, -0f, Float.NaN, Float.intBitsToFloat(0xff812345), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 2.5f};
        System.arraycopy(special, 0, x, 0, special.length);
        for (int i = special.length; i < n; i++) x[i] = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian() * 10;
        return x;
    }

    private static void assertBits(float want, float got, String what) {
        if (Float.isNaN(want)) assertEquals(true, Float.isNaN(got), what + ": " + got);
        else assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got), what);
    }

    @Test
    void signAndReciprocalAreTheDoubleLoops() {
        float[] x = patterns(5000);
        float[] sign = Tensor.fromArray(x, x.length).sign().toFloatArray();
        float[] rec = Tensor.fromArray(x, x.length).reciprocal().toFloatArray();
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            assertBits((float) (v > 0 ? 1 : v < 0 ? -1 : 0), sign[i], "sign(" + x[i] + ")");
            assertBits((float) (1.0 / v), rec[i], "1 / " + x[i]);
        }
    }

    @Test
    void powWithPyTorchsSpecialExponents() {
        float[] x = patterns(3000);
        for (double p : new double[]{3, 0.5, -0.5, -1, -2}) {
            float[] got = Tensor.fromArray(x, x.length).pow(p).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float v = x[i];
                float want = p == 3 ? v * v * v : p == 0.5 ? (float) Math.sqrt(v) : p == -0.5 ? (float) (1.0 / Math.sqrt(v))
                        : p == -1 ? 1f / v : 1f / (v * v);
                assertBits(want, got[i], "pow(" + v + ", " + p + ")");
            }
        }
    }
}
