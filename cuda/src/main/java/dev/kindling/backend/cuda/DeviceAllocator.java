package dev.kindling.backend.cuda;

import dev.kindling.memory.MemoryStats;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The caching allocator of one GPU, after PyTorch's {@code CUDACachingAllocator}, simplified: a freed block is
 * kept, by its rounded size, for the next request of that size class instead of going back to the driver
 * ({@code cudaMalloc} and {@code cudaFree} synchronise the device and cost tens of microseconds). Sizes are
 * rounded up to 512 bytes below 1 MiB and to one of eight classes per power of two above (at most 12.5% over),
 * so a training loop finds every block again on the next step. Blocks are not split: each is one {@code cudaMalloc}.
 *
 * <p>When the device is full, the allocator first asks for unreachable tensors to be collected (their Cleaners
 * return blocks), hands every cached block back to the driver, and retries once; only then does it throw a
 * {@link CudaOutOfMemoryError} saying how much was asked for, allocated and reserved.
 *
 * <p>All tensors of a device run on one stream, so a block freed by one kernel and reused by the next is
 * ordered by the stream itself.
 */
final class DeviceAllocator {
    static final long SMALL = 1L << 20;
    static final long SMALL_ROUND = 512;

    private final String device;
    private final RawAllocator raw;
    private final Runnable reclaim;
    private final Map<Long, ArrayDeque<CudaBuffer>> cached = new HashMap<>();
    private long allocated, cachedBytes, peakAllocated, allocations, cacheHits, retries, ooms;

    /**
     * @param device  named in errors, e.g. {@code cuda:0}
     * @param raw     the driver's allocator
     * @param reclaim asks for unreachable tensors to be collected and waits briefly (run before the retry)
     */
    DeviceAllocator(String device, RawAllocator raw, Runnable reclaim) {
        this.device = device;
        this.raw = raw;
        this.reclaim = reclaim;
    }

    /** The size a request of {@code bytes} is served with. */
    static long roundSize(long bytes) {
        long b = Math.max(bytes, 1);
        if (b < SMALL) return (b + SMALL_ROUND - 1) / SMALL_ROUND * SMALL_ROUND;
        int hi = 63 - Long.numberOfLeadingZeros(b - 1); // 2^hi < b <= 2^(hi+1)
        long step = (1L << hi) / 8;
        return Math.addExact(1L << hi, (b - (1L << hi) + step - 1) / step * step);
    }

    CudaBuffer allocate(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException(device + ": cannot allocate " + bytes + " bytes");
        long size = roundSize(bytes);
        synchronized (this) {
            allocations++;
            ArrayDeque<CudaBuffer> q = cached.get(size);
            CudaBuffer b = q == null ? null : q.pollFirst();
            if (b != null) {
                cacheHits++;
                cachedBytes -= size;
                return track(b);
            }
            long address = raw.malloc(size);
            if (address != 0) return track(new CudaBuffer(address, size, this));
            retries++;
        }
        reclaim.run(); // outside the lock: the Cleaner thread frees into this allocator
        synchronized (this) {
            releaseCached();
            long address = raw.malloc(size);
            if (address != 0) return track(new CudaBuffer(address, size, this));
            ooms++;
            throw new CudaOutOfMemoryError(outOfMemoryMessage(bytes), bytes);
        }
    }

    private CudaBuffer track(CudaBuffer b) {
        allocated += b.bytes();
        peakAllocated = Math.max(peakAllocated, allocated);
        return b;
    }

    private String outOfMemoryMessage(long bytes) {
        long[] info = raw.memInfo();
        String free = info == null ? "" : "; the device has " + gib(info[0]) + " free of " + gib(info[1]);
        return "CUDA out of memory on " + device + ": tried to allocate " + gib(bytes) + "; " + gib(allocated)
                + " allocated by tensors, " + gib(allocated + cachedBytes) + " reserved by Kindling" + free
                + " (the cache was emptied and the allocation retried once). Close tensors you no longer need"
                + " (Kindling.scope(), tensor.close()) or use smaller batches";
    }

    static String gib(long bytes) { return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30)); }

    synchronized void free(CudaBuffer b) {
        allocated -= b.bytes();
        cachedBytes += b.bytes();
        cached.computeIfAbsent(b.bytes(), k -> new ArrayDeque<>()).offerFirst(b);
    }

    /** Hands every cached block back to the driver ({@code torch.cuda.empty_cache()}). */
    synchronized void emptyCache() { releaseCached(); }

    private void releaseCached() {
        for (ArrayDeque<CudaBuffer> q : cached.values()) {
            for (CudaBuffer b; (b = q.pollFirst()) != null; ) {
                raw.free(b.address);
                cachedBytes -= b.bytes();
            }
        }
        cached.clear();
    }

    /** Bytes held by tensors ({@code torch.cuda.memory_allocated}). */
    synchronized long allocatedBytes() { return allocated; }

    /** Bytes held from the driver: allocated plus cached ({@code torch.cuda.memory_reserved}). */
    synchronized long reservedBytes() { return allocated + cachedBytes; }

    /**
     * As a {@link MemoryStats}: live = allocated, peak = peak allocated, pooled = cached, poolHits = cache hits,
     * gcRequests = out-of-memory retries; softBudget is not used on a GPU (0).
     */
    synchronized MemoryStats stats() {
        return new MemoryStats(allocated, peakAllocated, cachedBytes, allocations, cacheHits, retries, 0);
    }

    /** Number of allocations that failed even after the retry. */
    synchronized long outOfMemoryErrors() { return ooms; }

    synchronized void resetPeak() { peakAllocated = allocated; }
}
