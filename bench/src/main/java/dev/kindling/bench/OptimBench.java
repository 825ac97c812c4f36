package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.optim.Adam;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adam step time for 1M and 10M FLOAT32 parameters, and the Java heap allocated per step (all threads),
 * to compare with {@code bench/python/optim_bench.py} (PyTorch, 2 threads).
 *
 * <pre>
 * mvn -q -pl engine-java,bench compile exec:java -Dexec.mainClass=dev.kindling.bench.OptimBench -Dexec.args=2
 * OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/optim_bench.py 2
 * </pre>
 */
public final class OptimBench {
    private OptimBench() {}

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Bytes allocated so far on the Java heap by every live thread. */
    static long allocatedBytes() {
        long[] ids = THREADS.getAllThreadIds();
        long sum = 0;
        for (long b : THREADS.getThreadAllocatedBytes(ids)) if (b > 0) sum += b;
        return sum;
    }

    static void run(String label, List<Tensor> params, int warmup, int reps) {
        for (Tensor p : params) p.setGrad(Tensor.randn(p.shape()).mul(0.01f));
        var opt = Adam.builder(params).lr(1e-3).build();
        for (int i = 0; i < warmup; i++) opt.step();
        double[] ms = new double[reps];
        long[] garbage = new long[reps];
        for (int i = 0; i < reps; i++) {
            long a0 = allocatedBytes();
            long t0 = System.nanoTime();
            opt.step();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            garbage[i] = allocatedBytes() - a0;
        }
        Arrays.sort(ms);
        Arrays.sort(garbage);
        long n = 0;
        for (Tensor p : params) n += p.numel();
        System.out.printf("%-28s params=%,d tensors=%d  median %.2f ms  (min %.2f)  heap/step median %,d B%n",
                label, n, params.size(), ms[reps / 2], ms[0], garbage[reps / 2]);
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Kindling.setNumThreads(threads);
        Kindling.manualSeed(0);
        System.out.println("Kindling Adam step, FLOAT32, threads=" + threads);
        run("Adam 1M (1 tensor)", List.of(Tensor.zeros(1000, 1000).requiresGrad(true)), 10, 31);
        List<Tensor> mlp = new ArrayList<>();
        // an MLP-like split of ~1M parameters into 8 tensors
        for (int[] s : new int[][]{{784, 1000}, {1000}, {256, 1000}, {256}, {10, 256}, {10}, {100, 100}, {100}}) {
            mlp.add(Tensor.zeros(s).requiresGrad(true));
        }
        run("Adam ~1M (8 tensors)", mlp, 10, 31);
        run("Adam 10M (1 tensor)", List.of(Tensor.zeros(10, 1000, 1000).requiresGrad(true)), 3, 11);
    }
}
