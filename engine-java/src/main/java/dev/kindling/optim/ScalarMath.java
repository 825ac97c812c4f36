package dev.kindling.optim;

/** Scalar arithmetic rounded exactly like CPython's (glibc's), so bias corrections and schedules match PyTorch. */
public final class ScalarMath {
    private ScalarMath() {}

    /**
     * {@code base ** exponent} correctly rounded for whole exponents (the optimizer step): exponentiation
     * by squaring in double-double carries ~106 bits, where {@code Math.pow} may be off by one ulp.
     */
    public static double pow(double base, double exponent) {
        if (exponent != Math.rint(exponent) || Math.abs(exponent) > (1L << 40) || !Double.isFinite(base) || base == 0) {
            return Math.pow(base, exponent);
        }
        // an optimizer asks for the same two powers (beta1 and beta2 at this step) once per parameter
        int slot = (Double.hashCode(base) * 31 + Double.hashCode(exponent)) & (RECENT.length - 1);
        Power p = RECENT[slot];
        if (p != null && p.base == base && p.exponent == exponent) return p.value;
        double v = exactPow(base, exponent);
        RECENT[slot] = new Power(base, exponent, v);
        return v;
    }

    private record Power(double base, double exponent, double value) {}

    /** Recent results; each slot holds an immutable entry, so threads may race on the slots without harm. */
    private static final Power[] RECENT = new Power[16];

    private static double exactPow(double base, double exponent) {
        long e = (long) Math.abs(exponent);
        double rh = 1, rl = 0, bh = base, bl = 0;
        while (e > 0) {
            if ((e & 1) != 0) {
                double ph = rh * bh;
                double pl = Math.fma(rh, bh, -ph) + (rh * bl + rl * bh);
                rh = ph + pl;
                rl = pl - (rh - ph);
            }
            e >>= 1;
            if (e > 0) {
                double ph = bh * bh;
                double pl = Math.fma(bh, bh, -ph) + 2 * bh * bl;
                bh = ph + pl;
                bl = pl - (bh - ph);
            }
        }
        if (exponent < 0) {
            double q = 1 / rh;
            // one Newton correction of 1/(rh + rl) in double-double precision
            double r = Math.fma(-q, rh, 1) - q * rl;
            return q + q * r;
        }
        return rh + rl;
    }
}
