package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allocator's native blocks: direct buffers on JDK 17 to 23, C memory through JavaCPP on JDK 24 and later (where
 * {@code Unsafe.invokeCleaner} warns); zeroed, alignable, released once however often asked.
 */
class NativeBlocksTest {
    private static final boolean MALLOC = Runtime.version().feature() >= 24;

    @Test
    void theSourceFollowsTheJdk() {
        String how = NativeBlocks.describe();
        assertTrue(MALLOC ? how.contains("calloc") : how.contains("direct byte buffers"), how);
    }

    @Test
    void blocksAreZeroedAlignableAndReleasedOnce() {
        for (int bytes : new int[]{1, 64, 1000, 1 << 20}) {
            NativeBlocks.Block block = NativeBlocks.allocate(bytes + 64);
            ByteBuffer b = block.buffer;
            assertTrue(b.isDirect());
            assertEquals(bytes + 64, b.capacity(), "capacity for " + bytes);
            int skip = (64 - b.alignmentOffset(0, 64)) % 64;
            assertTrue(skip + bytes <= b.capacity(), "no room to align " + bytes + " bytes");
            for (int i = 0; i < b.capacity(); i++) assertEquals(0, b.get(i), "byte " + i + " of a new block of " + bytes);
            b.put(skip, (byte) 7);
            assertEquals(7, b.get(skip));
            block.release();
            block.release(); // a second release does nothing
        }
    }

    @Test
    void theAllocatorsBlocksComeFromHere() {
        CachingAllocator a = new CachingAllocator();
        CpuBuffer buf = a.allocate(4096);
        assertEquals(0, buf.data.alignmentOffset(0, CachingAllocator.ALIGN), "a block starts on a cache line");
        assertTrue(buf.data.capacity() >= 4096, "capacity " + buf.data.capacity());
        buf.data.putFloat(0, 1.5f);
        assertEquals(1.5f, buf.f.get(0));
        a.free(buf);
        assertEquals(4096, a.stats().pooledBytes(), "a freed block waits in the pool");
        a.trim();
        assertEquals(0, a.stats().pooledBytes(), "trimmed: released");
    }
}
