package dev.kindling.memory;

import dev.kindling.Device;
import dev.kindling.backend.Buffer;

import java.lang.ref.Cleaner;

/**
 * The data behind one or more tensors. Each tensor that views this storage holds one reference; the buffer
 * goes back to its pool when the last reference is released (deterministically through {@code close()} or
 * a closing scope) or, as a safety net, when every tensor using it became unreachable (a {@link Cleaner}).
 *
 * <p>The safety net is armed lazily, by {@link #guard()}, when a tensor on this storage is owned by no scope.
 * A scope holds its tensors strongly and releases them when it closes, so the temporaries of a scoped
 * training step never pay for a Cleaner registration (a phantom reference, a synchronized list insert and
 * reference processing at every collection: measured as a tenth of a small model's step).
 */
public final class Storage {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "kindling-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Buffer buffer;
    private final Device device;
    private final Throwable site;
    private Release release;
    private Cleaner.Cleanable cleanable;
    private int refs;

    /**
     * Wraps {@code buffer}; each tensor viewing it calls {@link #retain()}, and once {@link #guard()} was
     * called the Cleaner frees it if it becomes unreachable.
     */
    public Storage(Buffer buffer, Device device) {
        this.buffer = buffer;
        this.device = device;
        this.site = LeakCheck.site();
    }

    /**
     * Arms the safety net: from now on the buffer is freed when this storage becomes unreachable without
     * its last reference having been released. Called when a tensor on it is owned by no scope; idempotent.
     */
    public synchronized void guard() {
        if (cleanable != null || refs < 0) return;
        release = new Release(buffer, site);
        cleanable = CLEANER.register(this, release);
    }

    /**
     * Runs {@code action} on Kindling's cleaner thread once {@code owner} becomes unreachable; the action
     * must not refer to {@code owner}. Used by scopes to hand their tensors to the safety net when a thread
     * ends without closing them.
     */
    public static void whenUnreachable(Object owner, Runnable action) { CLEANER.register(owner, action); }

    /** The memory, or a clear error when it was already released. */
    public Buffer buffer() {
        if (refs < 0) {
            throw new IllegalStateException("tensor data was already released (the tensor was closed or its"
                    + " Kindling.scope() ended); keep it with scope.keep(t) or create it outside the scope");
        }
        return buffer;
    }

    /** The device the buffer lives on. */
    public Device device() { return device; }

    /** Size of the buffer in bytes. */
    public long bytes() { return buffer.bytes(); }

    /** True once the last reference was released and the buffer went back to its pool. */
    public synchronized boolean isReleased() { return refs < 0; }

    /** Adds a reference for one more tensor viewing this storage. */
    public synchronized void retain() {
        if (refs < 0) buffer(); // throws the released error
        refs++;
    }

    /** Drops one reference; the last one frees the buffer now. */
    public synchronized void release() {
        if (refs < 0) return;
        if (--refs <= 0) {
            refs = -1;
            if (cleanable != null) {
                release.explicit = true;
                cleanable.clean();
            } else {
                buffer.free();
            }
        }
    }

    /** The cleaner action: holds only the buffer, never the storage, so the storage can become unreachable. */
    private static final class Release implements Runnable {
        private final Buffer buffer;
        private final Throwable site;
        volatile boolean explicit;

        Release(Buffer buffer, Throwable site) {
            this.buffer = buffer;
            this.site = site;
        }

        @Override public void run() {
            if (!explicit) LeakCheck.reclaimed(buffer.bytes(), site);
            buffer.free();
        }
    }
}
