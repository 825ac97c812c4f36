package dev.kindling.backend.cpu;

import static dev.kindling.backend.cpu.PointwiseMath.*;

/**
 * float32 {@code erf} through {@link FloatsAsDoubles}: bit for bit {@code (float) PointwiseMath.erf(x)} (fdlibm's
 * s_erf.c), computed in vectorised double loops. fdlibm picks one of four rational approximations by |x|; here every
 * element goes through all of them (the branch per element would leave the loops scalar) and its own is selected
 * with bit masks: 8-10 ns an element (some 165 double operations), where the scalar function took 14-30 (GELU's erf
 * over [64, 512]: see docs/performance.md). The exponential of the erfc ranges comes from {@link Expm1Log1p#exp}.
 */
final class ErfKernel {
    private ErfKernel() {}

    private static final long SIGN = Long.MIN_VALUE;
    private static final long A_END = Double.doubleToRawLongBits(0.84375), B_END = Double.doubleToRawLongBits(1.25),
            C_END = Double.doubleToRawLongBits(1 / 0.35);

    /** All of a long's bits where {@code bits < limit} (both the bits of non-negative doubles), else none. */
    private static long below(long bits, long limit) { return (bits - limit) >> 63; }

    static final FloatsAsDoubles.Kernel ERF = new FloatsAsDoubles.Kernel(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, 0x1p-100f) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch s, int from, int to) {
            double[] ax = s.a, ya = s.b, yb = s.c, t = s.d, u = s.e, v = s.f, g = s.g, h = s.h, rt = s.k;
            for (int j = from; j < to; j++) ax[j] = Math.abs(x[j]);
            near(ax, ya, from, to);
            middle(ax, yb, from, to);
            tailRatio(ax, t, rt, u, v, g, h, from, to);
            tail(t, rt, u, v, g, h, from, to);
            // each element's range, then x's sign
            for (int j = from; j < to; j++) {
                long a = FloatBits.get(ax, j), inA = below(a, A_END), inB = below(a, B_END) & ~inA, inC = ~(inA | inB);
                long y = FloatBits.get(ya, j) & inA | FloatBits.get(yb, j) & inB | FloatBits.get(g, j) & inC;
                FloatBits.put(x, j, y | FloatBits.get(x, j) & SIGN);
            }
        }

        @Override double exact(double x) { return PointwiseMath.erf(x); }
    };

    /** [0, 0.84375): {@code |x| + |x| R(x^2) / S(x^2)} (below 2^-28 fdlibm's {@code |x| + EFX |x|}, the same to rounding). */
    static void near(double[] ax, double[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            double a = ax[j], z = a * a;
            double r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
            double q = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
            y[j] = a + a * (r / q);
        }
    }

    /** [0.84375, 1.25): {@code erx + P(|x| - 1) / Q(|x| - 1)}. */
    static void middle(double[] ax, double[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            double d = ax[j] - 1.0;
            double p = PA0 + d * (PA1 + d * (PA2 + d * (PA3 + d * (PA4 + d * (PA5 + d * PA6)))));
            double q = 1.0 + d * (QA1 + d * (QA2 + d * (QA3 + d * (QA4 + d * (QA5 + d * QA6)))));
            y[j] = ERX + p / q;
        }
    }

    /**
     * From 1.25 on, {@code t = |x|} clamped to [1.25, 6] (from 6 up erf is 1 in double, which the formula gives at 6),
     * {@code rt = 1 / t}, {@code u / v = R/S} in {@code 1/t^2}, from the coefficients below 1/0.35 or those above.
     */
    static void tailRatio(double[] ax, double[] t, double[] rt, double[] u, double[] v, double[] g, double[] h, int from, int to) {
        for (int j = from; j < to; j++) {
            double a = Math.min(Math.max(ax[j], 1.25), 6.0);
            t[j] = a;
            rt[j] = 1.0 / a;
        }
        for (int j = from; j < to; j++) {
            double w = rt[j] * rt[j];
            u[j] = RA0 + w * (RA1 + w * (RA2 + w * (RA3 + w * (RA4 + w * (RA5 + w * (RA6 + w * RA7))))));
            v[j] = 1.0 + w * (SA1 + w * (SA2 + w * (SA3 + w * (SA4 + w * (SA5 + w * (SA6 + w * (SA7 + w * SA8)))))));
        }
        for (int j = from; j < to; j++) {
            double w = rt[j] * rt[j];
            g[j] = RB0 + w * (RB1 + w * (RB2 + w * (RB3 + w * (RB4 + w * (RB5 + w * RB6)))));
            h[j] = 1.0 + w * (SB1 + w * (SB2 + w * (SB3 + w * (SB4 + w * (SB5 + w * (SB6 + w * SB7))))));
        }
        for (int j = from; j < to; j++) {
            long c = below(FloatBits.get(t, j), C_END);
            FloatBits.put(u, j, FloatBits.get(u, j) & c | FloatBits.get(g, j) & ~c);
            FloatBits.put(v, j, FloatBits.get(v, j) & c | FloatBits.get(h, j) & ~c);
        }
    }

    /**
     * {@code g = 1 - exp(-t^2 - 0.5625 + u / v) / t}. fdlibm splits {@code t^2} so that one part is exact and takes two
     * exponentials; one, on the rounded square, is off by at most 8 double ulps of erfc (below 0.08 here), under an ulp
     * of erf, well inside the halfway check's margin.
     */
    static void tail(double[] t, double[] rt, double[] u, double[] v, double[] g, double[] h, int from, int to) {
        for (int j = from; j < to; j++) u[j] = -t[j] * t[j] - 0.5625 + u[j] / v[j];
        Expm1Log1p.exp(u, g, h, from, to);
        for (int j = from; j < to; j++) g[j] = 1.0 - u[j] * rt[j];
    }
}
