package dev.kindling.backend.cpu;

/**
 * A float32 function computed in double in loops C2 vectorises, bit for bit {@code (float) f(x)} of a double function
 * {@code f} accurate to an ulp or two: log ({@link FastLog}), tanh, expm1, log1p ({@link Expm1Log1p}) and erf
 * ({@link ErfKernel}). Per element, {@code Math.tanh}, {@code Math.expm1} and {@code Math.log1p} are JNI calls into
 * fdlibm on JDK 17 (60-70 ns each: {@code x.tanh()} was 35x behind PyTorch), {@code Math.log} with its conversions
 * 9-22 ns; a double kernel over a block of 1024 costs 3-7 ns an element (erf's 8-10).
 *
 * <p>JDK 17's C2 vectorises neither float-to-double conversions nor bit moves between floats and longs, so the floats
 * are read in pairs as longs ({@link FloatBits#getPair}) and their doubles built with integer operations, the even
 * elements into {@code [0, HALF)} of a scratch array and the odd into {@code [HALF, BLOCK)} ({@link #split}). (Where
 * {@link FloatBits} moves bits through memory segments, JDK 24 and later, there are no pairs, and C2 vectorises the
 * conversions themselves: {@link #split} and {@link #join} convert, a block's first half into {@code [0, HALF)}.) The
 * function's {@link Kernel} runs over each half in double, within a few double ulps of the true value. The results
 * are rounded to float with integer operations, half to even ({@link #join}); inputs below 2^-100 are kept as they
 * are where the function is x there ({@link #keepTiny}). {@link #near} flags each result whose dropped bits lie within
 * {@link #NEAR} double ulps of a float halfway point (a kernel less accurate than a few ulps widens that margin: erf's
 * polynomials take 1024, see {@link Kernel#Kernel(float, float, float, int)}): there the kernel's error could decide
 * the rounding, and those elements, like the inputs a kernel does not take (NaN, outside its limits:
 * {@link #specials}), are computed again by {@link Kernel#exact}. Wherever the kernel and {@code f} are both within
 * half the margin of the true value, no halfway point lies between them, so both round to the same float: the
 * results are {@code (float) f(x)} on every input, which the tests check over every 127th float bit pattern (every
 * 61st positive float for log) and, with {@code -Dkindling.exhaustive=true}, over all of them.
 */
final class FloatsAsDoubles {
    private FloatsAsDoubles() {}

    /**
     * Elements per block: the even ones go to {@code [0, HALF)} of the scratch arrays, the odd ones to {@code [HALF, BLOCK)}
     * whatever the block's length. A constant offset: with the odd ones at {@code np + j} for a block of {@code np} pairs,
     * C2 left the loops scalar (2x slower).
     */
    private static final int BLOCK = 1024, HALF = BLOCK / 2;
    /** Results within {@code NEAR = 2^(NEAR_SHIFT - 1)} double ulps of a float halfway point are computed again. */
    private static final int NEAR_SHIFT = 7;
    static final int NEAR = 1 << (NEAR_SHIFT - 1);
    /** Added to a float's exponent field, moved 29 bits up, it is the double's (1023 - 127 = 896). */
    private static final long REBIAS = 896L << 52;
    /**
     * The float bits of 2^-100. The kernels' functions are x itself in float below it (tanh, expm1, log1p: the next
     * term is 2^-100 times smaller), and {@link #keepTiny} gives x there: {@link #split} does not build the doubles of
     * zeros and subnormals, nor {@link #round} round to them.
     */
    private static final int TINY_BITS = 0x0d800000;

    /** One double function over blocks. Implementations keep no state: one instance serves every thread. */
    abstract static class Kernel {
        /** The bits of the largest |x| the kernel takes, for positive and for negative x (NaN never). */
        private final int positiveLimitBits, negativeLimitBits;

        /** The bits of the smallest |x| the kernel takes: 0 where f(x) is x in float below 2^-100 (see {@link #TINY_BITS}). */
        private final int smallestBits;

        /** {@code largestPositive} and {@code largestNegative} (a magnitude) may be infinite, which the kernel then takes. */
        Kernel(float largestPositive, float largestNegative) { this(largestPositive, largestNegative, 0f); }

        /** How far from a float halfway point a result must lie to stand: {@code 2^(nearShift - 1)} double ulps. */
        private final int nearShift;

