package dev.kindling;

import dev.kindling.nn.F;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 1: the native memory of a temporary must stay valid while it is read, even when a collection
 * runs meanwhile. Four threads compute with temporaries that nothing keeps ({@code Tensor.ones(4096).mul(v)
 * .toFloatArray()}, products, convolutions, reductions, copies, item(), toByteBuffer(), printing) while a fifth
 * calls {@code System.gc()} in a loop and churns garbage for young collections in between, so the Cleaner keeps freeing what became unreachable and the pool hands
 * it straight to another thread. Every value is unique to its thread and iteration and checked exactly: a
 * temporary freed mid-read shows another thread's value (or garbage) instead of its own.
 */
class GcStressTest {
    private static final int THREADS = 4;
    private static final long MILLIS = Long.getLong("kindling.gcStressMillis", 6_000);
    /** Elements of the large temporaries: a read long enough (about a millisecond) for a collection to land in it. */
    private static final int N = 1 << 16;

    @Test
    void temporariesReadWhileTheCollectorRunsKeepTheirValues() throws InterruptedException {
        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong checks = new AtomicLong(), collections = new AtomicLong();
        Tensor ones48x16 = Tensor.ones(48, 16), kernel = Tensor.ones(3, 2, 3, 3); // shared, read-only
        Thread collector = new Thread(() -> {
            try {
                byte[][] churn = new byte[64][];
                for (int i = 0; !stop.get(); i++) {
                    // young collections every few milliseconds from garbage, and a full one now and then
                    churn[i & 63] = new byte[1 << 16];
                    if (i % 2048 == 0) {
                        System.gc();
                        collections.incrementAndGet();
                    }
                    if (i % 64 == 0) Thread.sleep(0, 200_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gc-loop");
        Thread[] workers = new Thread[THREADS];
        long deadline = System.nanoTime() + MILLIS * 1_000_000;
        for (int w = 0; w < THREADS; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                try {
                    for (int it = 0; System.nanoTime() < deadline && failures.size() < 20; it++) {
                        // unique to this thread and iteration, exact in float32 after every op below
                        float v = 1 + id * 1000 + it % 997;
                        String at = "thread " + id + " iteration " + it + " value " + v + ": ";
                        check(failures, at + "ones(N).mul(v).toFloatArray()", Tensor.ones(N).mul(v).toFloatArray(), v, N);
                        check(failures, at + "full(4096, v).sum().item()", new float[]{(float) Tensor.full(new int[]{4096}, v).sum().item()}, 4096 * v, 1);
                        check(failures, at + "ones(1).mul(v).item()", new float[]{(float) Tensor.ones(1).mul(v).item()}, v, 1);
                        check(failures, at + "matmul", Tensor.full(new int[]{32, 48}, v).matmul(ones48x16).toFloatArray(), 48 * v, 32 * 16);
                        check(failures, at + "conv2d", F.conv2d(Tensor.full(new int[]{1, 2, 8, 8}, v), kernel, null).toFloatArray(), 18 * v, 3 * 6 * 6);
                        check(failures, at + "t().contiguous()", Tensor.full(new int[]{64, 64}, v).t().contiguous().toFloatArray(), v, 4096);
                        check(failures, at + "copy_", Tensor.zeros(N).copy_(Tensor.ones(N).mul(v)).toFloatArray(), v, N);
                        check(failures, at + "amax", Tensor.full(new int[]{256, 16}, v).amax(new int[]{1}, false).toFloatArray(), v, 256);
                        long[] longs = Tensor.full(new int[]{N}, v, DType.INT64).add(1).toLongArray();
                        for (long l : longs) if (l != (long) v + 1) { failures.add(at + "INT64 add: " + l); break; }
                        ByteBuffer bytes = Tensor.ones(N).mul(v).toByteBuffer(ByteOrder.LITTLE_ENDIAN);
                        for (int i = 0; i < N; i++) {
                            if (bytes.getFloat(4 * i) != v) { failures.add(at + "toByteBuffer[" + i + "] = " + bytes.getFloat(4 * i)); break; }
                        }
                        if (it % 8 == 0) {
                            String s = Tensor.full(new int[]{3}, v).mul(1).toString();
                            if (!s.contains((int) v + ".")) failures.add(at + "toString " + s);
                        }
                        checks.addAndGet(12);
                    }
                } catch (Throwable e) {
                    failures.add("thread " + id + " threw " + e);
                }
            }, "gc-stress-" + w);
        }
        collector.setDaemon(true);
        collector.start();
        for (Thread t : workers) t.start();
        for (Thread t : workers) t.join(MILLIS + 60_000);
        stop.set(true);
        collector.join(10_000);
        System.out.println("gc stress: " + checks.get() + " checks, " + collections.get() + " System.gc() calls, "
                + Kindling.memoryStats());
        assertTrue(failures.isEmpty(), failures.size() + " wrong results, first: " + failures.peek());
        assertTrue(checks.get() >= THREADS * 12, "too few iterations: " + checks.get());
        assertTrue(collections.get() > 0, "the collector loop never ran");
    }

    private static void check(Queue<String> failures, String what, float[] got, float expected, int n) {
        if (got.length != n) {
            failures.add(what + ": " + got.length + " values, expected " + n);
            return;
        }
        for (int i = 0; i < n; i++) {
            if (got[i] != expected) {
                failures.add(what + ": element " + i + " is " + got[i] + ", expected " + expected);
                return;
            }
        }
    }
}
