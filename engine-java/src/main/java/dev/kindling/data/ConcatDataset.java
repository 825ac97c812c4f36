package dev.kindling.data;

import java.util.Arrays;
import java.util.List;

/**
 * Several data sets one after the other ({@code torch.utils.data.ConcatDataset}).
 *
 * <pre>{@code Dataset all = new ConcatDataset(trainSet, extraSet);}</pre>
 */
public final class ConcatDataset implements Dataset {
    private final Dataset[] datasets;
    /** cumulative[k] = number of samples in datasets 0..k. */
    private final int[] cumulative;

    /** The data sets in order; empty ones are allowed. */
    public ConcatDataset(Dataset... datasets) {
        if (datasets.length == 0) throw new IllegalArgumentException("ConcatDataset: expected at least one data set");
        this.datasets = datasets.clone();
        this.cumulative = new int[datasets.length];
        long total = 0;
        for (int k = 0; k < datasets.length; k++) {
            if (datasets[k] == null) throw new IllegalArgumentException("ConcatDataset: data set " + k + " is null");
            total += datasets[k].size();
            if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatDataset: more than 2^31-1 samples in total");
            cumulative[k] = (int) total;
        }
    }

    /** The data sets of the list, in order. */
    public ConcatDataset(List<? extends Dataset> datasets) { this(datasets.toArray(new Dataset[0])); }

    @Override public Sample get(int index) {
        Dataset.checkIndex("ConcatDataset.get", index, size());
        // first data set whose cumulative size exceeds the index
        int k = Arrays.binarySearch(cumulative, index + 1);
        if (k < 0) k = -k - 1;
        while (k > 0 && cumulative[k - 1] > index) k--;
        int start = k == 0 ? 0 : cumulative[k - 1];
        return datasets[k].get(index - start);
    }

    @Override public int size() { return cumulative[cumulative.length - 1]; }
}
