package dev.kindling.data;

import dev.kindling.Tensor;

/**
 * One example from a {@link Dataset}: a small tuple, usually {@code (input, target)}. Items are tensors,
 * boxed numbers (a class label) or, before a transform turned them into tensors, other objects such as an
 * {@link Image}. Kotlin destructures it: {@code val (x, y) = ds[0]}.
 *
 * <pre>{@code
 * Sample s = Sample.of(Tensor.rand(3), 1);     // input tensor and an integer label
 * Tensor x = s.get(0), y = s.get(1);           // y is a 0-dimensional INT64 tensor
 * }</pre>
 */
public final class Sample {
    private final Object[] items;

    private Sample(Object[] items) { this.items = items; }

    /** A sample of the given items (tensors, numbers or other objects), in order. */
    public static Sample of(Object... items) { return new Sample(Items.check("Sample", items)); }

    /** Item {@code i} as a tensor; a number becomes a 0-dimensional tensor (INT64 for integers). */
    public Tensor get(int i) { return Items.tensor("Sample", items, i); }

    /** Item {@code i} as stored: a Tensor, a Number, an Image... */
    public Object item(int i) { return Items.item("Sample", items, i); }

    /** Number of items. */
    public int size() { return items.length; }

    /** Item 0 as a tensor, for Kotlin destructuring. */
    public Tensor component1() { return get(0); }

    /** Item 1 as a tensor, for Kotlin destructuring. */
    public Tensor component2() { return get(1); }

    /** Item 2 as a tensor, for Kotlin destructuring. */
    public Tensor component3() { return get(2); }

    @Override public String toString() { return Items.toString("Sample", items); }
}
