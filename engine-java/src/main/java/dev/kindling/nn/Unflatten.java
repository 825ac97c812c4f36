package dev.kindling.nn;

import dev.kindling.Tensor;

/** Splits dimension {@code dim} into {@code sizes} ({@code torch.nn.Unflatten}): {@code new Unflatten(1, 1, 28, 28)}. */
public class Unflatten extends Module {
    /** Dimension that is expanded into the module's sizes. */
    public final int dim;
    private final int[] sizes;

    /** Splits dimension {@code dim} into {@code sizes} (one may be -1). */
    public Unflatten(int dim, int... sizes) {
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override public Tensor forward(Tensor x) {
        try {
            return x.unflatten(dim, sizes);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + tuple(sizes); }
}
