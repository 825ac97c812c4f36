package dev.kindling.data;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one epoch and the batches they are preparing, oldest first. It never refers to
 * the {@link BatchIterator} that drives it, so an abandoned iterator can be collected and its Cleaner can
 * shut this down.
 */
final class Pipeline implements Runnable {
    static final String THREAD_PREFIX = "kindling-data-worker-";
    private static final AtomicInteger EPOCHS = new AtomicInteger();
    /** Idle workers exit on their own after this long, even if nobody closes the pipeline. */
    private static final long KEEP_ALIVE_SECONDS = 10;

    private final ThreadPoolExecutor executor;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final ArrayDeque<Future<Batch>> inFlight = new ArrayDeque<>();
    final AtomicBoolean cancelled = new AtomicBoolean();

    Pipeline(int workers) {
        int epoch = EPOCHS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(workers, workers, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, THREAD_PREFIX + epoch + "-" + count.getAndIncrement());
            t.setDaemon(true);
            threads.add(t);
            return t;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    synchronized int inFlight() { return inFlight.size(); }

    synchronized void submit(Callable<Batch> task) { inFlight.add(executor.submit(task)); }

    /** Waits for the oldest batch; null when none is in flight or the task reported the end of the data. */
    Batch takeOldest() throws ExecutionException, InterruptedException {
        Future<Batch> f;
        synchronized (this) { f = inFlight.poll(); }
        if (f == null) return null;
        try {
            return f.get();
        } catch (CancellationException e) {
            return null;
        }
    }

    /** Stops the workers, frees the batches prepared but not taken, and waits briefly for the threads to end. */
    @Override public void run() {
        cancelled.set(true);
        executor.shutdownNow();
        synchronized (this) {
            for (Future<Batch> f : inFlight) {
                if (f.isDone() && !f.isCancelled()) {
                    try {
                        Batch b = f.get();
                        if (b != null) b.close();
                    } catch (ExecutionException | InterruptedException | CancellationException ignored) {
                        // the failure belongs to a batch nobody asked for any more
                    }
                } else {
                    f.cancel(true);
                }
            }
            inFlight.clear();
        }
        // join, not just awaitTermination: a terminated pool's threads may still be finishing their exit
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0 && t != Thread.currentThread()) TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
