package dev.kindling.data;

import java.util.Iterator;
import java.util.stream.IntStream;

/**
 * Indices {@code 0, 1, ..., n-1} in order ({@code torch.utils.data.SequentialSampler}).
 *
 * <pre>{@code Sampler s = new SequentialSampler(ds.size());}</pre>
 */
public final class SequentialSampler implements Sampler {
    private final int n;

    /** Indices {@code 0..n-1}. */
    public SequentialSampler(int n) {
        if (n < 0) throw new IllegalArgumentException("SequentialSampler: n must be >= 0, got " + n);
        this.n = n;
    }

    @Override public Iterator<Integer> iterator() { return IntStream.range(0, n).iterator(); }

    @Override public int size() { return n; }
}
