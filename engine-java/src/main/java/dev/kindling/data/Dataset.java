package dev.kindling.data;

/**
 * A map-style data set ({@code torch.utils.data.Dataset}): {@link #size()} samples, read by index.
 * Implementations must allow concurrent {@code get} calls, because {@link DataLoader} workers read in
 * parallel.
 *
 * <pre>{@code
 * Dataset squares = new Dataset() {
 *     public Sample get(int i) { return Sample.of(Tensor.of((float) i), (long) i * i); }
 *     public int size() { return 100; }
 * };
 * }</pre>
 */
public interface Dataset {
    /** Sample {@code index}, {@code 0 <= index < size()}. */
    Sample get(int index);

    /** Number of samples. */
    int size();

    /** Throws a clear IndexOutOfBoundsException unless {@code 0 <= index < size}; returns index. */
    static int checkIndex(String what, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + ": index " + index + " is out of range for a data set of "
                    + size + " samples");
        }
        return index;
    }
}
