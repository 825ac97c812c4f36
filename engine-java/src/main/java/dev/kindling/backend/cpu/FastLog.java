package dev.kindling.backend.cpu;

/**
 * {@code log} for FLOAT32, bit for bit {@code (float) Math.log(x)} (the double log rounded once, which is the
 * correctly rounded float log wherever the double is not within its error of a halfway point), in loops C2
 * vectorises: {@code Math.log} per element, with its conversions to and from double, cost 9-22 ns an element here
 * (this: 2.2-3.3 ns), which put {@code x.log()} 6x behind PyTorch.
 *
 * <p>JDK 17's C2 vectorises neither float-to-double conversions nor bit moves between floats and longs, so the
 * floats are read in pairs as longs ({@link FloatBits#getPair}) and their doubles built with integer operations:
 * {@code x = 2^k m}, {@code m} in {@code [sqrt(1/2), sqrt(2))}, the even elements into the first half of the scratch
 * arrays and the odd into the second ({@link #split}). fdlibm's log (the algorithm of {@code StrictMath.log}:
 * {@code s = f / (2 + f)}, Remez polynomial in {@code s^2}, {@code k ln 2} in two parts) runs over them in double
 * ({@link #core}), within about an ulp of the double log. The results are rounded to float with integer operations, half to even ({@link #join}), which
 * also flags each result whose dropped bits lie within {@link FloatsAsDoubles#NEAR} double ulps of a halfway point: there the
 * error could decide the rounding, and those elements, like inputs that are not positive normal floats or are 1
 * (whose log 0 the integer rounding does not represent), get {@code (float) Math.log} ({@link #fix}). So the
 * results are Math.log's on every input; {@code FastLogTest} checks that over every 61st positive float and every
 * special case, and the check over all 2^31 positive floats passed when this was written (the test's
 * {@code -Dkindling.exhaustive=true}).
 */
final class FastLog {
    private FastLog() {}

    private static final int BLOCK = FloatsAsDoubles.BLOCK, HALF = FloatsAsDoubles.HALF;

    // fdlibm's e_log.c: ln 2 in two parts (k * LN2_HI exact for |k| < 2^11) and the polynomial's coefficients
    static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10,
            LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01,
            LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
            LG7 = 1.479819860511658591e-01;
    /** 1.5 * 2^52: its bits plus a small integer k are the double 1.5 * 2^52 + k (k to double without a conversion). */
    static final long MAGIC_BITS = 0x4338000000000000L;
    static final double MAGIC = 6755399441055744.0;
    /** The float bits of sqrt(1/2): {@code x}'s bits minus it, shifted, give k with m in [sqrt(1/2), sqrt(2)). */
    private static final long SQRT_HALF_BITS = 0x3f3504f3L;
    private static final long REBIAS = FloatsAsDoubles.REBIAS;

