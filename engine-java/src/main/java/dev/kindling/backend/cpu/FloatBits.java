package dev.kindling.backend.cpu;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A float array's elements read and written as their int bits in loops that C2 vectorises. JDK 17's C2 leaves
 * {@code Float.floatToRawIntBits} and {@code Float.intBitsToFloat} scalar inside a loop (and JDK 25's still does);
 * the same moves as {@code sun.misc.Unsafe} accesses to the array are vectorised: building 2^k for 1000 exponents
 * took 0.10-0.13 us that way, 0.6-0.8 us through the bit methods, and 0.6 us copied through a direct buffer seen as
 * ints ({@link FastExp}'s other path). Pairs of floats read and written as one long, and doubles as their long bits,
 * let {@link FloatsAsDoubles} build doubles from floats and round them back with long operations, since C2 leaves the
 * conversions scalar too.
 *
 * <p>On only where that costs nothing else: JDK 17 to 23 (JDK 24 prints a warning on the first use of Unsafe's memory
 * access, JEP 498), the array layouts as expected, {@code -Dkindling.unsafe=false} not set, and a self-test passed.
 * {@link #ON} false leaves the callers to their other path. The accessors check no bounds: every caller checks its
 * range against the arrays' lengths before its loop ({@link #check}), so an index can never leave an array.
 */
final class FloatBits {
    private FloatBits() {}

    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    private static final sun.misc.Unsafe U;
    private static final long BASE, DOUBLE_BASE;
    /** Why it is off, or null when it is on. */
    private static final String WHY_NOT;
    static final boolean ON;

    static {
        sun.misc.Unsafe u = null;
        long base = 0, doubleBase = 0;
        String why;
        if (!Boolean.parseBoolean(System.getProperty("kindling.unsafe", "true"))) why = "-Dkindling.unsafe=false";
        else if (Runtime.version().feature() >= 24) why = "JDK " + Runtime.version().feature() + " warns on sun.misc.Unsafe";
        else {
            try {
                Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                u = (sun.misc.Unsafe) f.get(null);
                base = u.arrayBaseOffset(float[].class);
                doubleBase = u.arrayBaseOffset(double[].class);
                why = u.arrayIndexScale(float[].class) == 4 && u.arrayIndexScale(double[].class) == 8 && base % 8 == 0
                        ? null : "float or double arrays of an unexpected layout";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "sun.misc.Unsafe unavailable", e);
                why = "sun.misc.Unsafe unavailable (" + e + ")";
            }
        }
        U = why == null ? u : null;
        BASE = base;
        DOUBLE_BASE = doubleBase;
        if (why == null) why = selfTest();
        WHY_NOT = why;
        ON = why == null;
    }

    /**
     * All bits where the float of bits {@code b} is above +0, else none (-0's bits are the int minimum; NaN is not
     * above anything): the mask of the branch-free selects of ReLU's, ELU's and LeakyReLU's kernels.
     */
    static int positiveMask(int b) { return (-b & (b - 0x7f800001)) >> 31; }

    /** All bits where the float of bits {@code b} is NaN, else none. */
    static int nanMask(int b) { return (0x7f800000 - (b & 0x7fffffff)) >> 31; }

    /** The bits of {@code a[i]}; {@code i} must be inside {@code a} (see {@link #check}). */
    static int get(float[] a, int i) { return U.getInt(a, BASE + 4L * i); }

    /** Sets {@code a[i]} to the float of {@code bits}; {@code i} must be inside {@code a}. */
    static void put(float[] a, int i, int bits) { U.putInt(a, BASE + 4L * i, bits); }

    /** The bits of {@code a[2p]} (low half) and {@code a[2p + 1]} (high half, little-endian), read as one long. */
    static long getPair(float[] a, int p) { return U.getLong(a, BASE + 8L * p); }

    /** Sets {@code a[2p]} and {@code a[2p + 1]} to the floats of the low and high halves of {@code bits}. */
    static void putPair(float[] a, int p, long bits) { U.putLong(a, BASE + 8L * p, bits); }

    /** The bits of {@code a[i]}; {@code i} must be inside {@code a}. */
    static long get(double[] a, int i) { return U.getLong(a, DOUBLE_BASE + 8L * i); }

    /** Sets {@code a[i]} to the double of {@code bits}; {@code i} must be inside {@code a}. */
    static void put(double[] a, int i, long bits) { U.putLong(a, DOUBLE_BASE + 8L * i, bits); }

    /** Throws unless the first {@code n} elements lie inside each array: the check every loop over {@link #get} makes first. */
    static void check(int n, float[] a, float[] b, float[] c) {
        java.util.Objects.checkFromIndexSize(0, n, Math.min(a.length, Math.min(b.length, c.length)));
    }

    /** One line for {@code Kindling.doctor()}. */
    static String describe() {
        return WHY_NOT == null ? "exp, sigmoid, softmax and log move float bits in vectorised loops (sun.misc.Unsafe)"
                : "exp, sigmoid and softmax move float bits through a buffer, log takes Math.log: " + WHY_NOT;
    }

    private static String selfTest() {
        float[] a = {0f, -0f, 1f, -2.5f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 3e-30f};
        for (int i = 0; i < a.length; i++) {
            int want = Float.floatToRawIntBits(a[i]);
            if (get(a, i) != want) return "self-test: read " + Integer.toHexString(get(a, i)) + " for " + Integer.toHexString(want);
            put(a, i, 0x3f800000 + i);
            if (Float.floatToRawIntBits(a[i]) != 0x3f800000 + i) return "self-test: a write did not land";
        }
        // pairs are little-endian (the element of the lower index in the low half), as the pair accessors' users assume
        float[] pair = {1f, -2f};
        if (getPair(pair, 0) != (0xc0000000L << 32 | 0x3f800000L)) return "self-test: a float pair read as " + Long.toHexString(getPair(pair, 0));
        double[] d = {0.5};
        if (get(d, 0) != Double.doubleToRawLongBits(0.5)) return "self-test: a double read as " + Long.toHexString(get(d, 0));
        put(d, 0, Double.doubleToRawLongBits(-3.25));
        if (d[0] != -3.25) return "self-test: a double write did not land";
        return null;
    }
}
