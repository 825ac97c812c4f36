package dev.kindling.backend.cpu;

import dev.kindling.memory.MemoryStats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pools off-heap blocks by size class (four classes per power of two, so at most 25% is wasted), and keeps
 * the native footprint bounded when users never close tensors: once live bytes pass a soft budget it asks
 * the garbage collector to run, so the Cleaners of unreachable tensors return their blocks, and only raises
 * the budget when the memory is really in use.
 *
 * <p>How much freed memory to keep is sized by the program itself: blocks are pooled while live plus pooled
 * bytes stay within the most the program ever held live (its high-water mark) plus an eighth (at least 32 MiB),
 * so a workload whose batches peak at 900 MiB finds all of its blocks again on the next batch, and the
 * footprint stays within a little more than that peak; a floor ({@code kindling.maxPooledBytes}, half the budget by default: 64 to 256 MiB) serves small
 * programs, and half of the machine's memory is the ceiling. The budget ({@code kindling.memoryBudget})
 * defaults to a quarter of the heap limit, clamped to [128 MiB, 512 MiB]. {@code Kindling.emptyCache()} hands
 * everything back.
 */
final class CachingAllocator {
    private static final int MIN_SHIFT = 6; // 64-byte minimum block
    /**
     * Where blocks start: on a cache line, as PyTorch's CPU allocator places them, so that no vector load or store
     * straddles two (malloc gives 16 bytes). Measured on 4M floats: relu 6-8% faster, add 2-4%.
     */
    static final int ALIGN = 64;
    private static final int CLASSES = 4 * 31;
    /**
     * The largest block: a direct ByteBuffer is int-indexed, with room left for the alignment margin; the size
     * classes round up by up to 25%, so the top class is cut to this.
     */
    static final long MAX_BYTES = Integer.MAX_VALUE - ALIGN;

    // whole CpuBuffers are pooled, typed views included, so a pool hit allocates nothing on the Java heap;
    // each class is a LIFO stack (the most recently freed block is the one still in cache) under its own lock
    @SuppressWarnings("unchecked")
    private final ArrayDeque<CpuBuffer>[] free = new ArrayDeque[CLASSES];
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong pooledBytes = new AtomicLong();
    private final AtomicLong peakLiveBytes = new AtomicLong();
    /** Like peakLiveBytes, but never reset: what sizes the pool. */
    private final AtomicLong highWater = new AtomicLong();
    /** When each size class was last asked for or given back (a tick of {@link #ticks}), to evict stale ones first. */
    private final java.util.concurrent.atomic.AtomicLongArray lastUse = new java.util.concurrent.atomic.AtomicLongArray(CLASSES);
    private final AtomicLong ticks = new AtomicLong();
    private final AtomicLong allocations = new AtomicLong();
    private final AtomicLong poolHits = new AtomicLong();
    private final AtomicLong gcRequests = new AtomicLong();
    private final long initialBudget;
    private volatile long softBudget;
    private final long maxPooledBytes;
    private final long poolCeiling;

    CachingAllocator() {
        for (int i = 0; i < CLASSES; i++) free[i] = new ArrayDeque<>();
        long heap = Runtime.getRuntime().maxMemory();
        // small enough that unclosed tensors are collected long before they matter, large enough that a
        // normal training step never triggers a collection; raised automatically when memory is really in use
        long dflt = Math.max(128L << 20, Math.min(heap / 4, 512L << 20));
        initialBudget = Long.getLong("kindling.memoryBudget", dflt);
        softBudget = initialBudget;
        maxPooledBytes = Long.getLong("kindling.maxPooledBytes", initialBudget / 2);
        poolCeiling = Math.max(maxPooledBytes, physicalMemory() / 2);
    }

    private static long physicalMemory() {
        try {
            var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            // no management API: fall back to the floor alone
        }
        return 0;
    }

