package dev.kindling;

/**
 * A seedable random number generator ({@code torch.Generator}): xoshiro256** seeded through SplitMix64.
 * The default generator behind {@code Tensor.rand} is reseeded by {@link Kindling#manualSeed}; pass your
 * own to keep a stream independent of everything else (data shuffling does).
 *
 * <pre>{@code var g = new Generator(42); Tensor x = Tensor.rand(g, 3, 4);}</pre>
 */
public final class Generator {
    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;
    private long seed;

    /** A generator seeded with {@code seed} ({@code torch.Generator().manual_seed(seed)}). */
    public Generator(long seed) { manualSeed(seed); }

    /** Seeded from the clock and a counter, like {@code torch.Generator().seed()}. */
    public Generator() { this(System.nanoTime() ^ 0x9E3779B97F4A7C15L * COUNTER.incrementAndGet()); }

    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    /** Resets the stream: the same seed gives the same numbers. Returns this. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
        hasSpare = false;
        return this;
    }

    /** The seed last given to {@link #manualSeed}. */
    public synchronized long initialSeed() { return seed; }

    /** The full state, to save in a checkpoint and restore with {@link #setState}. */
    public synchronized long[] getState() {
        return new long[]{s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian), seed};
    }

    /** Restores a state obtained from {@link #getState()} ({@code torch.Generator.set_state}); throws IllegalArgumentException unless it holds 7 longs. */
    public synchronized void setState(long[] state) {
        if (state.length != 7) throw new IllegalArgumentException("Generator.setState: expected 7 longs, got " + state.length);
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpare = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
        seed = state[6];
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** 64 random bits. */
    public synchronized long nextLong() { return next(); }

    private long next() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public synchronized double nextDouble() { return uniform(); }

    /** {@link #nextDouble} for a caller holding the lock. */
    private double uniform() { return (next() >>> 11) * 0x1.0p-53; }

    /** Uniform in [0, bound) without modulo bias. */
    public synchronized long nextLong(long bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long m = bound - 1;
        long r = next() >>> 1;
        if ((bound & m) == 0) return r & m;
        for (long u = r; u - (r = u % bound) + m < 0; u = next() >>> 1) { }
        return r;
    }

    /** Standard normal (Box-Muller, both values used). */
    public synchronized double nextGaussian() { return gaussian(); }

    /** {@link #nextGaussian} for a caller holding the lock. */
    private double gaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1, u2;
        do {
            u1 = uniform();
        } while (u1 <= 0);
        u2 = uniform();
        double r = Math.sqrt(-2 * Math.log(u1));
        spareGaussian = r * Math.sin(2 * Math.PI * u2);
        hasSpare = true;
        return r * Math.cos(2 * Math.PI * u2);
    }

    /** Fills {@code out} with uniform [0,1) doubles under one lock. */
    synchronized void fillUniform(double[] out) {
        for (int i = 0; i < out.length; i++) out[i] = uniform();
    }

    synchronized void fillUniform(float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = (next() >>> 40) * 0x1.0p-24f;
    }

    /**
     * Fills {@code out} with {@link #nextGaussian} values under one lock: a synchronized call per element cost more than
     * the sampling (randn of 1M floats took 41 ms, PyTorch 7.6).
     */
    synchronized void fillGaussian(double[] out) {
        for (int i = 0; i < out.length; i++) out[i] = gaussian();
    }

    /** Fills {@code out} with 1 where {@link #nextDouble} {@code < p}, else 0, under one lock (the stream as drawn one by one). */
    synchronized void fillBernoulli(double[] out, double p) {
        for (int i = 0; i < out.length; i++) out[i] = uniform() < p ? 1 : 0;
    }
}
