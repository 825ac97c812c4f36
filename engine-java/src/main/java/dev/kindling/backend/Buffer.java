package dev.kindling.backend;

/**
 * A block of device memory owned by a backend. Buffers are pooled: {@link #free()} hands the block back
 * to the allocator that made it, which may reuse it for the next allocation of a similar size.
 */
public interface Buffer {
    /** Usable size in bytes (at least what was asked for). */
    long bytes();

    /** Returns the memory to its allocator. Called exactly once, by {@link dev.kindling.memory.Storage}. */
    void free();
}