        /** {@code smallest}: the least |x| the kernel takes; smaller ones (zeros, subnormals) are special. */
        Kernel(float largestPositive, float largestNegative, float smallest) {
            this(largestPositive, largestNegative, smallest, NEAR_SHIFT);
        }

        /**
         * {@code nearShift}: results within {@code 2^(nearShift - 1)} double ulps of a float halfway point are computed
         * again; a kernel less accurate than a few ulps (within {@code 2^(nearShift - 2)} ulps of {@code f}) widens it.
         */
        Kernel(float largestPositive, float largestNegative, float smallest, int nearShift) {
            if (nearShift < NEAR_SHIFT || nearShift > 20) throw new IllegalArgumentException("nearShift " + nearShift);
            positiveLimitBits = Float.floatToRawIntBits(largestPositive);
            negativeLimitBits = Float.floatToRawIntBits(largestNegative);
            smallestBits = Float.floatToRawIntBits(smallest);
            this.nearShift = nearShift;
        }

        /**
         * {@code x[j] = f(x[j])} for {@code j} in {@code [from, to)}; {@code s} is scratch. Inputs may be special or not
         * doubles of the floats (those below 2^-100): their results are replaced, but they must not throw.
         */
        abstract void run(double[] x, Scratch s, int from, int to);

        /** The function itself, for special inputs and results near a halfway point. */
        abstract double exact(double x);
    }

