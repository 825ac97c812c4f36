package dev.kindling.data;

import dev.kindling.Generator;
import dev.kindling.Kindling;

/**
 * What a {@link DataLoader} tells the code that prepares a batch ({@code torch.utils.data.get_worker_info}):
 * the worker's id and a random generator seeded for this very batch. Random transforms draw from
 * {@link #generator()}, so a loader with a seed gives the same augmented batches with 0 or many workers.
 *
 * <pre>{@code
 * boolean flip = WorkerInfo.generator().nextDouble() < 0.5;
 * }</pre>
 */
public final class WorkerInfo {
    private static final ThreadLocal<WorkerInfo> CURRENT = new ThreadLocal<>();

    private final int id;
    private final Generator generator;

    private WorkerInfo(int id, Generator generator) {
        this.id = id;
        this.generator = generator;
    }

    /** The worker preparing the current batch (0 when the loader runs on the caller's thread), or -1 outside a loader. */
    public static int id() {
        WorkerInfo w = CURRENT.get();
        return w == null ? -1 : w.id;
    }

    /** The current batch's generator inside a loader; {@link Kindling#defaultGenerator()} outside one. */
    public static Generator generator() {
        WorkerInfo w = CURRENT.get();
        return w == null ? Kindling.defaultGenerator() : w.generator;
    }

    /** Restores the previous info; closing throws nothing. */
    interface Restore extends AutoCloseable {
        @Override void close();
    }

    /** Installs the info for one batch; the returned guard restores the previous one. */
    static Restore enter(int id, long seed) {
        WorkerInfo previous = CURRENT.get();
        CURRENT.set(new WorkerInfo(id, new Generator(seed)));
        return () -> CURRENT.set(previous);
    }
}
