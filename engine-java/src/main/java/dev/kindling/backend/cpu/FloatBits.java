package dev.kindling.backend.cpu;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
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
 * <p>Two ways, chosen once: on JDK 17 to 23, {@code sun.misc.Unsafe} ({@link #UNSAFE}); on JDK 24 and later, whose
 * {@code Unsafe} warns on its first memory access (JEP 498) and will throw later, heap memory segments of the arrays
 * ({@code java.lang.foreign}, final since JDK 22), whose accesses C2 vectorises there as well (JDK 25: the sign of 1024
 * floats 0.21 us, 0.19 through Unsafe, 1.3 with a branch per element). The build compiles for Java 17, so the
 * segments' accessors are method handles looked up once ({@link Foreign}); held in static finals they inline into the
 * loops like direct calls. Pairs exist only through Unsafe ({@link #PAIRS}): where segments serve, C2 vectorises the
 * conversions between float and double themselves (JDK 20 and later), which {@link FloatsAsDoubles} then uses.
 *
 * <p>{@link #ON} false (neither way works, {@code -Dkindling.unsafe=false} on JDK 17 to 21, or the self-test failed)
 * leaves the callers to their other path. The Unsafe accessors check no bounds: every caller checks its range against
 * the arrays' lengths before its loop ({@link #check}), so an index can never leave an array (the segments' accessors
 * check anyway).
 */
final class FloatBits {
    private FloatBits() {}

    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    private static final sun.misc.Unsafe U;
    private static final long BASE, DOUBLE_BASE;
    /** Why it is off, or null when it is on. */
    private static final String WHY_NOT;
    /** The bits move through {@code sun.misc.Unsafe} (else through memory segments, where {@link #ON}). */
    static final boolean UNSAFE;
    static final boolean ON;
    /** {@link #getPair} and {@link #putPair} work: through Unsafe only. */
    static final boolean PAIRS;

    static {
        sun.misc.Unsafe u = null;
        long base = 0, doubleBase = 0;
        String why;
        int feature = Runtime.version().feature();
        if (!Boolean.parseBoolean(System.getProperty("kindling.unsafe", "true"))) why = "-Dkindling.unsafe=false";
        else if (feature >= 24) why = "JDK " + feature + " warns on sun.misc.Unsafe";
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
        UNSAFE = why == null;
        if (!UNSAFE && feature >= 22) {
            // the memory segments instead: a JDK that cannot give them keeps Unsafe's reason
            String foreign = Foreign.WHY_NOT;
            why = foreign == null ? null : why + "; java.lang.foreign: " + foreign;
        }
        if (why == null) {
            try {
                why = selfTest();
            } catch (RuntimeException | LinkageError e) {
                why = "self-test: " + e;
            }
        }
        WHY_NOT = why;
        ON = why == null;
        PAIRS = ON && UNSAFE;
    }

    /**
     * All bits where the float of bits {@code b} is above +0, else none (-0's bits are the int minimum; NaN is not
     * above anything): the mask of the branch-free selects of ReLU's, ELU's and LeakyReLU's kernels.
     */
    static int positiveMask(int b) { return (-b & (b - 0x7f800001)) >> 31; }

    /** All bits where the float of bits {@code b} is NaN, else none. */
    static int nanMask(int b) { return (0x7f800000 - (b & 0x7fffffff)) >> 31; }

    /** The bits of {@code a[i]}; {@code i} must be inside {@code a} (see {@link #check}). */
    static int get(float[] a, int i) { return UNSAFE ? U.getInt(a, BASE + 4L * i) : Foreign.get(a, i); }

    /** Sets {@code a[i]} to the float of {@code bits}; {@code i} must be inside {@code a}. */
    static void put(float[] a, int i, int bits) {
        if (UNSAFE) U.putInt(a, BASE + 4L * i, bits);
        else Foreign.put(a, i, bits);
    }

    /**
     * The bits of {@code a[2p]} (low half) and {@code a[2p + 1]} (high half, little-endian), read as one long; only where
     * {@link #PAIRS}.
     */
    static long getPair(float[] a, int p) { return U.getLong(a, BASE + 8L * p); }

    /** Sets {@code a[2p]} and {@code a[2p + 1]} to the floats of the low and high halves of {@code bits}; only where {@link #PAIRS}. */
    static void putPair(float[] a, int p, long bits) { U.putLong(a, BASE + 8L * p, bits); }

    /** The bits of {@code a[i]}; {@code i} must be inside {@code a}. */
    static long get(double[] a, int i) { return UNSAFE ? U.getLong(a, DOUBLE_BASE + 8L * i) : Foreign.get(a, i); }

    /** Sets {@code a[i]} to the double of {@code bits}; {@code i} must be inside {@code a}. */
    static void put(double[] a, int i, long bits) {
        if (UNSAFE) U.putLong(a, DOUBLE_BASE + 8L * i, bits);
        else Foreign.put(a, i, bits);
    }

    /** Throws unless the first {@code n} elements lie inside each array: the check every loop over {@link #get} makes first. */
    static void check(int n, float[] a, float[] b, float[] c) {
        java.util.Objects.checkFromIndexSize(0, n, Math.min(a.length, Math.min(b.length, c.length)));
    }

    /** One line for {@code Kindling.doctor()}. */
    static String describe() {
        return WHY_NOT == null ? "exp, sigmoid, softmax and log move float bits in vectorised loops ("
                + (UNSAFE ? "sun.misc.Unsafe" : "java.lang.foreign memory segments") + ")"
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
        if (UNSAFE && getPair(pair, 0) != (0xc0000000L << 32 | 0x3f800000L)) {
            return "self-test: a float pair read as " + Long.toHexString(getPair(pair, 0));
        }
        double[] d = {0.5};
        if (get(d, 0) != Double.doubleToRawLongBits(0.5)) return "self-test: a double read as " + Long.toHexString(get(d, 0));
        put(d, 0, Double.doubleToRawLongBits(-3.25));
        if (d[0] != -3.25) return "self-test: a double write did not land";
        return null;
    }

    /**
     * The memory-segment accessors, {@code MemorySegment.ofArray(a)} then an element of {@code JAVA_INT} (of
     * {@code JAVA_LONG} for doubles) at an index, as method handles of {@code (float[], long)int} and so on, looked up
     * by reflection on the first use (the build's {@code --release 17} has no {@code java.lang.foreign}). Loaded only
     * where {@link #UNSAFE} is false on JDK 22 or later.
     */
    private static final class Foreign {
        private static final MethodHandle GET_F, PUT_F, GET_D, PUT_D;
        /** Why the handles could not be made, or null. */
        static final String WHY_NOT;

        static {
            MethodHandle[] h = new MethodHandle[4];
            String why = null;
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                Class<?> layouts = Class.forName("java.lang.foreign.ValueLayout");
                MethodHandle ofFloats = lookup.findStatic(segment, "ofArray", MethodType.methodType(segment, float[].class));
                MethodHandle ofDoubles = lookup.findStatic(segment, "ofArray", MethodType.methodType(segment, double[].class));
                VarHandle ints = elements(layouts, "JAVA_INT"), longs = elements(layouts, "JAVA_LONG");
                h[0] = access(ints, VarHandle.AccessMode.GET, ofFloats, MethodType.methodType(int.class, float[].class, long.class));
                h[1] = access(ints, VarHandle.AccessMode.SET, ofFloats, MethodType.methodType(void.class, float[].class, long.class, int.class));
                h[2] = access(longs, VarHandle.AccessMode.GET, ofDoubles, MethodType.methodType(long.class, double[].class, long.class));
                h[3] = access(longs, VarHandle.AccessMode.SET, ofDoubles, MethodType.methodType(void.class, double[].class, long.class, long.class));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.FINE, "java.lang.foreign unavailable", e);
                why = e.toString();
            }
            GET_F = h[0];
            PUT_F = h[1];
            GET_D = h[2];
            PUT_D = h[3];
            WHY_NOT = why;
        }

        /** The layout's {@code arrayElementVarHandle()}: coordinates (segment, base offset, index). */
        private static VarHandle elements(Class<?> layouts, String layout) throws ReflectiveOperationException {
            Object l = layouts.getField(layout).get(null);
            Class<?> pathElement = Class.forName("java.lang.foreign.MemoryLayout$PathElement");
            Object none = Array.newInstance(pathElement, 0);
            return (VarHandle) Class.forName("java.lang.foreign.MemoryLayout")
                    .getMethod("arrayElementVarHandle", none.getClass()).invoke(l, none);
        }

        /** The access as a handle of {@code type}: the base offset bound to 0, the segment made from the array. */
        private static MethodHandle access(VarHandle elements, VarHandle.AccessMode mode, MethodHandle ofArray, MethodType type) {
            MethodHandle h = MethodHandles.insertArguments(elements.toMethodHandle(mode), 1, 0L);
            return MethodHandles.filterArguments(h, 0, ofArray).asType(type);
        }

        static int get(float[] a, int i) {
            try {
                return (int) GET_F.invokeExact(a, (long) i);
            } catch (Throwable t) {
                throw unchecked(t);
            }
        }

        static void put(float[] a, int i, int bits) {
            try {
                PUT_F.invokeExact(a, (long) i, bits);
            } catch (Throwable t) {
                throw unchecked(t);
            }
        }

        static long get(double[] a, int i) {
            try {
                return (long) GET_D.invokeExact(a, (long) i);
            } catch (Throwable t) {
                throw unchecked(t);
            }
        }

        static void put(double[] a, int i, long bits) {
            try {
                PUT_D.invokeExact(a, (long) i, bits);
            } catch (Throwable t) {
                throw unchecked(t);
            }
        }

        /** The accessors throw only what a segment access throws (out of bounds: an unchecked exception). */
        private static RuntimeException unchecked(Throwable t) {
            if (t instanceof RuntimeException r) throw r;
            if (t instanceof Error e) throw e;
            throw new IllegalStateException(t);
        }
    }
}
