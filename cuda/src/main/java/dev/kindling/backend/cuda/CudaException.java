package dev.kindling.backend.cuda;

/**
 * A CUDA, cuBLAS or NVRTC call failed: the message names the call, the library's own name for the status
 * and what Kindling was doing, e.g. {@code cudaMemcpyAsync (device to host, 4096 bytes): cudaErrorIllegalAddress}.
 *
 * <pre>{@code
 * try { y = x.to(Device.cuda()); } catch (CudaException e) { System.err.println(e.getMessage()); }
 * }</pre>
 */
public class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    /** A failure of {@code call} with the library's numeric {@code status}, described by {@code message}. */
    public CudaException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The numeric status the library returned ({@code cudaError_t}, {@code cublasStatus_t} or {@code nvrtcResult}). */
    public int status() { return status; }
}
