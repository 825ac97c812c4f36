package dev.kindling.data;

import dev.kindling.Generator;
import dev.kindling.Kindling;
import dev.kindling.Scope;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Batches of a data set, epoch after epoch ({@code torch.utils.data.DataLoader}). Each {@code for} loop
 * over the loader is one epoch; with {@code shuffle(true)} every epoch has a new order, and the sequence of
 * orders (and of random transforms, see {@link WorkerInfo}) is fixed by {@link Builder#seed(long)}.
 *
 * <pre>{@code
 * var loader = DataLoader.builder(ds).batchSize(64).shuffle(true).seed(0).numWorkers(2).build();
 * for (int epoch = 0; epoch < 5; epoch++)
 *     for (Batch b : loader) { Tensor x = b.get(0), y = b.get(1); ... }
 * }</pre>
 *
 * With {@code numWorkers > 0}, background daemon threads prepare up to {@code numWorkers * prefetchFactor}
 * batches ahead, in the same order as without workers. A failure in a worker reaches the loop as a
 * {@link DataLoaderException} naming the sample index. Batches made by workers belong to no
 * {@link Kindling#scope()}: close them (or let the garbage collector do it). Tensors a data set creates in
 * {@code get} live until their batch is built: the loader frees them then (keep a cache you fill lazily
 * outside any scope, or load it in the constructor). An {@link IterableDataset}'s iterator may keep
 * tensors from one batch to the next, so there the loader frees nothing itself.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset dataset;
    private final IterableDataset iterable;
    private final BatchSampler batchSampler;
    private final int batchSize;
    private final boolean dropLast;
    private final Collate collate;
    private final int numWorkers;
    private final int prefetchFactor;
    private final boolean pinMemory;
    private final Generator generator;
    /** Stops the workers of the latest epoch; not the iterator itself, so a dropped iterator stays collectable. */
    private Runnable stopCurrent;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.iterable = b.iterable;
        this.batchSize = b.batchSize;
        this.dropLast = b.dropLast;
        this.collate = b.collate;
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
        this.pinMemory = b.pinMemory;
        this.generator = b.generator != null ? b.generator : new Generator(b.seed != null ? b.seed : Kindling.defaultGenerator().nextLong());
        if (dataset == null) {
            this.batchSampler = null;
        } else if (b.batchSampler != null) {
            this.batchSampler = b.batchSampler;
        } else {
            Sampler s = b.sampler != null ? b.sampler
                    : b.shuffle ? new RandomSampler(dataset.size(), generator) : new SequentialSampler(dataset.size());
            this.batchSampler = new BatchSampler(s, batchSize, dropLast);
        }
    }

    /** A builder over a map-style data set: {@code DataLoader.builder(ds).batchSize(64).build()}. */
    public static Builder builder(Dataset dataset) {
        if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset must not be null");
        return new Builder(dataset, null);
    }

    /** A builder over a stream-style data set; samplers and shuffling do not apply to it. */
    public static Builder builder(IterableDataset dataset) {
        if (dataset == null) throw new IllegalArgumentException("DataLoader: dataset must not be null");
        return new Builder(null, dataset);
    }

    /**
     * Starts an epoch. An epoch still running from an earlier call is stopped first (its workers end),
     * so a loop left with {@code break} leaves no threads behind once the next one starts.
     */
    @Override public synchronized BatchIterator iterator() {
        if (stopCurrent != null) stopCurrent.run();
        long epochSeed = generator.nextLong();
        BatchIterator it = dataset != null
                ? new BatchIterator(this, batchSampler.iterator(), null, epochSeed)
                : new BatchIterator(this, null, iterable.iterator(), epochSeed);
        stopCurrent = it.stopper();
        return it;
    }

    /** Number of batches per epoch ({@code len(loader)}); a stream-style data set has none to give. */
    public int size() {
        if (batchSampler == null) {
            throw new IllegalStateException("DataLoader.size(): a loader over an IterableDataset does not know its number of batches");
        }
        return batchSampler.size();
    }

    /** The data set (null for a stream-style one, see {@link #iterableDataset()}). */
    public Dataset dataset() { return dataset; }

    /** The stream-style data set, or null. */
    public IterableDataset iterableDataset() { return iterable; }

    /** Samples per batch (for a custom batch sampler, whatever it decides). */
    public int batchSize() { return batchSampler != null ? batchSampler.batchSize() : batchSize; }

    /** Whether a last, incomplete batch is dropped. */
    public boolean dropLast() { return batchSampler != null ? batchSampler.dropLast() : dropLast; }

    /** Background threads preparing batches; 0 means the caller's thread does the work. */
    public int numWorkers() { return numWorkers; }

    /** Batches prepared ahead per worker. */
    public int prefetchFactor() { return prefetchFactor; }

    /** Whether batches go to page-locked memory; a no-op on the CPU, kept for CUDA. */
    public boolean pinMemory() { return pinMemory; }

    /** Reads and collates the samples at {@code indices}; runs on a worker or the caller's thread. */
    Batch fetch(int[] indices, int worker, long seed, AtomicBoolean cancelled) {
        try (WorkerInfo.Restore info = WorkerInfo.enter(worker, seed); Scope scope = Kindling.scope()) {
            Batch whole = gather(indices);
            if (whole != null) return keep(scope, whole);
            List<Sample> samples = new ArrayList<>(indices.length);
            for (int idx : indices) {
                if (cancelled != null && cancelled.get()) return null;
                try {
                    samples.add(dataset.get(idx));
                } catch (RuntimeException | Error e) {
                    throw new DataLoaderException("DataLoader: " + (worker >= 0 && cancelled != null ? "worker " + worker + " " : "")
                            + "failed to get sample index " + idx + ": " + e, idx, e);
                }
            }
            return keep(scope, collate(samples, indices));
        }
    }

    /**
     * The short road for a {@link TensorDataset} with the default collate: each column is one
     * {@code index_select} of the rows, the very tensors that selecting every row and stacking them gives,
     * without a view object per sample. Null when the road does not apply (other data sets, a custom
     * collate, tensors that record gradients, an index out of range: the per-sample path reports it).
     */
    private Batch gather(int[] indices) {
        if (!(dataset instanceof TensorDataset td) || collate != Collate.DEFAULT || indices.length == 0) return null;
        long[] rows = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= td.size()) return null;
            rows[i] = indices[i];
        }
        List<Tensor> tensors = td.tensors();
        for (Tensor t : tensors) if (t.requiresGrad()) return null;
        Tensor index = Tensor.of(rows);
        Object[] columns = new Object[tensors.size()];
        for (int k = 0; k < columns.length; k++) columns[k] = tensors.get(k).indexSelect(0, index);
        return Batch.of(columns);
    }

    /** The next batch of a stream-style data set, or null at its end (or when the rest is too short and dropped). */
    Batch fetchStream(Iterator<Sample> it, long seed) {
        try (WorkerInfo.Restore info = WorkerInfo.enter(0, seed)) {
            List<Sample> samples = new ArrayList<>(batchSize);
            int position = 0;
            try {
                while (samples.size() < batchSize && it.hasNext()) {
                    samples.add(it.next());
                    position++;
                }
            } catch (RuntimeException | Error e) {
                throw new DataLoaderException("DataLoader: failed to get sample " + position + " of a batch from the IterableDataset: " + e, -1, e);
            }
            if (samples.isEmpty() || (samples.size() < batchSize && dropLast)) return null;
            return collate(samples, null);
        }
    }

    private Batch collate(List<Sample> samples, int[] indices) {
        if (collate == Collate.DEFAULT) {
            try {
                return DefaultCollate.collate(samples, indices);
            } catch (RuntimeException e) {
                throw new DataLoaderException("DataLoader: " + e.getMessage(), -1, e);
            }
        }
        try {
            return collate.apply(samples);
        } catch (RuntimeException e) {
            throw new DataLoaderException("DataLoader: collate failed for the batch of sample indices "
                    + (indices == null ? "(stream)" : shortList(indices)) + ": " + e, -1, e);
        }
    }

    /** Moves the batch's tensors out of the fetch scope; everything else made while fetching is freed. */
    private static Batch keep(Scope scope, Batch b) {
        for (int i = 0; i < b.size(); i++) if (b.item(i) instanceof Tensor t) scope.keep(t);
        return b;
    }

    private static String shortList(int[] a) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < a.length && i < 16; i++) sb.append(i == 0 ? "" : ", ").append(a[i]);
        return sb.append(a.length > 16 ? ", ... (" + a.length + " in all)]" : "]").toString();
    }

    /** A well-mixed seed for batch {@code k} of an epoch (SplitMix64 finaliser). */
    static long mix(long epochSeed, long k) {
        long z = epochSeed + 0x9E3779B97F4A7C15L * (k + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Options of a {@link DataLoader}, with PyTorch's defaults: batchSize 1, no shuffling, no workers,
     * prefetchFactor 2.
     */
    public static final class Builder {
        private final Dataset dataset;
        private final IterableDataset iterable;
        private int batchSize = 1;
        private boolean batchSizeSet;
        private boolean shuffle;
        private boolean dropLast;
        private Sampler sampler;
        private BatchSampler batchSampler;
        private Collate collate = Collate.DEFAULT;
        private int numWorkers;
        private int prefetchFactor = 2;
        private boolean prefetchSet;
        private boolean pinMemory;
        private Long seed;
        private Generator generator;

        private Builder(Dataset dataset, IterableDataset iterable) {
            this.dataset = dataset;
            this.iterable = iterable;
        }

        /** Samples per batch, at least 1. */
        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) throw new IllegalArgumentException("DataLoader: batchSize should be a positive integer, got " + batchSize);
            this.batchSize = batchSize;
            this.batchSizeSet = true;
            return this;
        }

        /** A new random order every epoch. */
        public Builder shuffle(boolean shuffle) { this.shuffle = shuffle; return this; }

        /** Drops the last batch when it has fewer than batchSize samples. */
        public Builder dropLast(boolean dropLast) { this.dropLast = dropLast; return this; }

        /** Where indices come from; excludes shuffle. */
        public Builder sampler(Sampler sampler) { this.sampler = sampler; return this; }

        /** Whole batches of indices; excludes batchSize, shuffle, sampler and dropLast. */
        public Builder batchSampler(BatchSampler batchSampler) { this.batchSampler = batchSampler; return this; }

        /** How samples become a batch; {@link Collate#DEFAULT} stacks them. */
        public Builder collate(Collate collate) {
            if (collate == null) throw new IllegalArgumentException("DataLoader: collate must not be null");
            this.collate = collate;
            return this;
        }

        /** Background threads that prepare batches ahead; 0 (default) works on the caller's thread. */
        public Builder numWorkers(int numWorkers) {
            if (numWorkers < 0) throw new IllegalArgumentException("DataLoader: numWorkers option should be non-negative, got " + numWorkers);
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches each worker prepares ahead (default 2); only with numWorkers > 0. */
        public Builder prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) throw new IllegalArgumentException("DataLoader: prefetchFactor should be a positive integer, got " + prefetchFactor);
            this.prefetchFactor = prefetchFactor;
            this.prefetchSet = true;
            return this;
        }

        /** Page-locked batches for fast copies to a GPU; a no-op on the CPU. */
        public Builder pinMemory(boolean pinMemory) { this.pinMemory = pinMemory; return this; }

        /** Seeds shuffling and the per-batch generators of random transforms. */
        public Builder seed(long seed) { this.seed = seed; return this; }

        /** Draws shuffling and per-batch seeds from this generator. */
        public Builder generator(Generator generator) { this.generator = generator; return this; }

        /** Checks the combination of options, as PyTorch does. */
        public DataLoader build() {
            if (iterable != null && (shuffle || sampler != null || batchSampler != null)) {
                throw new IllegalArgumentException("DataLoader: an IterableDataset takes no shuffle, sampler or batchSampler option"
                        + " (it gives its samples in its own order)");
            }
            if (sampler != null && shuffle) {
                throw new IllegalArgumentException("DataLoader: the sampler option is mutually exclusive with shuffle");
            }
            if (batchSampler != null && (batchSizeSet || shuffle || sampler != null || dropLast)) {
                throw new IllegalArgumentException("DataLoader: the batchSampler option is mutually exclusive with batchSize, shuffle, sampler and dropLast");
            }
            if (prefetchSet && numWorkers == 0) {
                throw new IllegalArgumentException("DataLoader: prefetchFactor is only used with numWorkers > 0; leave it unset for numWorkers = 0");
            }
            if (seed != null && generator != null) {
                throw new IllegalArgumentException("DataLoader: give either seed or generator, not both");
            }
            return new DataLoader(this);
        }
    }
}
