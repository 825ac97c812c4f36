package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * float32 rsqrt gives the double loop's {@code (float) (1.0 / Math.sqrt(x))} bit for bit ({@link FastRsqrt}): over
 * every 61st float bit pattern (70 million: both signs, every exponent, zeros, subnormals, infinities, NaNs), over
 * inputs whose results lie near a float halfway point (the ones the fast path hands back), at odd lengths, and through
 * the tensor op on contiguous and strided floats. {@code -Dkindling.exhaustive=true} checks all 2^32 bit patterns
 * (about a minute); a scratch run of that found none apart when this was written.
 */
class FastRsqrtTest {
    private static void assertExact(float[] a, float[] o, int n) {
        for (int i = 0; i < n; i++) {
            float want = FastRsqrt.exact(a[i]);
            if (Float.floatToIntBits(want) != Float.floatToIntBits(o[i])) {
                assertEquals(want, o[i], "rsqrt(" + a[i] + ") (bits " + Integer.toHexString(Float.floatToRawIntBits(a[i])) + ") at " + i + " of " + n);
            }
        }
    }

    @Test
    void floatBitPatternsGiveTheDoubleLoopsBits() {
        long step = Boolean.getBoolean("kindling.exhaustive") ? 1 : 61;
        int n = 1024;
        float[] a = new float[n], o = new float[n], t = new float[n];
        for (long start = 0; start < (1L << 32); start += n * step) {
            int len = (int) Math.min(n, ((1L << 32) - start + step - 1) / step);
            for (int i = 0; i < len; i++) a[i] = Float.intBitsToFloat((int) (start + i * step));
            FastRsqrt.rsqrt(a, o, t, len);
            assertExact(a, o, len);
        }
    }

    /** Results within a few 2^-16 ulp of a halfway point, found by search, and special inputs among ordinary ones at odd lengths. */
    @Test
    void nearHalfwayAndSpecialInputs() {
        SplittableRandom r = new SplittableRandom(3);
        float[] near = new float[1024];
        int found = 0;
        while (found < near.length) {
            float x = (float) Math.exp(r.nextDouble(-60, 60));
            double v = 1.0 / Math.sqrt(x), ulp = Math.ulp((float) v);
            double frac = (v - (float) v) / ulp;   // in (-0.5, 0.5]: near +-0.5 means near a halfway point
            if (Math.abs(Math.abs(frac) - 0.5) < 0x1p-12) near[found++] = x;
        }
        float[] o = new float[near.length], t = new float[near.length];
        FastRsqrt.rsqrt(near, o, t, near.length);
        assertExact(near, o, near.length);

        float[] specials = {0f, -0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0xffc00001), -1f, 0x1p-100f, Math.nextDown(0x1p-100f),
                0x1p100f, Math.nextUp(0x1p100f), 1f, 4f, 0.25f, 2f};
        for (int n : new int[]{1, 7, 33, 1000}) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) a[i] = r.nextInt(4) == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextDouble(0, 10);
            float[] out = new float[n], tmp = new float[n];
            FastRsqrt.rsqrt(a, out, tmp, n);
            assertExact(a, out, n);
        }
    }

    @Test
    void tensorOpOnContiguousAndStridedFloats() {
        float[] v = new float[70_000];
        SplittableRandom r = new SplittableRandom(4);
        for (int i = 0; i < v.length; i++) v[i] = i % 997 == 0 ? -1f : (float) r.nextDouble(1e-3, 1e3);
        try (Tensor x = Tensor.fromArray(v, 70, 1000); Tensor xt = x.t(); Tensor y = x.rsqrt(); Tensor yt = xt.rsqrt()) {
            float[] got = y.toFloatArray(), gotT = yt.toFloatArray(), at = xt.contiguous().toFloatArray();
            assertExact(v, got, v.length);
            assertExact(at, gotT, at.length);
        }
    }
}
