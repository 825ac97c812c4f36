package dev.kindling.backend.cuda;

/**
 * The device's own allocator under the cache: {@code cudaMalloc}/{@code cudaFree} for real ({@link Cudart}),
 * a fake in tests, so every path of {@link DeviceAllocator} (reuse, out-of-memory, retry) runs without a GPU.
 */
interface RawAllocator {
    /** A new block of exactly {@code bytes}, or 0 when the device is out of memory. */
    long malloc(long bytes);

    /** Returns a block that {@link #malloc} made. */
    void free(long address);

    /** Free and total device bytes ({@code cudaMemGetInfo}), or null when unknown; only used in error messages. */
    default long[] memInfo() { return null; }
}
