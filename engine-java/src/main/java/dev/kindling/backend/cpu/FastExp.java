package dev.kindling.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;

/**
 * {@code exp} for FLOAT32 within 1 ulp, as PyTorch's vectorised kernels (SLEEF's expf_u10) are: a
 * Cody-Waite reduction to {@code r = x - k ln 2} and a degree-6 polynomial (Cephes' expf), scaled by
 * {@code 2^k}. Measured here: 3.5 ns per element against 14 ns for {@code (float) Math.exp(x)}, which
 * computes in double. Arguments whose result would be subnormal or overflow, infinities and NaN take
 * {@code Math.exp}, so the edges are exact.
 */
final class FastExp {
    private FastExp() {}

    // 2^k stays a normal float: k in [-126, 127] (127.5 ln 2 = 88.376 would round k up to 128)
    static final float HI = 88.37f, LO = -87.3365447504f;
    /** 1 / ln 2, and 1.5 * 2^23: added to x / ln 2 it rounds k to an integer held in the low bits (see {@link #carrier}). */
    static final float LOG2E = 1.44269504088896341f, CARRIER = 12582912f;
    static final int CARRIER_BITS = 0x4B400000;
    /** ln 2 in two parts (Cody-Waite): the high part exact in few bits, so {@code k * LN2_HI} is exact. */
    static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Cephes' expf polynomial, highest degree first. */
    static final float P0 = 1.9875691500E-4f, P1 = 1.3981999507E-3f, P2 = 8.3334519073E-3f, P3 = 4.1665795894E-2f,
            P4 = 1.6666665459E-1f, P5 = 5.0000001201E-1f;

    static float expf(float x) {
        if (!(x >= LO && x <= HI)) return (float) Math.exp(x);
        float tk = carrier(x);
        return poly(x, tk) * scale(tk);
    }

    /**
     * {@code o[i] = expf(a[i])} for the first {@code n} elements, bit for bit, in passes C2 vectorises: the reduction
     * and polynomial ({@link #core}); the scaling by {@code 2^k}, whose float-int bit moves go through {@link FloatBits}
     * or a direct buffer; and a count of the elements near or past the range, which only then get the one-element
     * formula ({@link #scaleByPow2}). {@code a} must not be {@code o}.
     */
    static void exp(float[] a, float[] o, float[] t, int n) {
        if (Simd.on(n)) VectorMath.exp(a, o, n);
        else scalarExp(a, o, t, n);
    }

    /** {@link #exp} without the Vector API. */
    static void scalarExp(float[] a, float[] o, float[] t, int n) {
        for (int i = 0; i < n; i++) core(a[i], o, t, i);
        scaleByPow2(a, o, t, n, false, SAFE_BITS);
    }

