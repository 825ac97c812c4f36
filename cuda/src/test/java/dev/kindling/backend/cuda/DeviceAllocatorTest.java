package dev.kindling.backend.cuda;

import dev.kindling.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The caching allocator's bookkeeping against a fake device of fixed capacity. */
class DeviceAllocatorTest {
    /** A device with {@code capacity} bytes that records each malloc and free. */
    static final class FakeDevice implements RawAllocator {
        final long capacity;
        final Map<Long, Long> live = new HashMap<>();
        long used, next = 0x1000, mallocs, frees;

        FakeDevice(long capacity) { this.capacity = capacity; }

        @Override public long malloc(long bytes) {
            if (used + bytes > capacity) return 0;
            mallocs++;
            used += bytes;
            long a = next;
            next += bytes + 256;
            live.put(a, bytes);
            return a;
        }

        @Override public void free(long address) {
            frees++;
            used -= live.remove(address);
        }

        @Override public long[] memInfo() { return new long[]{capacity - used, capacity}; }
    }

    @Test
    void sizesRoundTo512BytesThenToEighthsOfAPowerOfTwo() {
        assertEquals(512, DeviceAllocator.roundSize(0));
        assertEquals(512, DeviceAllocator.roundSize(1));
        assertEquals(1024, DeviceAllocator.roundSize(513));
        assertEquals(1L << 20, DeviceAllocator.roundSize((1L << 20) - 1));
        assertEquals(1L << 20, DeviceAllocator.roundSize(1L << 20));
        assertEquals((1L << 20) + (1L << 17), DeviceAllocator.roundSize((1L << 20) + 1));
        assertEquals(9L << 27, DeviceAllocator.roundSize((1L << 30) + 5)); // 1 GiB + 5 B -> 1.125 GiB
        for (long b = 1; b < 1L << 34; b = b * 3 + 7) {
            long r = DeviceAllocator.roundSize(b);
            assertTrue(r >= b && (b < DeviceAllocator.SMALL ? r - b < 512 : r <= b + b / 8 + 1), b + " -> " + r);
        }
    }

    @Test
    void freedBlocksAreReusedBySizeClassAndCounted() {
        FakeDevice dev = new FakeDevice(1L << 30);
        DeviceAllocator a = new DeviceAllocator("cuda:0", dev, () -> {});
        CudaBuffer x = a.allocate(1000);
        assertEquals(1024, x.bytes());
        x.free();
        CudaBuffer y = a.allocate(1020); // same class: the same block comes back
        assertSame(x, y);
        CudaBuffer z = a.allocate(5000);
        assertNotEquals(x.address, z.address);
        assertEquals(2, dev.mallocs);
        MemoryStats s = a.stats();
        assertEquals(1024 + 5120, s.liveBytes());
        assertEquals(3, s.allocations());
        assertEquals(1, s.poolHits());
        y.free();
        z.free();
        assertEquals(0, a.allocatedBytes());
        assertEquals(1024 + 5120, a.reservedBytes());
        assertEquals(1024 + 5120, a.stats().peakLiveBytes());
        assertEquals(1024 + 5120, a.stats().reservedBytes());
        a.emptyCache();
        assertEquals(0, a.reservedBytes());
        assertEquals(0, dev.used);
        assertEquals(2, dev.frees);
        a.resetPeak();
        assertEquals(0, a.stats().peakLiveBytes());
    }

    @Test
    void outOfMemoryFreesTheCacheAndRetriesOnce() {
        FakeDevice dev = new FakeDevice(10L << 20);
        DeviceAllocator a = new DeviceAllocator("cuda:0", dev, () -> {});
        a.allocate(6L << 20).free();            // 6 MiB cached
        CudaBuffer big = a.allocate(8L << 20);  // does not fit beside the cached block: cache freed, retried
        assertEquals(8L << 20, big.bytes());
        assertEquals(8L << 20, a.reservedBytes());
        assertEquals(1, a.stats().gcRequests()); // one retry
        assertEquals(0, a.outOfMemoryErrors());
    }

    @Test
    void theReclaimHookRunsBeforeTheRetrySoUnclosedTensorsCanReturnTheirBlocks() {
        FakeDevice dev = new FakeDevice(10L << 20);
        List<CudaBuffer> leaked = new ArrayList<>();
        DeviceAllocator[] ref = new DeviceAllocator[1];
        // the fake "garbage collector" frees what nobody closed, as the Cleaner would
        ref[0] = new DeviceAllocator("cuda:0", dev, () -> { leaked.forEach(CudaBuffer::free); leaked.clear(); });
        leaked.add(ref[0].allocate(7L << 20));
        CudaBuffer b = ref[0].allocate(7L << 20);
        assertEquals(7L << 20, b.bytes());
        assertEquals(7L << 20, dev.used);
    }

    @Test
    void aRealOutOfMemorySaysHowMuchWasAskedAllocatedAndReserved() {
        FakeDevice dev = new FakeDevice(10L << 30);
        DeviceAllocator a = new DeviceAllocator("cuda:1", dev, () -> {});
        CudaBuffer held = a.allocate(4L << 30);
        a.allocate(2L << 30).free();
        var e = assertThrows(CudaOutOfMemoryError.class, () -> a.allocate(9L << 30));
        assertEquals(9L << 30, e.requestedBytes());
        assertEquals("CUDA out of memory on cuda:1: tried to allocate 9.00 GiB; 4.00 GiB allocated by tensors,"
                + " 4.00 GiB reserved by Kindling; the device has 6.00 GiB free of 10.00 GiB (the cache was emptied and the"
                + " allocation retried once). Close tensors you no longer need (Kindling.scope(), tensor.close()) or use"
                + " smaller batches", e.getMessage());
        assertEquals(1, a.outOfMemoryErrors());
        assertEquals(4L << 30, a.reservedBytes()); // the cached 2 GiB went back to the driver
        held.free();
    }

    @Test
    void negativeSizesAreRefused() {
        DeviceAllocator a = new DeviceAllocator("cuda:0", new FakeDevice(1 << 20), () -> {});
        assertThrows(IllegalArgumentException.class, () -> a.allocate(-1));
    }
}
