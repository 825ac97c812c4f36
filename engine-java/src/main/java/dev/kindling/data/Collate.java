package dev.kindling.data;

import java.util.List;

/**
 * Merges the samples of one batch into a {@link Batch} ({@code collate_fn}). The default,
 * {@link #DEFAULT}, stacks the tensors at each position into one tensor with a new first dimension and
 * turns numbers into a 1-dimensional tensor (INT64 for integers, FLOAT32 for floats, FLOAT64 for doubles).
 *
 * <pre>{@code
 * // pad variable-length sequences instead of stacking them
 * Collate pad = samples -> Batch.of(padSequences(samples), lengths(samples));
 * DataLoader.builder(ds).batchSize(8).collate(pad).build();
 * }</pre>
 */
@FunctionalInterface
public interface Collate {
    /** Builds a batch from the samples, in the order the sampler gave them. */
    Batch apply(List<Sample> samples);

    /** PyTorch's {@code default_collate}: stack tensors, tensorize numbers. */
    Collate DEFAULT = samples -> DefaultCollate.collate(samples, null);
}