    /** Per thread: the elements' m (then their logs), k, s and polynomial. */
    private static final class Scratch {
        final double[] m = new double[BLOCK], k = new double[BLOCK], s = new double[BLOCK], r = new double[BLOCK];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@code o[i] = (float) Math.log(a[i])} for the first {@code n} elements; {@code a} must not be {@code o}. */
    static void log(float[] a, float[] o, int n) {
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) o[i] = (float) Math.log(a[i]);
            return;
        }
        java.util.Objects.checkFromIndexSize(0, n, Math.min(a.length, o.length));
        Scratch sc = SCRATCH.get();
        int pairs = n >>> 1;
        boolean special = specials(a, 0, n) != 0;
        for (int p0 = 0; p0 < pairs; p0 += HALF) {
            int np = Math.min(HALF, pairs - p0);
            split(a, p0, np, sc);
            core(sc, 0, np);
            core(sc, HALF, HALF + np);
            join(o, p0, np, sc);
            if (special || FloatsAsDoubles.near(sc.m, 0, np) + FloatsAsDoubles.near(sc.m, HALF, HALF + np) != 0) fix(a, o, p0, np, sc);
        }
        if ((n & 1) != 0) o[n - 1] = (float) Math.log(a[n - 1]);
    }

    /**
     * Nonzero when {@code a[from .. from + len)} holds an input the fast path does not compute: not a positive normal
     * float (zero, negative, subnormal, infinite, NaN), or 1. A loop of its own over the floats' int bits: folded into
     * {@link #split}'s loop the flags left that loop scalar (1.3 against 0.2 us per 512 floats).
     */
    private static int specials(float[] a, int from, int len) {
        int count = 0;
        for (int i = from; i < from + len; i++) {
            int b = FloatBits.get(a, i);
            // b - MIN_NORMAL unsigned at least 0x7f000000, or b is 1's bits
            count += (((b - 0x00800000) >>> 24) + 1 >>> 7) + ((b ^ 0x3f800000) - 1 >>> 31);
        }
        return count;
    }

    /**
     * Pairs {@code p0 ..} of {@code a} into {@code m} as a double and {@code k} as {@code MAGIC + k} (the even elements
     * at {@code j}, the odd at {@code HALF + j}): integer operations on the float bits, exact for positive normal floats
     * (others give numbers {@link #fix} replaces).
     */
    private static void split(float[] a, int p0, int np, Scratch sc) {
        double[] m = sc.m, k = sc.k;
        for (int j = 0; j < np; j++) {
            long pair = FloatBits.getPair(a, p0 + j);
            long be = pair & 0xffffffffL, bo = pair >>> 32;
            long kE = (be - SQRT_HALF_BITS) >> 23, kO = (bo - SQRT_HALF_BITS) >> 23;
            FloatBits.put(m, j, ((be - (kE << 23)) << 29) + REBIAS);
            FloatBits.put(m, HALF + j, ((bo - (kO << 23)) << 29) + REBIAS);
            FloatBits.put(k, j, MAGIC_BITS + kE);
            FloatBits.put(k, HALF + j, MAGIC_BITS + kO);
        }
    }

    /**
     * {@code m[j] = k ln 2 + log(m)} for {@code j} in {@code [from, to)} (fdlibm: {@code f = m - 1},
     * {@code s = f / (2 + f)}, {@code log(m) = f - (f^2/2 - s (f^2/2 + R(s^2)))}, R by Horner's rule where fdlibm
     * sums its odd and even terms apart), in three loops short enough for C2 to unroll and vectorise (one loop of it
     * all stayed scalar: 6 ns an element against 2).
     */
    private static void core(Scratch sc, int from, int to) {
        double[] m = sc.m, k = sc.k, s = sc.s, r = sc.r;
        polynomial(m, s, r, from, to);
        for (int j = from; j < to; j++) {
            double kd = k[j] - MAGIC, f = m[j] - 1.0, hfsq = 0.5 * f * f;
            m[j] = kd * LN2_HI - ((hfsq - (s[j] * (hfsq + r[j]) + kd * LN2_LO)) - f);
        }
    }

    /**
     * fdlibm's log of {@code m} in [sqrt(1/2), sqrt(2)) up to its last step: {@code s[j] = f / (2 + f)} and
     * {@code r[j] = R(s^2)} for {@code f = m[j] - 1}; log(m) is then {@code f - (f^2/2 - s (f^2/2 + r))}.
     */
    static void polynomial(double[] m, double[] s, double[] r, int from, int to) {
        for (int j = from; j < to; j++) {
            double f = m[j] - 1.0;
            s[j] = f / (2.0 + f);
        }
        for (int j = from; j < to; j++) {
            double z = s[j] * s[j];
            r[j] = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
        }
    }

    /** The logs of pairs {@code p0 ..} rounded to float, half to even, into {@code o}. */
    private static void join(float[] o, int p0, int np, Scratch sc) {
        double[] m = sc.m;
        for (int j = 0; j < np; j++) FloatBits.putPair(o, p0 + j, FloatsAsDoubles.round(FloatBits.get(m, j)) | FloatsAsDoubles.round(FloatBits.get(m, HALF + j)) << 32);
    }

    /** The inputs of pairs {@code p0 ..} that are special or whose logs are near a halfway point, again by {@code Math.log}. */
    private static void fix(float[] a, float[] o, int p0, int np, Scratch sc) {
        for (int j = 0; j < np; j++) {
            int i = 2 * (p0 + j);
            if (specials(a, i, 1) != 0 || FloatsAsDoubles.nearHalf(FloatBits.get(sc.m, j)) != 0) o[i] = (float) Math.log(a[i]);
            if (specials(a, i + 1, 1) != 0 || FloatsAsDoubles.nearHalf(FloatBits.get(sc.m, HALF + j)) != 0) o[i + 1] = (float) Math.log(a[i + 1]);
        }
    }
}
