package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The branch-free float32 clamp against a zero bound and {@code where} over a BOOL mask give the bits of the plain
 * definitions: {@code v < lo ? lo : v > hi ? hi : v} (a zero keeps its own sign against a zero bound of the other
 * sign; NaN stays NaN) and {@code c ? x : y} (NaN payloads and zero signs carried through); ReLU's gradient
 * {@code out <= 0 ? +0 : g} (NaN passing g).
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

    @Test
    void reluGradientPassesWhereTheOutputIsAboveZeroOrNaN() {
        float[] g = data(70_000, 7), out = data(70_000, 8);
        float[] special = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.NaN, Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xff800001),
                Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, out, 5, special.length);
        int[] gBits = new int[g.length], outBits = new int[out.length];
        for (int i = 0; i < g.length; i++) {
            gBits[i] = Float.floatToRawIntBits(g[i]);
            outBits[i] = Float.floatToRawIntBits(out[i]);
        }
        for (int n : new int[]{1, 17, 1024, 70_000}) {
            int[] o = new int[n];
            PointwiseMath.binaryBits(dev.kindling.backend.BinaryOp.THRESHOLD_BACKWARD, gBits, outBits, o, n);
            for (int i = 0; i < n; i++) {
                float want = out[i] <= 0 ? 0f : g[i];
                if (Float.floatToRawIntBits(want) != o[i]) {
                    assertEquals(Integer.toHexString(Float.floatToRawIntBits(want)), Integer.toHexString(o[i]),
                            "output " + out[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(out[i])) + "), gradient " + g[i]);
                }
            }
        }
        // and through autograd: x.relu() backward, x of both signs and zeros
        try (Tensor x = Tensor.fromArray(out, 70, 1000).requiresGrad(true); Tensor gt = Tensor.fromArray(g, 70, 1000)) {
            Tensor y = x.relu();
            y.backward(gt);
            float[] yv = y.toFloatArray(), got = x.grad().toFloatArray();
            for (int i = 0; i < got.length; i++) {
                float want = yv[i] <= 0 ? 0f : g[i];
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "relu backward at " + i);
            }
        }
    }
}