    /** Whether a freed block of {@code bytes} is kept, with {@code live} bytes still in use. */
    private boolean keep(long bytes, long live) {
        long pooled = pooledBytes.get() + bytes;
        if (pooled > poolCeiling) return false;
        long peak = highWater.get();
        return pooled <= maxPooledBytes || live + pooled <= peak + slack(peak);
    }

    /**
     * How far above the peak of live bytes the footprint may go. A loop's blocks come back at the end of each pass
     * while a few small ones from earlier are still pooled; without this margin the last big block freed would be
     * dropped, and faulting in a fresh one costs ~100 ms per 100 MB (measured). A fraction of the peak, so the
     * footprint stays proportional to what the program really uses, however many shapes it goes through.
     */
    private static long slack(long peak) { return Math.max(32L << 20, peak / 8); }

    CpuBuffer allocate(long bytes) {
        if (bytes < 0 || bytes > MAX_BYTES) {
            throw new IllegalArgumentException("CPU tensors are limited to 2 GiB per storage (" + MAX_BYTES
                    + " bytes), asked for " + bytes + " bytes");
        }
        int cls = sizeClass(Math.max(bytes, 1));
        allocations.incrementAndGet();
        CpuBuffer pooled = poll(cls);
        lastUse.set(cls, ticks.incrementAndGet());
        if (pooled != null) {
            poolHits.incrementAndGet();
            pooledBytes.addAndGet(-pooled.data.capacity());
            long live = liveBytes.addAndGet(pooled.data.capacity());
            peakLiveBytes.accumulateAndGet(live, Math::max);
            highWater.accumulateAndGet(live, Math::max);
            return pooled;
        }
        int cap = (int) Math.min(classBytes(cls), MAX_BYTES); // the top class is cut to what a buffer can index
        maybeCollect(cap);
        NativeBlocks.Block block;
        try {
            block = NativeBlocks.allocate(cap + ALIGN);
        } catch (OutOfMemoryError e) {
            trim();
            System.gc();
            block = NativeBlocks.allocate(cap + ALIGN);
        }
        ByteBuffer bb = block.buffer;
        int skip = (ALIGN - bb.alignmentOffset(0, ALIGN)) % ALIGN;
        ByteBuffer aligned = bb.position(skip).limit(skip + cap).slice().order(ByteOrder.nativeOrder());
        long live = liveBytes.addAndGet(cap);
        peakLiveBytes.accumulateAndGet(live, Math::max);
        highWater.accumulateAndGet(live, Math::max);
        return new CpuBuffer(block, aligned, cls, this);
    }

    private CpuBuffer poll(int cls) {
        ArrayDeque<CpuBuffer> q = free[cls];
        synchronized (q) {
            return q.pollFirst();
        }
    }

    void free(CpuBuffer buffer) {
        ByteBuffer bb = buffer.data;
        long live = liveBytes.addAndGet(-bb.capacity());
        lastUse.set(buffer.sizeClass(), ticks.incrementAndGet());
        if (!keep(bb.capacity(), live)) evictStale(buffer.sizeClass(), bb.capacity(), live);
        if (keep(bb.capacity(), live)) {
            pooledBytes.addAndGet(bb.capacity());
            ArrayDeque<CpuBuffer> q = free[buffer.sizeClass()];
            synchronized (q) {
                q.offerFirst(buffer);
            }
        } else {
            buffer.block.release();
        }
    }

    /**
     * Makes room for a block of {@code cls} by releasing pooled blocks of the size classes used longest ago. A
     * program that changes phase (training, then inference on big batches) would otherwise keep the old phase's
     * blocks and drop, at every free, the very blocks the new phase needs again (measured: CNN inference after
     * training fell from 6,500 to 1,150 samples/s, every big block faulted in afresh each batch).
     */
    private void evictStale(int cls, long bytes, long live) {
        for (int c : staleFirst(CLASSES, lastUse::get)) {
            if (c == cls) continue;
            ArrayDeque<CpuBuffer> q = free[c];
            while (!keep(bytes, live)) {
                CpuBuffer b;
                synchronized (q) {
                    b = q.pollLast();
                }
                if (b == null) break;
                pooledBytes.addAndGet(-b.data.capacity());
                b.block.release();
            }
            if (keep(bytes, live)) return;
        }
    }

