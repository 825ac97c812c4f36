package dev.kindling.backend.cuda;

/**
 * The GPU has no room for an allocation even after the caching allocator handed its cached blocks back to
 * the driver and retried ({@code torch.cuda.OutOfMemoryError}). The message says how much was asked for and
 * how much the allocator holds:
 * {@code CUDA out of memory on cuda:0: tried to allocate 2.00 GiB; 7.50 GiB allocated by tensors, 7.52 GiB reserved by Kindling}.
 *
 * <pre>{@code
 * try { out = model.forward(bigBatch); } catch (CudaOutOfMemoryError e) { batchSize /= 2; }
 * }</pre>
 */
public class CudaOutOfMemoryError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long requestedBytes;

    /** An allocation of {@code requestedBytes} failed; {@code message} says why. */
    public CudaOutOfMemoryError(String message, long requestedBytes) {
        super(message);
        this.requestedBytes = requestedBytes;
    }

    /** The size of the allocation that failed, in bytes. */
    public long requestedBytes() { return requestedBytes; }
}
