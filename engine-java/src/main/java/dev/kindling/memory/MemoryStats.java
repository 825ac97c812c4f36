package dev.kindling.memory;

/**
 * A snapshot of the CPU allocator, from {@code Kindling.memoryStats()}.
 *
 * @param liveBytes     bytes held by tensors that have not been released
 * @param peakLiveBytes highest {@code liveBytes} since start or the last {@code Kindling.resetPeakMemory()}
 * @param pooledBytes   bytes released by tensors and kept for reuse
 * @param allocations   number of buffer requests
 * @param poolHits      requests served from the pool
 * @param gcRequests    times the allocator asked the garbage collector to reclaim unclosed tensors
 * @param softBudget    live bytes above which the allocator asks for a collection
 */
public record MemoryStats(long liveBytes, long peakLiveBytes, long pooledBytes, long allocations,
                          long poolHits, long gcRequests, long softBudget) {
    /** Live plus pooled bytes: everything the allocator holds from the system or driver ({@code torch.cuda.memory_reserved}). */
    public long reservedBytes() { return liveBytes + pooledBytes; }

    @Override public String toString() {
        return String.format("MemoryStats(live=%.1f MiB, peak=%.1f MiB, pooled=%.1f MiB, allocations=%d, poolHits=%d, gcRequests=%d)",
                liveBytes / 1048576.0, peakLiveBytes / 1048576.0, pooledBytes / 1048576.0, allocations, poolHits, gcRequests);
    }
}
