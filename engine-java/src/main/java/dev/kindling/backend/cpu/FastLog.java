package dev.kindling.backend.cpu;

/**
 * {@code log} for FLOAT32, bit for bit {@code (float) Math.log(x)} (the double log rounded once, which is the
 * correctly rounded float log wherever the double is not within its error of a halfway point), in loops C2
 * vectorises: {@code Math.log} per element, with its conversions to and from double, cost 9-22 ns an element here
 * (this: 2.2-3.3 ns), which put {@code x.log()} 6x behind PyTorch.
 *
 * <p>A {@link FloatsAsDoubles} kernel: the floats widened to doubles in pairs, fdlibm's log (the algorithm of
 * {@code StrictMath.log}: {@code x = 2^k m}, {@code m} in {@code [sqrt(1/2), sqrt(2))}, {@code s = f / (2 + f)}, a Remez
 * polynomial in {@code s^2}, {@code k ln 2} in two parts) over them in double, within about an ulp of the double log,
 * rounded back; results near a float halfway point, and inputs that are not positive normal floats, get
 * {@code (float) Math.log}. So the results are Math.log's on every input; {@code FastLogTest} checks that over every
 * 61st positive float and every special case, and the check over all 2^31 positive floats passed (the test's
 * {@code -Dkindling.exhaustive=true}). {@link Expm1Log1p#LOG1P} shares the split and the polynomial.
 */
final class FastLog {
    private FastLog() {}

    // fdlibm's e_log.c: ln 2 in two parts (k * LN2_HI exact for |k| < 2^11) and the polynomial's coefficients
    static final double LN2_HI = 6.93147180369123816490e-01, LN2_LO = 1.90821492927058770002e-10,
            LG1 = 6.666666666666735130e-01, LG2 = 3.999999999940941908e-01, LG3 = 2.857142874366239149e-01,
            LG4 = 2.222219843214978396e-01, LG5 = 1.818357216161805012e-01, LG6 = 1.531383769920937332e-01,
            LG7 = 1.479819860511658591e-01;
    /** 1.5 * 2^52: its bits plus a small integer k are the double 1.5 * 2^52 + k (k to double without a conversion). */
    static final long MAGIC_BITS = 0x4338000000000000L;
    static final double MAGIC = 6755399441055744.0;
    /** The double bits of sqrt(1/2): {@code u}'s bits minus it, shifted, give k with {@code u = 2^k m}, m in [sqrt(1/2), sqrt(2)). */
    private static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL;

    /** Positive normal floats (no zero, subnormal, negative, infinity or NaN); log(1) = 0 the rounding gives exactly. */
    static final FloatsAsDoubles.Kernel LOG = new FloatsAsDoubles.Kernel(Float.MAX_VALUE, 0f, Float.MIN_NORMAL) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch sc, int from, int to) {
            double[] m = sc.a, k = sc.b, s = sc.c;
            split(x, m, k, from, to);
            polynomial(m, s, x, from, to);         // x, read, now holds the polynomial
            for (int j = from; j < to; j++) {
                double kd = k[j] - MAGIC, f = m[j] - 1.0, hfsq = 0.5 * f * f;
                x[j] = kd * LN2_HI - ((hfsq - (s[j] * (hfsq + x[j]) + kd * LN2_LO)) - f);
            }
        }

        @Override double exact(double x) { return Math.log(x); }
    };

    /** {@code o[i] = (float) Math.log(a[i])} for the first {@code n} elements; {@code a} must not be {@code o}. */
    static void log(float[] a, float[] o, int n) { FloatsAsDoubles.apply(LOG, a, o, n); }

    /**
     * {@code u = 2^k m} for positive normal doubles {@code u[j]}: {@code m[j]} in [sqrt(1/2), sqrt(2)) and {@code kk[j]} as
     * {@code MAGIC + k}, with integer operations on the bits ({@code u} may be {@code m}).
     */
    static void split(double[] u, double[] m, double[] kk, int from, int to) {
        for (int j = from; j < to; j++) {
            long b = FloatBits.get(u, j), k = (b - SQRT_HALF_BITS) >> 52;
            FloatBits.put(m, j, b - (k << 52));
            FloatBits.put(kk, j, MAGIC_BITS + k);
        }
    }

    /**
     * fdlibm's log of {@code m} in [sqrt(1/2), sqrt(2)) up to its last step: {@code s[j] = f / (2 + f)} and
     * {@code r[j] = R(s^2)} for {@code f = m[j] - 1} (R by Horner's rule where fdlibm sums its odd and even terms apart);
     * log(m) is then {@code f - (f^2/2 - s (f^2/2 + r))}. Loops short enough for C2 to unroll and vectorise (one loop of
     * it all stayed scalar: 6 ns an element against 2).
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
}
