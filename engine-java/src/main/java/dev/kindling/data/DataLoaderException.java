package dev.kindling.data;

/**
 * A failure while a {@link DataLoader} read or collated samples, naming the sample index (or the indices
 * of the batch) that failed; the original exception is the cause. Thrown on the caller's thread, also when
 * the failure happened in a worker thread.
 *
 * <pre>{@code
 * try { for (Batch b : loader) { ... } }
 * catch (DataLoaderException e) { System.err.println("bad sample " + e.index()); }
 * }</pre>
 */
public final class DataLoaderException extends RuntimeException {
    private final int index;

    /** {@code index} is the failing sample's index in the data set, or -1 when the whole batch failed. */
    public DataLoaderException(String message, int index, Throwable cause) {
        super(message, cause);
        this.index = index;
    }

    /** The data set index of the sample that failed, or -1 when the failure concerns the whole batch. */
    public int index() { return index; }
}
