package dev.kindling.backend.cpu;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where blocks start and how big they are; the pool's sizing and budget are covered by MemoryTest. */
class CachingAllocatorTest {
    @Test
    void blocksStartOnACacheLineAtEverySize() {
        CachingAllocator alloc = new CachingAllocator();
        for (long bytes : new long[]{1, 4, 40, 64, 65, 1000, 4096, 40_000, 1 << 20, (16 << 20) + 4}) {
            CpuBuffer b = alloc.allocate(bytes);
            long address = new Pointer(b.data).address();
            assertEquals(0, address % CachingAllocator.ALIGN, "block of " + bytes + " bytes at " + Long.toHexString(address));
            assertEquals(CachingAllocator.classBytes(CachingAllocator.sizeClass(bytes)), b.bytes());
            b.f.put((int) (b.bytes() / 4) - 1, 1f); // the whole class is writable
            b.free();
        }
        alloc.trim();
    }

    @Test
    void aFreedBlockComesBackAlignedFromThePool() {
        CachingAllocator alloc = new CachingAllocator();
        CpuBuffer first = alloc.allocate(3000);
        first.free();
        CpuBuffer again = alloc.allocate(2900);
        assertSame(first, again);
        assertEquals(0, new Pointer(again.data).address() % CachingAllocator.ALIGN);
        again.free();
        alloc.trim();
        assertEquals(0, alloc.stats().pooledBytes());
    }

    @Test
    void theLargestClassIsCutToWhatABufferCanIndex() {
        // 2^31 bytes would overflow a buffer's int capacity: such a class is cut to MAX_BYTES, and asking for more fails clearly
        assertTrue(CachingAllocator.classBytes(CachingAllocator.sizeClass(CachingAllocator.MAX_BYTES)) > Integer.MAX_VALUE);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CachingAllocator().allocate(CachingAllocator.MAX_BYTES + 1));
        assertTrue(e.getMessage().contains("2 GiB"), e.getMessage());
    }

    @Test
    void eachClassIsStampedOnceBeforeTheStaleOnesAreSorted() {
        // stamps that change under the sort (other threads allocating) must not break it: read live, these made
        // TimSort throw "Comparison method violates its general contract!"
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            Integer[] order = CachingAllocator.staleFirst(124, i -> r.nextLong());
            assertEquals(124, java.util.Arrays.stream(order).distinct().count());
        }
        long[] fixed = {5, 1, 9, 3};
        assertEquals(java.util.List.of(1, 3, 0, 2), java.util.List.of(CachingAllocator.staleFirst(4, i -> fixed[i])));
    }
}
