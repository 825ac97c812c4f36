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
