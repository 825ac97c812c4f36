package dev.kindling.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Gives the order in which a {@link DataLoader} reads sample indices, one epoch per {@code iterator()}
 * call ({@code torch.utils.data.Sampler}). {@link #size()} is the number of indices per epoch.
 *
 * <pre>{@code
 * Sampler s = new RandomSampler(ds.size(), new Generator(0));
 * for (int i : s) { ... }
 * }</pre>
 */
public interface Sampler extends Iterable<Integer> {
    /** Number of indices one epoch yields. */
    int size();

    /** An iterator over a ready array of indices: what most samplers return from {@code iterator()}. */
    static Iterator<Integer> over(int[] indices) {
        return new Iterator<>() {
            int at;

            @Override public boolean hasNext() { return at < indices.length; }

            @Override public Integer next() {
                if (at >= indices.length) throw new NoSuchElementException();
                return indices[at++];
            }
        };
    }
}
