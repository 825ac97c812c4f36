package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which way {@link FloatBits} moves the bits on this JDK, and that both ways read and write every bit pattern as the
 * bit methods do (NaN payloads included). The kernels' own tests then run on whichever way is on: on JDK 17 through
 * {@code sun.misc.Unsafe}, on JDK 24 and later through memory segments (the build runs the kernel tests on Temurin 25
 * too where it is installed: the {@code jdk25} profile of engine-java's pom).
 */
class FloatBitsTest {
    private static final int FEATURE = Runtime.version().feature();
    private static final boolean UNSAFE_ALLOWED = Boolean.parseBoolean(System.getProperty("kindling.unsafe", "true"));

    @Test
    void theWayFollowsTheJdk() {
        String why = FloatBits.describe();
        if (FEATURE < 24 && UNSAFE_ALLOWED) {
            assertTrue(FloatBits.ON && FloatBits.UNSAFE && FloatBits.PAIRS, why);
        } else if (FEATURE >= 22) {
            // no Unsafe, yet the kernels keep their vectorised bit moves (JDK 25 without them: sign 13x, where 6x slower)
            assertTrue(FloatBits.ON, why);
            assertFalse(FloatBits.UNSAFE || FloatBits.PAIRS, why);
            assertTrue(why.contains("java.lang.foreign"), why);
        } else {
            assertFalse(FloatBits.ON, why);
        }
    }

    @Test
    void readsAndWritesEveryPatternAsTheBitMethods() {
        if (!FloatBits.ON) return;
        SplittableRandom r = new SplittableRandom(5);
        float[] a = new float[4096], b = new float[4096];
        double[] d = new double[4096], e = new double[4096];
        int[] special = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffbfffff, 1, 0x807fffff};
        for (int i = 0; i < a.length; i++) {
            int bits = i < special.length ? special[i] : r.nextInt();
            a[i] = Float.intBitsToFloat(bits);
            d[i] = Double.longBitsToDouble(i < special.length ? (long) special[i] << 32 | 0x7ff0000000000001L : r.nextLong());
        }
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), FloatBits.get(a, i), "float " + i);
            FloatBits.put(b, i, FloatBits.get(a, i));
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "float written " + i);
            assertEquals(Double.doubleToRawLongBits(d[i]), FloatBits.get(d, i), "double " + i);
            FloatBits.put(e, i, FloatBits.get(d, i));
            assertEquals(Double.doubleToRawLongBits(d[i]), Double.doubleToRawLongBits(e[i]), "double written " + i);
        }
        if (FloatBits.PAIRS) {
            for (int p = 0; p < a.length / 2; p++) {
                long want = Float.floatToRawIntBits(a[2 * p]) & 0xffffffffL | (long) Float.floatToRawIntBits(a[2 * p + 1]) << 32;
                assertEquals(want, FloatBits.getPair(a, p), "pair " + p);
            }
        }
    }

    @Test
    void loopsCheckTheirRangeFirst() {
        float[] small = new float[8], large = new float[16];
        assertThrows(IndexOutOfBoundsException.class, () -> FloatBits.check(9, large, small, large));
        FloatBits.check(8, large, small, large);
    }
}