    /** Per thread: the block's doubles and scratch for the kernels. */
    static final class Scratch {
        final double[] x = new double[BLOCK], a = new double[BLOCK], b = new double[BLOCK], c = new double[BLOCK],
                d = new double[BLOCK], e = new double[BLOCK], f = new double[BLOCK], g = new double[BLOCK],
                h = new double[BLOCK], k = new double[BLOCK];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** {@code o[i] = (float) f(a[i])} for the first {@code n} elements; {@code a} must not be {@code o}. */
    static void apply(Kernel f, float[] a, float[] o, int n) {
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) o[i] = (float) f.exact(a[i]);
            return;
        }
        java.util.Objects.checkFromIndexSize(0, n, Math.min(a.length, o.length));
        Scratch sc = SCRATCH.get();
        int pairs = n >>> 1;
        boolean special = specials(f, a, 0, n) != 0, tiny = f.smallestBits == 0 && tiny(a, 0, n) != 0;
        for (int p0 = 0; p0 < pairs; p0 += HALF) {
            int np = Math.min(HALF, pairs - p0);
            split(a, p0, np, sc.x);
            f.run(sc.x, sc, 0, np);
            f.run(sc.x, sc, HALF, HALF + np);
            join(o, p0, np, sc.x);
            if (tiny) keepTiny(a, o, 2 * p0, 2 * (p0 + np));
            if (special || near(sc.x, 0, np, f.nearShift) + near(sc.x, HALF, HALF + np, f.nearShift) != 0) fix(f, a, o, p0, np, sc.x);
        }
        if ((n & 1) != 0) o[n - 1] = (float) f.exact(a[n - 1]);
    }

    /**
     * How many of {@code a[from .. from + len)} the kernel does not take: NaN, or outside the kernel's limits. A loop of
     * its own over the floats' int bits: flags folded into {@link #split}'s loop left it scalar.
     */
    private static int specials(Kernel f, float[] a, int from, int len) {
        int pos = f.positiveLimitBits, neg = f.negativeLimitBits, low = f.smallestBits, count = 0;
        for (int i = from; i < from + len; i++) {
            int b = FloatBits.get(a, i), abs = b & 0x7fffffff, limit = pos + ((b >> 31) & (neg - pos));
            count += ((limit - abs) >>> 31) + ((abs - low) >>> 31);
        }
        return count;
    }

    /**
     * Pairs {@code p0 ..} of {@code a} into {@code x} as doubles: through pairs of bits, the even elements at {@code j} and
     * the odd at {@code HALF + j}; converted, the first {@code np} elements at {@code j} and the next at {@code HALF + j}
     * ({@link #index}).
     */
    private static void split(float[] a, int p0, int np, double[] x) {
        if (!FloatBits.PAIRS) {
            int from = 2 * p0;
            for (int j = 0; j < np; j++) x[j] = a[from + j];
            for (int j = 0; j < np; j++) x[HALF + j] = a[from + np + j];
            return;
        }
        for (int j = 0; j < np; j++) {
            long pair = FloatBits.getPair(a, p0 + j);
            FloatBits.put(x, j, widen(pair & 0xffffffffL));
            FloatBits.put(x, HALF + j, widen(pair >>> 32));
        }
    }

    /** The double bits of the normal float of bits {@code b} (zero-extended): exponent rebiased, mantissa moved up, sign kept. */
    private static long widen(long b) {
        return ((b & 0x7fffffffL) << 29) + REBIAS | (b >>> 31) << 63;
    }

    /** The doubles of pairs {@code p0 ..} rounded to float, half to even, into {@code o}. */
    private static void join(float[] o, int p0, int np, double[] x) {
        if (!FloatBits.PAIRS) {
            int from = 2 * p0;
            for (int j = 0; j < np; j++) o[from + j] = (float) x[j];
            for (int j = 0; j < np; j++) o[from + np + j] = (float) x[HALF + j];
            return;
        }
        for (int j = 0; j < np; j++) FloatBits.putPair(o, p0 + j, round(FloatBits.get(x, j)) | round(FloatBits.get(x, HALF + j)) << 32);
    }

    /** How many of {@code a[from .. to)} are below 2^-100 in magnitude (zeros and subnormals included). */
    private static int tiny(float[] a, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) count += ((FloatBits.get(a, i) & 0x7fffffff) - TINY_BITS) >>> 31;
        return count;
    }

    /** {@code o[i] = a[i]} where {@code a[i]} is below 2^-100 in magnitude, in a branch-free int loop. */
    private static void keepTiny(float[] a, float[] o, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = FloatBits.get(a, i), t = ((b & 0x7fffffff) - TINY_BITS) >> 31;
            FloatBits.put(o, i, FloatBits.get(o, i) & ~t | b & t);
        }
    }

    /**
     * The float bits of the double of bits {@code d}, rounded half to even, where {@code |d|} is zero (log 1) or in the
     * normal floats' range.
     */
    private static long round(long d) {
        long t = (d & Long.MAX_VALUE) - REBIAS, zero = ((d & Long.MAX_VALUE) - 1) >> 63;
        // masked to 31 bits: a special input's number may round to more, which would spill into the other element of
        // the pair before fix() replaces it
        return ((t + 0x0fffffffL + (t >>> 29 & 1)) >>> 29 & 0x7fffffffL & ~zero) | (d >>> 63) << 31;
    }

    /** How many of the doubles in {@code x[from .. to)} are within {@code 2^(shift - 1)} double ulps of a float halfway point. */
    private static long near(double[] x, int from, int to, int shift) {
        long count = 0, near = 1L << (shift - 1);
        for (int j = from; j < to; j++) count += nearHalf(FloatBits.get(x, j), near, shift);
        return count;
    }

    /** 1 when the 29 bits of {@code d} below float precision are within {@code near = 2^(shift - 1)} of a half, else 0. */
    private static long nearHalf(long d, long near, int shift) {
        long off = ((d & 0x1fffffffL) - 0x10000000L + near) >>> shift;   // 0 for [half - near, half + near)
        return (off - 1) >>> 63;
    }

    /** The element of {@code a} whose double {@link #split} put at {@code j} (at {@code HALF + j} where {@code odd}). */
    private static int index(int p0, int np, int j, boolean odd) {
        if (FloatBits.PAIRS) return 2 * (p0 + j) + (odd ? 1 : 0);
        return 2 * p0 + j + (odd ? np : 0);
    }

    /** The inputs of pairs {@code p0 ..} that are special or whose results are near a halfway point, again by {@code exact}. */
    private static void fix(Kernel f, float[] a, float[] o, int p0, int np, double[] x) {
        int shift = f.nearShift;
        long near = 1L << (shift - 1);
        for (int j = 0; j < np; j++) {
            int i = index(p0, np, j, false), k = index(p0, np, j, true);
            if (specials(f, a, i, 1) != 0 || nearHalf(FloatBits.get(x, j), near, shift) != 0) o[i] = (float) f.exact(a[i]);
            if (specials(f, a, k, 1) != 0 || nearHalf(FloatBits.get(x, HALF + j), near, shift) != 0) o[k] = (float) f.exact(a[k]);
        }
    }
}
