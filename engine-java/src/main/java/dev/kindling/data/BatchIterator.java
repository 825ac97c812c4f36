package dev.kindling.data;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One epoch of a {@link DataLoader}. With workers, up to {@code numWorkers * prefetchFactor} batches are
 * prepared ahead on daemon threads and handed out in sampler order. The workers stop when the epoch ends,
 * when a batch fails, on {@link #close()}, when the loader starts its next epoch, or, if the iterator is
 * simply dropped (a {@code break} out of a for-each loop), once it is garbage collected; idle workers also
 * exit on their own after a few seconds.
 *
 * <pre>{@code
 * try (BatchIterator it = loader.iterator()) {
 *     Batch first = it.next();     // the workers stop at the end of the block
 * }
 * }</pre>
 */
public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "kindling-data-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final DataLoader loader;
    private final Iterator<int[]> batches;        // map-style data sets
    private final Iterator<Sample> stream;        // iterable data sets
    private final long epochSeed;
    private final Pipeline pipeline;              // null without workers
    private final Cleaner.Cleanable cleanable;
    private final int capacity;
    private int submitted;
    private Batch ready;
    private boolean done;
    private final AtomicBoolean streamEnded = new AtomicBoolean();

    BatchIterator(DataLoader loader, Iterator<int[]> batches, Iterator<Sample> stream, long epochSeed) {
        this.loader = loader;
        this.batches = batches;
        this.stream = stream;
        this.epochSeed = epochSeed;
        // an iterable data set has one iterator, so a single thread reads it ahead
        int threads = loader.numWorkers() == 0 ? 0 : stream != null ? 1 : loader.numWorkers();
        this.capacity = threads * loader.prefetchFactor();
        this.pipeline = threads == 0 ? null : new Pipeline(threads);
        this.cleanable = pipeline == null ? null : CLEANER.register(this, pipeline);
    }

    @Override public boolean hasNext() {
        if (ready == null && !done) ready = advance();
        return ready != null;
    }

    @Override public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("DataLoader: no more batches in this epoch");
        Batch b = ready;
        ready = null;
        return b;
    }

    /** Stops the workers now and frees the batches they prepared; harmless twice. */
    @Override public void close() {
        done = true;
        if (ready != null) {
            ready.close();
            ready = null;
        }
        if (cleanable != null) cleanable.clean();
    }

    /** Stops this epoch's workers without referring to the iterator. */
    Runnable stopper() {
        Cleaner.Cleanable c = cleanable;
        return c == null ? () -> { } : c::clean;
    }

    private Batch advance() {
        try {
            Batch b = pipeline == null ? runNow() : fromWorkers();
            if (b == null) close();
            return b;
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private Batch runNow() {
        Callable<Batch> task = nextTask();
        if (task == null) return null;
        try {
            return task.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Batch fromWorkers() {
        if (pipeline.cancelled.get()) {
            throw new IllegalStateException("DataLoader: this epoch's workers were stopped because the loader started a new epoch;"
                    + " with numWorkers > 0 only the latest iterator of a loader runs (use a second loader to iterate twice at once)");
        }
        while (pipeline.inFlight() < capacity) {
            Callable<Batch> task = nextTask();
            if (task == null) break;
            pipeline.submit(task);
        }
        try {
            return pipeline.takeOldest();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DataLoaderException d) {
                throw new DataLoaderException(d.getMessage(), d.index(), d);
            }
            throw new DataLoaderException("DataLoader: a worker failed: " + cause, -1, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoaderException("DataLoader: interrupted while waiting for a batch", -1, e);
        }
    }

    /**
     * The work for the next batch, or null when the sampler is exhausted. The task captures locals only,
     * never this iterator, so that a dropped iterator stays collectable while workers run.
     */
    private Callable<Batch> nextTask() {
        int k = submitted;
        long seed = DataLoader.mix(epochSeed, k);
        DataLoader l = loader;
        Pipeline p = pipeline;
        int worker = p == null ? 0 : k % l.numWorkers();
        if (batches != null) {
            if (!batches.hasNext()) return null;
            int[] indices = batches.next();
            submitted++;
            return () -> guard(p, l.fetch(indices, worker, seed, p == null ? null : p.cancelled));
        }
        if (streamEnded.get()) return null;
        submitted++;
        Iterator<Sample> it = stream;
        AtomicBoolean ended = streamEnded;
        return () -> {
            Batch b = l.fetchStream(it, seed);
            if (b == null) ended.set(true);
            return guard(p, b);
        };
    }

    /** A batch finished after the epoch was cancelled goes nowhere: free it now. */
    private static Batch guard(Pipeline pipeline, Batch b) {
        if (b != null && pipeline != null && pipeline.cancelled.get()) {
            b.close();
            return null;
        }
        return b;
    }
}
