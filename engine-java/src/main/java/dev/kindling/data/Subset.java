package dev.kindling.data;

import java.util.Arrays;

/**
 * The samples of a data set at the given indices, in that order ({@code torch.utils.data.Subset}).
 *
 * <pre>{@code Dataset firstTen = new Subset(ds, IntStream.range(0, 10).toArray());}</pre>
 */
public final class Subset implements Dataset {
    private final Dataset dataset;
    private final int[] indices;

    /** Checks every index against {@code dataset.size()}. */
    public Subset(Dataset dataset, int[] indices) {
        if (dataset == null) throw new IllegalArgumentException("Subset: dataset must not be null");
        int n = dataset.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("Subset: indices[" + i + "] = " + indices[i]
                        + " is out of range for a data set of " + n + " samples");
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override public Sample get(int index) {
        return dataset.get(indices[Dataset.checkIndex("Subset.get", index, indices.length)]);
    }

    @Override public int size() { return indices.length; }

    /** The underlying data set. */
    public Dataset dataset() { return dataset; }

    /** The indices into the underlying data set; a copy. */
    public int[] indices() { return indices.clone(); }

    @Override public String toString() { return "Subset(" + indices.length + " of " + dataset.size() + ", first " + Arrays.toString(Arrays.copyOf(indices, Math.min(5, indices.length))) + ")"; }
}
