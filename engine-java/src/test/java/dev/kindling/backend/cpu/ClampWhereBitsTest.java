package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The branch-free float32 clamp against a zero bound and {@code where} over a BOOL mask give the bits of the plain
 * definitions: {@code v < lo ? lo : v > hi ? hi : v} (a zero keeps its own sign against a zero bound of the other
 * sign; NaN stays NaN) and {@code c ? x : y} (NaN payloads and zero signs carried through).
 */
class ClampWhereBitsTest {
    private static float[] data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(10);
            a[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.intBitsToFloat(0x7fc00000 | r.nextInt(1 << 22))
                    : kind == 3 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian();
        }
        return a;
    }

    private static float clamp(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

    @Test
    void clampAgainstZeroBoundsKeepsEachZerosSign() {
        float[] a = data(70_000, 1);   // more than one chunk, and past the parallel grain
        float[][] bounds = {{Float.NaN, 0f}, {Float.NaN, -0f}, {0f, Float.NaN}, {-0f, Float.NaN}, {-0f, 0f}, {0f, -0f},
                {-0.5f, 0f}, {0f, 0.5f}, {-0f, 1e-30f},
                // and non-zero bounds, one-sided (one pass each) and two-sided
                {Float.NaN, 0.5f}, {-0.5f, Float.NaN}, {-0.5f, 0.5f}, {1e-30f, Float.NaN}};
        try (Tensor x = Tensor.fromArray(a, 70, 1000); Tensor xt = x.t()) {
            float[] at = xt.contiguous().toFloatArray();
            for (float[] b : bounds) {
                float lo = Float.isNaN(b[0]) ? Float.NEGATIVE_INFINITY : b[0], hi = Float.isNaN(b[1]) ? Float.POSITIVE_INFINITY : b[1];
                Tensor y = Float.isNaN(b[0]) ? x.clampMax(hi) : Float.isNaN(b[1]) ? x.clampMin(lo) : x.clamp(lo, hi);
                Tensor yt = Float.isNaN(b[0]) ? xt.clampMax(hi) : Float.isNaN(b[1]) ? xt.clampMin(lo) : xt.clamp(lo, hi);
                assertClamped(a, y.toFloatArray(), lo, hi);
                assertClamped(at, yt.toFloatArray(), lo, hi);
                y.close();
                yt.close();
            }
        }
    }

    private static void assertClamped(float[] a, float[] got, float lo, float hi) {
        for (int i = 0; i < a.length; i++) {
            float want = clamp(a[i], lo, hi);
            if (Float.isNaN(want)) {
                assertEquals(true, Float.isNaN(got[i]), "clamp(" + a[i] + ", " + lo + ", " + hi + ") at " + i);
            } else if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[i])) {
                assertEquals(want, got[i], "clamp(" + a[i] + ", " + lo + ", " + hi + ") at " + i + " (zero signs count)");
            }
        }
    }

    @Test
    void whereCarriesEveryBitOfTheChosenSide() {
        float[] a = data(70_000, 2), b = data(70_000, 3), c = data(70_000, 4);
        try (Tensor x = Tensor.fromArray(a, 70, 1000); Tensor y = Tensor.fromArray(b, 70, 1000);
             Tensor k = Tensor.fromArray(c, 70, 1000); Tensor mask = k.gt(0); Tensor out = Tensor.where(mask, x, y);
             Tensor outT = Tensor.where(mask.t(), x.t(), y.t())) {
            float[] got = out.toFloatArray(), gotT = outT.toFloatArray();
            for (int i = 0; i < a.length; i++) {
                float want = c[i] > 0 ? a[i] : b[i];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "where at " + i);
                int r = i / 70, col = i % 70, src = col * 1000 + r;
                float wantT = c[src] > 0 ? a[src] : b[src];
                assertEquals(Float.floatToRawIntBits(wantT), Float.floatToRawIntBits(gotT[i]), "where (transposed) at " + i);
            }
        }
    }
}
