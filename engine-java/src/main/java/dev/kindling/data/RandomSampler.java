package dev.kindling.data;

import dev.kindling.Generator;

import java.util.Iterator;

/**
 * Random indices in {@code [0, n)} ({@code torch.utils.data.RandomSampler}): without replacement a fresh
 * permutation each epoch (each index exactly once); with replacement {@code numSamples} independent draws.
 * The generator's stream continues from epoch to epoch, so epochs differ and the whole sequence is
 * reproducible from its seed.
 *
 * <pre>{@code
 * Sampler perm = new RandomSampler(1000, new Generator(42));
 * Sampler boot = new RandomSampler(1000, true, 500, new Generator(42));   // 500 draws with replacement
 * }</pre>
 */
public final class RandomSampler implements Sampler {
    private final int n;
    private final boolean replacement;
    private final int numSamples;
    private final Generator generator;

    /** A permutation of {@code [0, n)} per epoch. */
    public RandomSampler(int n, Generator generator) { this(n, false, n, generator); }

    /**
     * {@code numSamples} indices per epoch; without replacement they are taken from consecutive
     * permutations (PyTorch allows more samples than {@code n} this way).
     */
    public RandomSampler(int n, boolean replacement, int numSamples, Generator generator) {
        if (n < 0) throw new IllegalArgumentException("RandomSampler: n must be >= 0, got " + n);
        if (numSamples < 0) throw new IllegalArgumentException("RandomSampler: numSamples should be a non-negative integer, got " + numSamples);
        if (numSamples > 0 && n == 0) throw new IllegalArgumentException("RandomSampler: cannot draw " + numSamples + " samples from an empty data set");
        if (generator == null) throw new IllegalArgumentException("RandomSampler: generator must not be null");
        this.n = n;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
    }

    @Override public Iterator<Integer> iterator() {
        int[] out = new int[numSamples];
        if (replacement) {
            for (int i = 0; i < numSamples; i++) out[i] = (int) generator.nextLong(n);
        } else {
            for (int at = 0; at < numSamples; at += n) {
                int[] perm = permutation(n, generator);
                System.arraycopy(perm, 0, out, at, Math.min(n, numSamples - at));
            }
        }
        return Sampler.over(out);
    }

    @Override public int size() { return numSamples; }

    /** A uniformly random permutation of {@code [0, n)} (Fisher-Yates). */
    static int[] permutation(int n, Generator g) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
