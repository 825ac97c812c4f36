package dev.kindling.backend.cpu;

/**
 * float32 {@code erf} through {@link FloatsAsDoubles}: bit for bit {@code (float) PointwiseMath.erf(x)} (fdlibm's
 * s_erf.c), from two double approximations every element goes through (a branch per element would leave the loops
 * scalar), its own selected with bit masks:
 * <ul>
 *   <li>{@code |x| < 1}: {@code |x| P(x^2)}, P of degree 9;</li>
 *   <li>from 1 on: {@code 1 - exp(-t^2) G(t)}, t = |x| clamped to [1, 4] (from 4 up erf rounds to 1 in float, which
 *       the formula gives at 4), {@code G} of degree 15 approximating {@code erfc(t) exp(t^2)}; {@code t^2} of a float
 *       is exact in double, and the exponential is {@link Expm1Log1p#exp}'s.</li>
 * </ul>
 * The coefficients are near-minimax fits (engine-java/src/test/python/fit_erf.py, within 90 double ulps of erf), the
 * polynomials are evaluated with fused multiply-adds: within 172 double ulps of fdlibm's erf over every float the kernel
 * takes (checked over all of them), so its results are checked against a halfway point with a wider margin than the
 * other kernels' ({@link #NEAR_SHIFT}). Some 45 double operations an element, where fdlibm's four rational
 * approximations, all evaluated, took 165 and four divisions: 4.7 ns an element with the float conversions, from 10-13.
 */
final class ErfKernel {
    private ErfKernel() {}

    /** 2^10 double ulps either side of a halfway point are computed again: 3x the kernel's distance from fdlibm, 1 result in 260,000. */
    static final int NEAR_SHIFT = 11;

    private static final long SIGN = Long.MIN_VALUE, ONE = Double.doubleToRawLongBits(1.0);

    /** {@code erf(x) / x} in {@code z = x^2} on [0, 1]: 1.1283791670954912 = 2 / sqrt(pi) at 0. */
    private static final double A0 = 0x1.20dd750429b0dp+0, A1 = -0x1.812746b02580ap-2, A2 = 0x1.ce2f219719384p-4,
            A3 = -0x1.b82ce14316dd1p-6, A4 = 0x1.565b9e4a09529p-8, A5 = -0x1.c0284052d0a76p-11, A6 = 0x1.f93f6f2230617p-14,
            A7 = -0x1.f05e51b4a76a6p-17, A8 = 0x1.9a948a5fba414p-20, A9 = -0x1.c0994cc1dc020p-24;

    /** {@code erfc(t) exp(t^2)} in {@code s = (t - 2.5) / 1.5} on [1, 4]. */
    private static final double B0 = 0x1.afbb3f3b74168p-3, B1 = -0x1.c8ca43de31588p-4, B2 = 0x1.cba83c58ad8efp-5,
            B3 = -0x1.ba7470a5164b9p-6, B4 = 0x1.99401a9cf1634p-7, B5 = -0x1.6d15bc7dfa79ap-8, B6 = 0x1.3b184307ff574p-9,
            B7 = -0x1.0770f624b6c4fp-10, B8 = 0x1.ac9c52f45ff6ap-12, B9 = -0x1.5ac2ff046e71cp-13, B10 = 0x1.f73e8d640be17p-15,
            B11 = -0x1.4fd3c375b8386p-16, B12 = 0x1.edd339ec4c999p-17, B13 = -0x1.46a97946943dep-19,
            B14 = -0x1.258933fbb00ffp-19, B15 = -0x1.35664d0c0b8a5p-19;

    static final FloatsAsDoubles.Kernel ERF = new FloatsAsDoubles.Kernel(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
            0x1p-100f, NEAR_SHIFT) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch s, int from, int to) {
            double[] ax = s.a, near = s.b, e = s.c, g = s.d;
            for (int j = from; j < to; j++) ax[j] = Math.abs(x[j]);
            near(ax, near, from, to);
            tail(ax, e, g, from, to);
            Expm1Log1p.exp(e, s.e, s.f, from, to);
            for (int j = from; j < to; j++) g[j] = Math.fma(-e[j], g[j], 1.0);
            // each element's range, then x's sign
            for (int j = from; j < to; j++) {
                long a = FloatBits.get(ax, j), inNear = (a - ONE) >> 63;
                long y = FloatBits.get(near, j) & inNear | FloatBits.get(g, j) & ~inNear;
                FloatBits.put(x, j, y | FloatBits.get(x, j) & SIGN);
            }
        }

        @Override double exact(double x) { return PointwiseMath.erf(x); }
    };

    /*
     * Each step below is a loop of its own, in a method of its own: the clamp's Math.min / max in the polynomial's
     * loop, or the steps in one body, left C2 17's loops scalar (17-20 ns an element, against 3 for the whole).
     */

    /** [0, 1): {@code near = |x| P(x^2)}. */
    private static void near(double[] ax, double[] near, int from, int to) {
        for (int j = from; j < to; j++) {
            double a = ax[j], z = a * a, p = A9;
            p = Math.fma(p, z, A8);
            p = Math.fma(p, z, A7);
            p = Math.fma(p, z, A6);
            p = Math.fma(p, z, A5);
            p = Math.fma(p, z, A4);
            p = Math.fma(p, z, A3);
            p = Math.fma(p, z, A2);
            p = Math.fma(p, z, A1);
            near[j] = a * Math.fma(p, z, A0);
        }
    }

    /** From 1 on: {@code e = -t^2} and {@code g = G(t)}, t = |x| clamped to [1, 4]. */
    private static void tail(double[] ax, double[] e, double[] g, int from, int to) {
        for (int j = from; j < to; j++) e[j] = Math.min(Math.max(ax[j], 1.0), 4.0);
        for (int j = from; j < to; j++) {
            double u = (e[j] - 2.5) * (2.0 / 3.0), p = B15;
            p = Math.fma(p, u, B14);
            p = Math.fma(p, u, B13);
            p = Math.fma(p, u, B12);
            p = Math.fma(p, u, B11);
            p = Math.fma(p, u, B10);
            p = Math.fma(p, u, B9);
            p = Math.fma(p, u, B8);
            p = Math.fma(p, u, B7);
            p = Math.fma(p, u, B6);
            p = Math.fma(p, u, B5);
            p = Math.fma(p, u, B4);
            p = Math.fma(p, u, B3);
            p = Math.fma(p, u, B2);
            p = Math.fma(p, u, B1);
            g[j] = Math.fma(p, u, B0);
        }
        for (int j = from; j < to; j++) e[j] = -e[j] * e[j];
    }
}