    /**
     * Softmax's exponentials: {@code sh[i] = x[i] - shift} and {@code o[i] = expf(sh[i])} (as {@link #scalarExp} of
     * {@code sh}). Returns true when every shifted value lies within [-40, 40] (so none is NaN and every exponential is
     * at least 2^-58, far from float's underflow, which lets the row divide by its sum through the reciprocal, see
     * {@code SoftmaxKernel.divide}); the answer comes free from the count the scaling pass makes anyway.
     */
    static boolean shiftedExp(float[] x, float shift, float[] sh, float[] o, float[] t, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[i] - shift;
            sh[i] = v;
            core(v, o, t, i);
        }
        return !scaleByPow2(sh, o, t, n, false, MODERATE_BITS);
    }

    /** {@code o[i] = 1 / (1 + expf(-a[i]))}, the sigmoid, bit for bit as one pass of {@link #expf} gives it. */
    static void sigmoid(float[] a, float[] o, float[] t, int n) {
        if (Simd.on(n)) VectorMath.sigmoid(a, o, n);
        else scalarSigmoid(a, o, t, n);
    }

    /** {@link #sigmoid} without the Vector API. */
    static void scalarSigmoid(float[] a, float[] o, float[] t, int n) {
        for (int i = 0; i < n; i++) core(-a[i], o, t, i);
        scaleByPow2(a, o, t, n, true, SAFE_BITS);
        for (int i = 0; i < n; i++) o[i] = 1f / (1f + o[i]);
    }

    /** Up to this magnitude every input is inside [LO, HI], where the polynomial scaled by 2^k is expf. */
    private static final float SAFE = 87.33f;
    private static final int SAFE_BITS = Float.floatToRawIntBits(SAFE);
    /** {@link #shiftedExp}'s bound on the shifted values: e^-40 is about 2^-57.7. */
    private static final int MODERATE_BITS = Float.floatToRawIntBits(40f);

    /** Per thread: one block of memory seen as floats and as ints, and an int array to work on the ints in. */
    private static final class Bits {
        static final int BLOCK = 1024;
        final FloatBuffer floats;
        final IntBuffer ints;
        final int[] k = new int[BLOCK];

        Bits() {
            ByteBuffer raw = ByteBuffer.allocateDirect(4 * BLOCK).order(ByteOrder.nativeOrder());
            floats = raw.asFloatBuffer();
            ints = raw.asIntBuffer();
        }
    }

    private static final ThreadLocal<Bits> BITS = ThreadLocal.withInitial(Bits::new);

    /**
     * The second step: {@code o[i] = p[i] * 2^k} from the polynomials {@code p} in {@code o} and the carriers in
     * {@code t}, whose bits become exponent fields in an int loop; then, only where inputs of magnitude above
     * {@code beyond} (at most 87.33; NaN included) are present, those above 87.33 again by {@link #expf} of {@code a[i]}
     * ({@code -a[i]} for the sigmoid), which settles the range's edges exactly. Returns whether any was above
     * {@code beyond}. The int loops read the float arrays' bits through {@link FloatBits} where it is on (0.15 us per
     * 1000 floats); elsewhere block by block through a direct buffer seen as floats and as ints, between bulk copies
     * (0.7-0.9 us, where a scalar pass took 1.5-2.5 us).
     */
    private static boolean scaleByPow2(float[] a, float[] o, float[] t, int n, boolean negate, int beyond) {
        if (FloatBits.ON) {
            FloatBits.check(n, a, o, t);
            for (int i = 0; i < n; i++) FloatBits.put(t, i, (FloatBits.get(t, i) - CARRIER_BITS + 127) << 23);
            for (int i = 0; i < n; i++) o[i] *= t[i];
            int edges = 0;
            for (int i = 0; i < n; i++) edges += (beyond - (FloatBits.get(a, i) & 0x7fffffff)) >>> 31;
            if (edges != 0) fixEdges(a, o, 0, n, negate);
            return edges != 0;
        }
        Bits b = BITS.get();
        int[] k = b.k;
        boolean seen = false;
        for (int from = 0; from < n; from += Bits.BLOCK) {
            int len = Math.min(Bits.BLOCK, n - from);
            b.floats.put(0, t, from, len);
            b.ints.get(0, k, 0, len);
            for (int i = 0; i < len; i++) k[i] = (k[i] - CARRIER_BITS + 127) << 23;
            b.ints.put(0, k, 0, len);
            b.floats.get(0, t, from, len);
            for (int i = 0; i < len; i++) o[from + i] *= t[from + i];
            b.floats.put(0, a, from, len);
            b.ints.get(0, k, 0, len);
            int edges = 0;
            for (int i = 0; i < len; i++) edges += (beyond - (k[i] & 0x7fffffff)) >>> 31;
            if (edges != 0) {
                fixEdges(a, o, from, from + len, negate);
                seen = true;
            }
        }
        return seen;
    }

    /** {@code o[i] = expf(a[i])} (of {@code -a[i]} when negating) for the elements of {@code [from, to)} beyond 87.33 or NaN. */
    private static void fixEdges(float[] a, float[] o, int from, int to, boolean negate) {
        for (int i = from; i < to; i++) {
            if (!(Math.abs(a[i]) <= SAFE)) o[i] = expf(negate ? -a[i] : a[i]);
        }
    }

    /**
     * The polynomial for {@code x} into {@code p[i]}, and {@code k}'s carrier into {@code t[i]}. Not clamped to the
     * range: the elements beyond 87.33, whose carriers may be anything, are all computed again by {@link #expf}
     * ({@link #scaleByPow2}), and C2's vector min and max cost more than the polynomial (0.5 against 0.2 us per 1000).
     */
    private static void core(float x, float[] p, float[] t, int i) {
        float tk = carrier(x);
        p[i] = poly(x, tk);
        t[i] = tk;
    }

    /** {@code k + 1.5 * 2^23} for {@code k = round(x / ln 2)}: k rounded to nearest, held in the low bits. */
    private static float carrier(float x) {
        return Math.fma(x, LOG2E, CARRIER);
    }

    /**
     * {@code exp(r)} for {@code r = x - k ln 2} (Cody-Waite, ln 2 in two parts) by Cephes' degree-6 polynomial: a branch-
     * and cast-free body that C2 vectorises in {@link #core}'s loop.
     */
    private static float poly(float x, float tk) {
        float k = tk - CARRIER;
        float r = Math.fma(k, -LN2_HI, x);
        r = Math.fma(k, -LN2_LO, r);
        float q = Math.fma(P0, r, P1);
        q = Math.fma(q, r, P2);
        q = Math.fma(q, r, P3);
        q = Math.fma(q, r, P4);
        q = Math.fma(q, r, P5);
        return Math.fma(q, r * r, r) + 1f;
    }

    /** {@code 2^k} built from the carrier's low bits (k in [-126, 127] inside the range: a normal float). */
    private static float scale(float tk) {
        return Float.intBitsToFloat((Float.floatToRawIntBits(tk) - CARRIER_BITS + 127) << 23);
    }
}
