package dev.kindling.backend.cpu;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleBinaryOperator;

/**
 * Splits loops over the CPU threads. Work below a grain size, or work started from inside a worker,
 * runs inline: small tensors are faster on one core than after a hand-off.
 */
final class Parallel {
    interface Range { void run(long start, long end); }

    interface PartialDouble { double run(long start, long end); }

    private static volatile int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static volatile SpinPool pool = new SpinPool(threads - 1);

    private Parallel() {}

    static int threads() { return threads; }

    static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("setNumThreads: need at least 1 thread, got " + n);
        if (n == threads) return;
        SpinPool old = pool;
        threads = n;
        pool = new SpinPool(n - 1);
        old.shutdown();
    }

    private static int parts(long total, long grain) {
        int n = threads;
        if (n <= 1 || total < 2 * grain || SpinPool.inHelper()) return 1;
        return (int) Math.min(n, total / grain);
    }

    static void range(long total, long grain, Range body) {
        int parts = parts(total, grain);
        if (parts <= 1) {
            if (total > 0) body.run(0, total);
            return;
        }
        // More pieces than threads, claimed from a counter by whoever runs: the caller never waits for a
        // worker that has not been scheduled yet (on a busy machine that wait cost more than the work),
        // it only waits for pieces a worker has actually started.
        int pieces = (int) Math.min(total / grain, 4L * parts);
        AtomicInteger next = new AtomicInteger();
        CountDownLatch finished = new CountDownLatch(pieces);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable claim = () -> {
            for (int i; (i = next.getAndIncrement()) < pieces; ) {
                try {
                    if (failure.get() == null) body.run(total * i / pieces, total * (i + 1) / pieces);
                } catch (Throwable ex) { // Errors too: a worker must not fail silently
                    failure.compareAndSet(null, ex);
                } finally {
                    finished.countDown();
                }
            }
        };
        pool.offer(claim, parts - 1);
        claim.run();
        // the helpers' last pieces usually end within microseconds of ours: spin for them first, since a
        // parked caller takes tens of microseconds to wake (as long as a whole small product)
        long spinUntil = System.nanoTime() + SpinPool.SPIN_NANOS;
        while (finished.getCount() > 0 && System.nanoTime() - spinUntil < 0) Thread.onSpinWait();
        // wait even when interrupted: returning early would let workers write into memory the caller frees
        boolean interrupted = false;
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable f = failure.get();
        if (f instanceof RuntimeException r) throw r;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f);
    }

    static double reduce(long total, long grain, PartialDouble body, DoubleBinaryOperator combine) {
        int parts = parts(total, grain);
        if (parts <= 1) return body.run(0, total);
        double[] partial = new double[parts];
        range(parts, 1, (s, e) -> {
            for (long i = s; i < e; i++) partial[(int) i] = body.run(total * i / parts, total * (i + 1) / parts);
        });
        double acc = partial[0];
        for (int i = 1; i < parts; i++) acc = combine.applyAsDouble(acc, partial[i]);
        return acc;
    }
}
