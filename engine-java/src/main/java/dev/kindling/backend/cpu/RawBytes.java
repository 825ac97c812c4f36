package dev.kindling.backend.cpu;

import java.nio.ByteBuffer;

/** Bulk byte copies between buffers of possibly different byte order (for file formats). */
final class RawBytes {
    private RawBytes() {}

    /**
     * Copies all of {@code from} into {@code to} (same length), swapping each {@code elementSize}-byte element
     * when the orders differ. Integer views keep float bit patterns (NaN payloads) exact.
     */
    static void copy(ByteBuffer from, ByteBuffer to, int elementSize) {
        if (elementSize == 1 || from.order() == to.order()) {
            to.put(from);
            return;
        }
        switch (elementSize) {
            case 2 -> to.asShortBuffer().put(from.asShortBuffer());
            case 4 -> to.asIntBuffer().put(from.asIntBuffer());
            case 8 -> to.asLongBuffer().put(from.asLongBuffer());
            default -> throw new IllegalArgumentException("RawBytes.copy: unsupported element size " + elementSize);
        }
    }

    /** Stores every non-zero byte as 1, the only true value our BOOL kernels expect. */
    static void normalizeBools(ByteBuffer b) {
        for (int i = 0, n = b.limit(); i < n; i++) {
            if (b.get(i) != 0 && b.get(i) != 1) b.put(i, (byte) 1);
        }
    }
}
