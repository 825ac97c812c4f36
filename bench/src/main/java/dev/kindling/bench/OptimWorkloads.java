package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.optim.Adam;
import dev.kindling.optim.AdamW;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.RMSprop;
import dev.kindling.optim.SGD;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Workload group optim: one step of Adam, AdamW, SGD with momentum and RMSprop over about 1M FLOAT32
 * parameters, as one [1000, 1000] tensor and as the 8 tensors of an MLP-like model; fixed random gradients.
 * Milliseconds per step (median of 50 after 100 warm-up steps, for the JIT; the Python twin takes 10), and the Java heap this thread allocates per step.
 */
final class OptimWorkloads {
    private OptimWorkloads() {}

    /** The 8-tensor layout: 784,000 + 1,000 + 256,000 + 256 + 2,560 + 10 + 10,000 + 100 = 1,053,926 parameters. */
    static final int[][] EIGHT = {{784, 1000}, {1000}, {256, 1000}, {256}, {10, 256}, {10}, {100, 100}, {100}};

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static void run() {
        List<String> names = List.of("adam", "adamw", "sgd", "rmsprop");
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                p -> new Adam(p, 1e-3),
                p -> AdamW.builder(p).lr(1e-3).weightDecay(1e-2).build(),
                p -> new SGD(p, 0.01, 0.9),
                p -> new RMSprop(p, 1e-2));
        for (String layout : List.of("1tensor", "8tensors")) {
            int[][] shapes = layout.equals("1tensor") ? new int[][]{{1000, 1000}} : EIGHT;
            for (int k = 0; k < names.size(); k++) {
                Kindling.manualSeed(0);
                List<Tensor> params = new ArrayList<>();
                for (int[] s : shapes) {
                    Tensor p = Tensor.randn(s).requiresGrad(true);
                    p.setGrad(Tensor.randn(s).mul_(0.01));
                    params.add(p);
                }
                measure(names.get(k) + "_" + layout, makers.get(k).apply(params));
                for (Tensor p : params) {
                    p.grad().close();
                    p.close();
                }
            }
        }
    }

    private static void measure(String workload, Optimizer optimizer) {
        int warmup = Suite.quick ? 2 : 100, steps = Suite.quick ? 5 : 50;
        for (int i = 0; i < warmup; i++) optimizer.step();
        long me = Thread.currentThread().getId();
        double[] ms = new double[steps];
        long bytes0 = MX.getThreadAllocatedBytes(me);
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            optimizer.step();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        long bytes = MX.getThreadAllocatedBytes(me) - bytes0;
        Suite.emit(workload, "ms", Suite.median(ms));
        Suite.emit(workload + "_heap_bytes_per_step", "bytes/step", (double) bytes / steps);
    }
}
