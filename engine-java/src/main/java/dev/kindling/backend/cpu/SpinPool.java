package dev.kindling.backend.cpu;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads of {@link Parallel}: each waits on a one-task slot, spinning for a short while after
 * its last task before it parks, as OpenMP's and OpenBLAS's workers do. A parked thread takes tens of
 * microseconds to wake on a virtual machine, as long as a whole 64x256x512 product; a spinning one starts at
 * once, so the short kernels of a training step really run on all cores. Idle programs pay nothing: the
 * spin ends after {@link #SPIN_NANOS}.
 *
 * <p>Helpers are optional by design: the caller claims pieces of work itself, and {@link #offer} gives a
 * task only to a helper whose slot is empty, so concurrent callers never queue behind each other.
 */
final class SpinPool {
    /** How long an idle helper spins before it parks. */
    static final long SPIN_NANOS = 50_000;

    private final Helper[] helpers;

    SpinPool(int size) {
        helpers = new Helper[size];
        for (int i = 0; i < size; i++) {
            helpers[i] = new Helper("kindling-cpu-" + i);
            helpers[i].start();
        }
    }

    /** True on one of this kind of pool's threads: work started there runs inline. */
    static boolean inHelper() { return Thread.currentThread() instanceof Helper; }

    /** Hands {@code task} to up to {@code count} idle helpers; returns how many took it. */
    int offer(Runnable task, int count) {
        int given = 0;
        for (int i = 0; i < helpers.length && given < count; i++) {
            if (helpers[i].take(task)) given++;
        }
        return given;
    }

    void shutdown() {
        for (Helper h : helpers) h.shutdown();
    }

    private static final class Helper extends Thread {
        private final AtomicReference<Runnable> slot = new AtomicReference<>();
        private volatile boolean parked, stopped;

        Helper(String name) {
            super(name);
            setDaemon(true);
        }

        boolean take(Runnable task) {
            if (stopped || !slot.compareAndSet(null, task)) return false;
            if (parked) LockSupport.unpark(this);
            return true;
        }

        void shutdown() {
            stopped = true;
            LockSupport.unpark(this);
        }

        @Override public void run() {
            while (!stopped) {
                Runnable task = slot.get();
                if (task != null) {
                    try {
                        task.run();
                    } finally {
                        slot.set(null);
                    }
                    continue;
                }
                long deadline = System.nanoTime() + SPIN_NANOS;
                while (slot.get() == null && !stopped && System.nanoTime() - deadline < 0) Thread.onSpinWait();
                if (slot.get() != null) continue;
                parked = true;
                // re-checked after announcing the park: a task offered meanwhile either is seen here or unparks us
                if (slot.get() == null && !stopped) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
