package dev.kindling.backend.cpu;

import org.bytedeco.javacpp.Pointer;

import java.lang.ref.Cleaner;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where {@link CachingAllocator}'s blocks come from and how they are released at once (not when the collector gets to
 * them). On JDK 17 to 23: direct byte buffers, released through {@code sun.misc.Unsafe.invokeCleaner}. JDK 24 and
 * later print a warning on that call ("will be removed in a future release"), so there a block is C memory from
 * {@code calloc} through JavaCPP ({@link Malloc}), seen as a direct byte buffer and released by {@code free}; a block
 * dropped without being released is freed by a {@link Cleaner} once unreachable, as a direct buffer's memory is.
 * Both zero a new block; malloc and direct buffers start on 16 bytes, so a caller that needs more asks for the spare
 * bytes to align it.
 */
final class NativeBlocks {
    private NativeBlocks() {}

    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");

    /** A block's memory and its release, which runs once however often it is asked for. */
    abstract static class Block {
        /** The whole allocation (its cache-line-aligned part is the caller's to slice). */
        final ByteBuffer buffer;

        Block(ByteBuffer buffer) { this.buffer = buffer; }

        /** Gives the memory back to the operating system; the buffer must not be used afterwards. */
        abstract void release();
    }

    private static final sun.misc.Unsafe UNSAFE;
    private static final Malloc MALLOC;

    static {
        Malloc malloc = null;
        if (Runtime.version().feature() >= 24) {
            try {
                malloc = new Malloc();
                // a self-test, which loads JavaCPP's JNI library (Pointer's): where it cannot, direct buffers serve
                malloc.allocate(64).release();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "kindling: native memory through JavaCPP unavailable, direct buffers instead", e);
                malloc = null;
            }
        }
        MALLOC = malloc;
        UNSAFE = malloc == null ? unsafe() : null;
    }

    /** A zeroed block of {@code bytes}. */
    static Block allocate(int bytes) {
        if (MALLOC != null) return MALLOC.allocate(bytes);
        ByteBuffer b = ByteBuffer.allocateDirect(bytes);
        return new Block(b) {
            private boolean released;

            @Override synchronized void release() {
                if (released) return;
                released = true;
                if (UNSAFE == null) return; // no Unsafe at all: the collector frees the buffer once unreachable
                try {
                    UNSAFE.invokeCleaner(buffer);
                } catch (RuntimeException | LinkageError e) {
                    // a JDK that refuses it (here only where JavaCPP could not load either): the collector frees the
                    // buffer once unreachable, as it frees any direct buffer
                    LOG.log(Level.FINE, "kindling: Unsafe.invokeCleaner refused; the collector frees the block", e);
                }
            }
        };
    }

    /** One line for diagnostics: where blocks come from. */
    static String describe() {
        return MALLOC != null ? "calloc/free through JavaCPP"
                : UNSAFE != null ? "direct byte buffers (sun.misc.Unsafe.invokeCleaner)" : "direct byte buffers (freed by the collector)";
    }

    /**
     * {@code sun.misc.Unsafe}, or null where a JDK withholds it: then blocks are still allocated (direct buffers) and
     * the collector frees them, rather than the whole CPU backend failing to start.
     */
    private static sun.misc.Unsafe unsafe() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "kindling: sun.misc.Unsafe unavailable; pooled blocks are freed by the collector", e);
            return null;
        }
    }

    /**
     * Blocks from the C library's {@code calloc}, freed by {@code free}, through JavaCPP (whose native library the
     * OpenBLAS binding loads anyway), each seen as a direct byte buffer. Shared {@code java.lang.foreign} arenas, one
     * per block, were tried first: closing one costs a handshake with every thread (20-25 us here against 3 for a
     * direct buffer), and a loop that drops its tensors to the collector then returned blocks so slowly that its
     * footprint grew to 685 MiB over a budget of 128 (MemoryTest; 256 with direct buffers).
     */
    private static final class Malloc {
        private static final Cleaner CLEANER = Cleaner.create();

        Block allocate(int bytes) {
            Pointer p = Pointer.calloc(1, bytes);
            if (p == null || p.isNull()) throw new OutOfMemoryError("calloc could not give " + bytes + " bytes of native memory");
            ByteBuffer b = p.capacity(bytes).asByteBuffer();
            return new Block(b) {
                // the block itself is what the cleaner watches: its action holds the pointer only
                private final Cleaner.Cleanable cleanable = CLEANER.register(this, () -> Pointer.free(p));

                @Override void release() { cleanable.clean(); }
            };
        }
    }
}
