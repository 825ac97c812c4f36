package dev.kindling.data;

/**
 * A stream-style data set ({@code torch.utils.data.IterableDataset}): samples come in the order its
 * iterator gives them, e.g. lines of a large file. A {@link DataLoader} over it batches consecutive samples;
 * samplers and shuffling do not apply. Each {@code iterator()} call starts a new pass (epoch).
 *
 * <pre>{@code
 * IterableDataset counting = () -> IntStream.range(0, 10).mapToObj(i -> Sample.of(Tensor.of((float) i))).iterator();
 * }</pre>
 */
@FunctionalInterface
public interface IterableDataset extends Iterable<Sample> {
}
