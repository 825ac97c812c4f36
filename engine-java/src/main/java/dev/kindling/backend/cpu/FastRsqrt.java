package dev.kindling.backend.cpu;

/**
 * {@code rsqrt} for FLOAT32 bit for bit as the double loop gives it, {@code (float) (1.0 / Math.sqrt(x))}, in loops C2
 * vectorises: that loop's conversions, double square roots and divides, one element at a time, took 1.9 ms over
 * [1024, 1024] (PyTorch 0.3).
 *
 * <p>{@code y = 1f / sqrt(x)} in float is within about an ulp of {@code T = 1 / sqrt(x)}. The residual
 * {@code r = y^2 x - 1} comes within about 2^-45 from {@code y^2} split in two by a fused multiply-add, and one Newton
 * step {@code v = y - y r / 2} lies within {@code 2^-44.5 y} of {@code T}; the multiply-add rounds it once to
 * {@code yp}, and {@code |d| = |v - yp|} comes out exact but for its own rounding. Where {@code |d|} is short of half an
 * ulp by more than 2^-16 ulp, no float halfway point lies between {@code v} and {@code T}, nor between {@code T} and
 * the double loop's value (within 2^-52 T of it), so all three round to {@code yp}. The others (about one element in
 * 30,000), and inputs outside [2^-100, 2^100] (zeros, subnormals, negatives, infinities, NaN, and where the split of
 * {@code y^2} could underflow), are computed the double loop's way. Checked over every float bit pattern (a scratch
 * run; {@code FastRsqrtTest} samples every 61st, all with {@code -Dkindling.exhaustive=true}).
 */
final class FastRsqrt {
    private FastRsqrt() {}

    private static final int LOW_BITS = Float.floatToRawIntBits(0x1p-100f), HIGH_BITS = Float.floatToRawIntBits(0x1p100f);
    /** Half an ulp less 2^-16 ulp: a rounding remainder at least this large is too near a halfway point to trust. */
    private static final int NEAR_HALF_BITS = Float.floatToRawIntBits(0.5f - 0x1p-16f);
    private static final int EXPONENT = 0x7f800000, ULP_SHIFT = 23 << 23, ONE = 0x3f800000;

    /**
     * {@code o[i] = (float) (1.0 / Math.sqrt(a[i]))} for the first {@code n}; {@code t} is scratch. {@code a}, {@code o}
     * and {@code t} distinct, each of at least {@code n} floats.
     */
    static void rsqrt(float[] a, float[] o, float[] t, int n) {
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) o[i] = exact(a[i]);
            return;
        }
        FloatBits.check(n, a, o, t);
        for (int i = 0; i < n; i++) {
            float x = a[i], y = 1f / (float) Math.sqrt(x);
            float y2 = y * y, y2low = Math.fma(y, y, -y2);
            float r = Math.fma(y2low, x, Math.fma(y2, x, -1f));
            float half = -0.5f * y, yp = Math.fma(half, r, y);
            o[i] = yp;
            t[i] = Math.abs(Math.fma(half, r, y - yp));
        }
        // the rest on the bits: a count of the elements to do again, then (rarely) a pass that does them
        int again = 0;
        for (int i = 0; i < n; i++) again += doubtful(FloatBits.get(a, i), FloatBits.get(o, i), FloatBits.get(t, i));
        if (again == 0) return;
        for (int i = 0; i < n; i++) {
            if (doubtful(FloatBits.get(a, i), FloatBits.get(o, i), FloatBits.get(t, i)) != 0) o[i] = exact(a[i]);
        }
    }

    /**
     * 1 when the result {@code yp} (bits) of {@code x} (bits) with the rounding remainder {@code |d|} (bits) cannot be
     * trusted: {@code x} outside [2^-100, 2^100] (negatives and NaN included), or {@code |d| / ulp(yp)} not below half
     * less 2^-16. The quotient's bits are {@code |d|}'s with {@code ulp(yp)}'s exponent taken off (its exponent field
     * less 23; inside the range {@code yp} is at least 2^-50); where that underflows the remainder is tiny, and the bits
     * come out below the bound, as they should.
     */
    private static int doubtful(int x, int yp, int d) {
        int ulp = (yp & EXPONENT) - ULP_SHIFT, ratio = d - ulp + ONE;
        int outside = ((x - LOW_BITS) | (HIGH_BITS - x)) >>> 31;
        return outside | ((ratio - NEAR_HALF_BITS) >>> 31 ^ 1);
    }

    /** The double loop's value. */
    static float exact(float x) { return (float) (1.0 / Math.sqrt(x)); }
}
