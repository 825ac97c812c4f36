package dev.kindling;

import dev.kindling.memory.Storage;

import java.util.ArrayList;
import java.util.List;

/**
 * Frees the native memory of every tensor created inside it when it closes, except those passed to
 * {@link #keep}, which move to the enclosing scope (or to no scope: then only {@code close()} or the
 * garbage collector frees them). Scopes are per thread and nest.
 *
 * <pre>{@code
 * try (var s = Kindling.scope()) {
 *     Tensor loss = model.forward(x).sub(y).pow(2).mean();
 *     loss.backward();
 *     lossValue = s.keep(loss.detach());
 * }   // every intermediate tensor of the step is freed here
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    /**
     * Per thread: the innermost open scope, and the tensor lists of all open scopes. Tensors in a scope
     * have no Cleaner of their own (the scope frees them); if a thread ends with scopes still open, its
     * ThreadScopes becomes unreachable and {@link Orphans} arms the Cleaner of each of their tensors, so
     * that memory is reclaimed like any unscoped tensor's. One registration per thread, not per tensor.
     */
    private static final class ThreadScopes {
        Scope current;
        /** How many tensors the last scope closed here held: a loop's next step makes as many (no list regrowth). */
        int lastSize = 16;
        final Orphans orphans = new Orphans();
    }

    private static final class Orphans implements Runnable {
        final List<List<Tensor>> open = new ArrayList<>();

        @Override public void run() {
            for (List<Tensor> list : open) {
                for (Tensor t : list) if (t != null) t.storage().guard();
            }
        }
    }

    private static final ThreadLocal<ThreadScopes> THREAD = ThreadLocal.withInitial(() -> {
        ThreadScopes ts = new ThreadScopes();
        Storage.whenUnreachable(ts, ts.orphans);
        return ts;
    });

    private final Scope parent;
    private final Thread owner = Thread.currentThread();
    private List<Tensor> tensors;
    private boolean closed;

    Scope() {
        ThreadScopes ts = THREAD.get();
        this.tensors = new ArrayList<>(ts.lastSize);
        this.parent = ts.current;
        ts.current = this;
        ts.orphans.open.add(tensors);
    }

    static void register(Tensor t) {
        Scope s = THREAD.get().current;
        if (s != null) {
            s.tensors.add(t);
            t.scope = s;
        } else {
            t.storage().guard();
        }
    }

    /**
     * Takes {@code t} out of whatever scope owns it, so that no scope will free it: for state that outlives
     * the step that made it (optimizer state, module buffers, saved best weights). Its memory is then freed
     * by {@code close()} or, once unreachable, by the garbage collector. Returns {@code t}.
     * <pre>{@code expAvg = Scope.escape(Tensor.zerosLike(param));}</pre>
     */
    public static Tensor escape(Tensor t) {
        Scope s = t.scope;
        if (s != null && !s.closed) {
            s.remove(t);
            t.scope = null;
        }
        t.storage().guard();
        return t;
    }

    /** Takes {@code t} out of its scope for good because it is being closed: no safety net needed. */
    static void forget(Tensor t) {
        Scope s = t.scope;
        if (s != null && !s.closed) s.remove(t);
        t.scope = null;
    }

    private void remove(Tensor t) {
        // the kept tensor is usually among the last ones created
        for (int i = tensors.size() - 1; i >= 0; i--) {
            if (tensors.get(i) == t) {
                tensors.set(i, null);
                return;
            }
        }
    }

    /** Keeps {@code t} alive past this scope: it moves to the enclosing scope. Returns {@code t}. */
    public Tensor keep(Tensor t) {
        if (t.scope == this) {
            remove(t);
            t.scope = null;
            if (parent != null && !parent.closed) {
                parent.tensors.add(t);
                t.scope = parent;
            } else {
                t.storage().guard();
            }
        }
        return t;
    }

    /** Number of tensors this scope will free. */
    public int size() {
        int n = 0;
        for (Tensor t : tensors) if (t != null) n++;
        return n;
    }

    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("Kindling.scope() must be closed on the thread that opened it");
        }
        ThreadScopes ts = THREAD.get();
        if (ts.current != this) {
            throw new IllegalStateException("Kindling.scope(): scopes must be closed in reverse order of opening");
        }
        closed = true;
        ts.current = parent;
        List<Tensor> list = tensors;
        List<List<Tensor>> open = ts.orphans.open;
        for (int i = open.size() - 1; i >= 0; i--) {
            if (open.get(i) == list) {
                open.remove(i);
                break;
            }
        }
        tensors = null;
        ts.lastSize = Math.min(Math.max(16, list.size()), 1 << 16);
        for (Tensor t : list) {
            if (t != null) {
                t.scope = null;
                t.close();
            }
        }
    }
}
