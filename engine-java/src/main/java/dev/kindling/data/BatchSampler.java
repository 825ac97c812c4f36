package dev.kindling.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Groups the indices of a {@link Sampler} into batches ({@code torch.utils.data.BatchSampler}); the last,
 * shorter batch is dropped when {@code dropLast}. Subclass it to form batches another way (for example by
 * sequence length), overriding {@link #iterator()} and {@link #size()}.
 *
 * <pre>{@code
 * var bs = new BatchSampler(new SequentialSampler(10), 3, false);   // [0,1,2] [3,4,5] [6,7,8] [9]
 * }</pre>
 */
public class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    /** Batches of {@code batchSize} indices of {@code sampler}; the short last one is dropped if {@code dropLast}. */
    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (sampler == null) throw new IllegalArgumentException("BatchSampler: sampler must not be null");
        if (batchSize <= 0) throw new IllegalArgumentException("BatchSampler: batchSize should be a positive integer, got " + batchSize);
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** One epoch of batches of indices. */
    @Override public Iterator<int[]> iterator() {
        Iterator<Integer> it = sampler.iterator();
        return new Iterator<>() {
            int[] next = advance();

            private int[] advance() {
                int[] b = new int[batchSize];
                int k = 0;
                while (k < batchSize && it.hasNext()) b[k++] = it.next();
                if (k == 0 || (k < batchSize && dropLast)) return null;
                return k == batchSize ? b : Arrays.copyOf(b, k);
            }

            @Override public boolean hasNext() { return next != null; }

            @Override public int[] next() {
                if (next == null) throw new NoSuchElementException();
                int[] b = next;
                next = advance();
                return b;
            }
        };
    }

    /** Number of batches per epoch. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The sampler whose indices are grouped. */
    public Sampler sampler() { return sampler; }

    /** Indices per batch. */
    public int batchSize() { return batchSize; }

    /** Whether a last, incomplete batch is dropped. */
    public boolean dropLast() { return dropLast; }
}
