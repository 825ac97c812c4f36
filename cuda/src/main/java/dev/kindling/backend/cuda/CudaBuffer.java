package dev.kindling.backend.cuda;

import dev.kindling.backend.Buffer;

/** A block of device memory from {@link DeviceAllocator}: its address and its (rounded) size. */
final class CudaBuffer implements Buffer {
    final long address;
    private final long bytes;
    private final DeviceAllocator allocator;

    CudaBuffer(long address, long bytes, DeviceAllocator allocator) {
        this.address = address;
        this.bytes = bytes;
        this.allocator = allocator;
    }

    @Override public long bytes() { return bytes; }

    @Override public void free() { allocator.free(this); }
}
