package dev.kindling.backend.cpu;

import static dev.kindling.backend.cpu.FastLog.LN2_HI;
import static dev.kindling.backend.cpu.FastLog.LN2_LO;
import static dev.kindling.backend.cpu.FastLog.MAGIC;
import static dev.kindling.backend.cpu.FastLog.MAGIC_BITS;

/**
 * float32 {@code expm1}, {@code tanh} and {@code log1p} through {@link FloatsAsDoubles}: bit for bit
 * {@code (float) StrictMath.f(x)} (fdlibm's, which {@code Math}'s are on JDK 17-23, where this runs), computed in
 * vectorised double loops, 4-7 ns an element on one thread where the JNI call per element took 60-70 ns
 * ({@code x.tanh()} of a 64x512 batch on two threads: 2.1 ms -> 0.07-0.09 ms).
 */
final class Expm1Log1p {
    private Expm1Log1p() {}

    private static final double INV_LN2 = 1.44269504088896338700e+00;
    /** 1 / n! for n = 2 .. 13: expm1(r) = r + r^2 (1/2! + r/3! + ... + r^11/13!), within 2^-56 of it for |r| <= ln 2 / 2. */
    private static final double F2 = 1.0 / 2, F3 = 1.0 / 6, F4 = 1.0 / 24, F5 = 1.0 / 120, F6 = 1.0 / 720, F7 = 1.0 / 5040,
            F8 = 1.0 / 40320, F9 = 1.0 / 362880, F10 = 1.0 / 3628800, F11 = 1.0 / 39916800, F12 = 1.0 / 479001600,
            F13 = 1.0 / 6227020800.0;
    private static final long SIGN = Long.MIN_VALUE;

    /**
     * {@code x[j] = expm1(x[j])} for {@code x[j]} in [-60, 128], within about two ulps: {@code x = k ln 2 + r} with
     * {@code |r| <= ln 2 / 2} (ln 2 in fdlibm's two parts, so {@code x - k LN2_HI} is exact), the Taylor polynomial of
     * {@code expm1(r)}, then {@code 2^k expm1(r) + (2^k - 1)}. {@code kk} and {@code r} are scratch.
     */
    static void expm1(double[] x, double[] kk, double[] r, int from, int to) {
        reduce(x, kk, r, from, to);
        for (int j = from; j < to; j++) {
            double s = kk[j];
            x[j] = s * r[j] + (s - 1.0);
        }
    }

    /** {@code x[j] = exp(x[j])} for {@code x[j]} in [-700, 700], within about two ulps: {@code 2^k + 2^k expm1(r)}. */
    static void exp(double[] x, double[] kk, double[] r, int from, int to) {
        reduce(x, kk, r, from, to);
        for (int j = from; j < to; j++) {
            double s = kk[j];
            x[j] = s + s * r[j];
        }
    }

    /** {@code kk[j] = 2^k} and {@code r[j] = expm1(x[j] - k ln 2)}, k the integer nearest {@code x[j] / ln 2}. */
    private static void reduce(double[] x, double[] kk, double[] r, int from, int to) {
        for (int j = from; j < to; j++) kk[j] = x[j] * INV_LN2 + MAGIC;      // MAGIC + the nearest integer k
        for (int j = from; j < to; j++) {
            double k = kk[j] - MAGIC;
            r[j] = (x[j] - k * LN2_HI) - k * LN2_LO;
        }
        for (int j = from; j < to; j++) {
            double y = r[j];
            double p = F2 + y * (F3 + y * (F4 + y * (F5 + y * (F6 + y * (F7 + y * (F8 + y * (F9 + y * (F10 + y * (F11
                    + y * (F12 + y * F13))))))))));
            r[j] = y + y * y * p;
        }
        // 2^k from k's bits (MAGIC + k has the bits MAGIC_BITS + k), in a loop of its own: bits to double in the same
        // loop as the arithmetic stays scalar
        for (int j = from; j < to; j++) FloatBits.put(kk, j, FloatBits.get(kk, j) - MAGIC_BITS + 1023 << 52);
    }

    /** fdlibm's expm1: expm1(x) for x up to 88 (beyond, float overflows), -1 below -60 (as the double itself is). */
    static final FloatsAsDoubles.Kernel EXPM1 = new FloatsAsDoubles.Kernel(88f, Float.POSITIVE_INFINITY) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch s, int from, int to) {
            for (int j = from; j < to; j++) x[j] = Math.max(x[j], -60.0);
            expm1(x, s.a, s.b, from, to);
        }

        @Override double exact(double x) { return StrictMath.expm1(x); }
    };

    /**
     * fdlibm's tanh: {@code t / (t + 2)} for {@code t = expm1(2 |x|)}, the sign of x; |x| clamped to 20, past which
     * tanh is 1 in double (infinities included).
     */
    static final FloatsAsDoubles.Kernel TANH = new FloatsAsDoubles.Kernel(Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch s, int from, int to) {
            double[] sign = s.c;
            System.arraycopy(x, from, sign, from, to - from);
            for (int j = from; j < to; j++) x[j] = 2.0 * Math.min(Math.abs(x[j]), 20.0);
            expm1(x, s.a, s.b, from, to);
            for (int j = from; j < to; j++) {
                double t = x[j];
                x[j] = t / (t + 2.0);
            }
            for (int j = from; j < to; j++) FloatBits.put(x, j, FloatBits.get(x, j) | FloatBits.get(sign, j) & SIGN);
        }

        @Override double exact(double x) { return StrictMath.tanh(x); }
    };

    /**
     * fdlibm's log1p: {@code u = 1 + x}, {@code c = (x - (u - 1)) / u} the rounding error of {@code u} relative to it,
     * then fdlibm's log of {@code u = 2^k m} with {@code c} added beside {@code k ln 2}'s low part. x in (-1, MAX_VALUE].
     */
    static final FloatsAsDoubles.Kernel LOG1P = new FloatsAsDoubles.Kernel(Float.MAX_VALUE, Math.nextDown(1f)) {
        @Override void run(double[] x, FloatsAsDoubles.Scratch s, int from, int to) {
            double[] m = s.a, c = s.b, kk = s.c, sv = s.d;
            for (int j = from; j < to; j++) {
                double v = x[j], u = 1.0 + v;
                // c / u as c max(2 - u, 0), a divide saved: below u = 2, c is nonzero only for |x| < 2^-29, where 2 - u
                // is 1 / u to 2^-56; above, c / u is below 2^-52 against a result of 36 or more (c is 1 for x = 2^53, 0
                // elsewhere), which the halfway check's margin covers (found by the exhaustive check: c (2 - u) there)
                c[j] = (v - (u - 1.0)) * Math.max(2.0 - u, 0.0);
                m[j] = u;
            }
            FastLog.split(m, m, kk, from, to);
            FastLog.polynomial(m, sv, x, from, to);         // x, read, now holds the polynomial
            for (int j = from; j < to; j++) {
                double kd = kk[j] - MAGIC, f = m[j] - 1.0, hfsq = 0.5 * f * f;
                x[j] = kd * LN2_HI - ((hfsq - (sv[j] * (hfsq + x[j]) + (kd * LN2_LO + c[j]))) - f);
            }
        }

        @Override double exact(double x) { return StrictMath.log1p(x); }
    };
}
