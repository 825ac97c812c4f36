package dev.kindling.backend.cpu;

import dev.kindling.backend.Buffer;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Off-heap memory for the CPU backend: a direct, native-order {@link ByteBuffer} from the pool, with typed
 * views that kernels use through absolute (position-free, hence thread-safe) accessors.
 */
public final class CpuBuffer implements Buffer {
    /** The allocation itself, released when the block leaves the pool; {@link #data} is its cache-line-aligned part. */
    final NativeBlocks.Block block;
    final ByteBuffer data;
    final FloatBuffer f;
    final DoubleBuffer d;
    final LongBuffer l;
    final IntBuffer i;
    /** The raw bits of FLOAT16 and BFLOAT16 elements. */
    final ShortBuffer s;
    private final int sizeClass;
    private final CachingAllocator allocator;

    CpuBuffer(NativeBlocks.Block block, ByteBuffer data, int sizeClass, CachingAllocator allocator) {
        this.block = block;
        this.data = data;
        this.f = data.asFloatBuffer();
        this.d = data.asDoubleBuffer();
        this.l = data.asLongBuffer();
        this.i = data.asIntBuffer();
        this.s = data.asShortBuffer();
        this.sizeClass = sizeClass;
        this.allocator = allocator;
    }

    /** The whole block as a native-order buffer. */
    public ByteBuffer data() { return data; }

    int sizeClass() { return sizeClass; }

    @Override public long bytes() { return data.capacity(); }

    @Override public void free() { allocator.free(this); }
}
