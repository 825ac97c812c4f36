package dev.kindling.data;

import dev.kindling.Tensor;

/**
 * A batch from a {@link DataLoader}: one stacked tensor per item of the samples, e.g. {@code (x, y)} with
 * {@code x} of shape {@code [batch, ...]} and {@code y} of shape {@code [batch]}. Kotlin destructures it:
 * {@code for ((x, y) in loader)}. Closing a batch frees its tensors now instead of at the next garbage
 * collection.
 *
 * <pre>{@code
 * for (Batch b : loader) { Tensor xb = b.get(0), yb = b.get(1); ... }
 * }</pre>
 */
public final class Batch implements AutoCloseable {
    private final Object[] items;

    private Batch(Object[] items) { this.items = items; }

    /** A batch of the given items, normally tensors whose first dimension is the batch. */
    public static Batch of(Object... items) { return new Batch(Items.check("Batch", items)); }

    /** Item {@code i} as a tensor (a number becomes a 0-dimensional tensor). */
    public Tensor get(int i) { return Items.tensor("Batch", items, i); }

    /** Item {@code i} as stored by the collate function. */
    public Object item(int i) { return Items.item("Batch", items, i); }

    /** Number of items (2 for {@code (x, y)}). */
    public int size() { return items.length; }

    /** Item 0 as a tensor, for Kotlin destructuring. */
    public Tensor component1() { return get(0); }

    /** Item 1 as a tensor, for Kotlin destructuring. */
    public Tensor component2() { return get(1); }

    /** Item 2 as a tensor, for Kotlin destructuring. */
    public Tensor component3() { return get(2); }

    /**
     * Closes every tensor of the batch; harmless if they were closed already. The default collate always
     * makes new tensors; a custom collate that hands out a data set's own tensors should not be closed.
     */
    @Override public void close() {
        for (Object o : items) if (o instanceof Tensor t) t.close();
    }

    @Override public String toString() { return Items.toString("Batch", items); }
}