    /**
     * The size classes {@code 0 .. n}, the one stamped longest ago first. The stamps are read once each, before sorting:
     * other threads stamp their classes meanwhile, and a comparator reading them live broke the sort's contract
     * ("Comparison method violates its general contract!" while a DataLoader's workers freed blocks).
     */
    static Integer[] staleFirst(int n, java.util.function.IntToLongFunction stamp) {
        long[] stamps = new long[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            stamps[i] = stamp.applyAsLong(i);
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> stamps[i]));
        return order;
    }

    /** Releases every pooled block back to the operating system. */
    void trim() {
        for (ArrayDeque<CpuBuffer> q : free) {
            while (true) {
                CpuBuffer b;
                synchronized (q) {
                    b = q.pollFirst();
                }
                if (b == null) break;
                pooledBytes.addAndGet(-b.data.capacity());
                b.block.release();
            }
        }
        returnFreedPages();
    }

    /**
     * Small blocks come from malloc's arenas, which keep freed memory between blocks still in use: without
     * {@code malloc_trim} the resident size did not move at all after 190 MiB of 16 KiB blocks were released
     * (measured: 280 MiB before and after; 96 MiB with it).
     */
    private static void returnFreedPages() {
        if (!OpenBlas.available()) return; // JavaCPP's native library comes with OpenBLAS's
        try {
            org.bytedeco.javacpp.Pointer.trimMemory();
        } catch (LinkageError e) {
            // no native helper on this platform: the blocks are freed, only their pages stay mapped
        }
    }

    /**
     * Live memory above the soft budget usually means tensors nobody closed are waiting for the garbage
     * collector. Ask for a collection and give the cleaner thread a moment; if the memory is still live it
     * is really in use, so double the budget instead of collecting on every allocation.
     */
    private void maybeCollect(long bytes) {
        if (liveBytes.get() + bytes <= softBudget) return;
        synchronized (this) {
            if (liveBytes.get() + bytes <= softBudget) return;
            gcRequests.incrementAndGet();
            System.gc();
            // wait while the cleaner thread is still returning blocks; stop as soon as it stops
            long before = Long.MAX_VALUE;
            for (int i = 0; i < 20 && liveBytes.get() + bytes > softBudget * 3 / 4; i++) {
                long now = liveBytes.get();
                if (i >= 2 && now >= before) break;
                before = now;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            long live = liveBytes.get() + bytes;
            softBudget = Math.max(initialBudget, live > softBudget * 3 / 4 ? 2 * live : softBudget);
        }
    }

    MemoryStats stats() {
        return new MemoryStats(liveBytes.get(), peakLiveBytes.get(), pooledBytes.get(), allocations.get(),
                poolHits.get(), gcRequests.get(), softBudget);
    }

    void resetPeak() { peakLiveBytes.set(liveBytes.get()); }

    /** Four classes per power of two: (2^k, 1.25*2^k, 1.5*2^k, 1.75*2^k, 2^(k+1)]. */
    static int sizeClass(long bytes) {
        long b = Math.max(bytes, 1L << MIN_SHIFT);
        int hi = 63 - Long.numberOfLeadingZeros(b - 1); // 2^hi < b <= 2^(hi+1)
        long quarterSize = (1L << hi) / 4;
        int quarter = (int) ((b - (1L << hi) + quarterSize - 1) / quarterSize); // 1..4
        return (hi - MIN_SHIFT + 1) * 4 + quarter - 1;
    }

    static long classBytes(int cls) {
        int hi = cls / 4 + MIN_SHIFT - 1;
        int quarter = cls % 4 + 1;
        long base = 1L << hi;
        return base + quarter * (base / 4);
    }
}
