package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;

import java.util.Arrays;

/**
 * nn forward+backward timings, next to bench/python/nn_bench.py (PyTorch, 2 threads):
 * Conv2d(32, 64, 3, padding=1) on a [64, 32, 28, 28] batch, and a 784-512-256-10 MLP with cross entropy on
 * a batch of 64. Prints the median of N runs after a warmup long enough for the JIT to compile the im2col loops.
 *
 * <pre>{@code java -cp ... dev.kindling.bench.NnBench [runs] [threads, default 2]}</pre>
 */
public final class NnBench {
    private NnBench() {}

    interface Step { void run(); }

    static double medianMs(Step step, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) step.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            step.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return t[runs / 2];
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Kindling.setNumThreads(threads);
        Kindling.manualSeed(0);
        System.out.println("BLAS: " + Kindling.nativeBlasStatus() + ", threads " + Kindling.getNumThreads());

        Conv2d conv = new Conv2d(32, 64, 3, 1, 1);
        Tensor x = Tensor.randn(64, 32, 28, 28).requiresGrad(true);
        double convMs = medianMs(() -> {
            try (var s = Kindling.scope()) {
                conv.zeroGrad();
                x.setGrad(null);
                conv.forward(x).sum().backward();
            }
        }, 8, runs);
        double convFwdMs = medianMs(() -> {
            try (var s = Kindling.scope(); var off = Kindling.noGrad()) {
                conv.forward(x);
            }
        }, 8, runs);
        System.out.printf("conv2d 64x32x28x28 -> 64 ch, 3x3 pad 1: forward+backward %.2f ms (forward alone %.2f ms)%n", convMs, convFwdMs);

        Module mlp = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
        Tensor xb = Tensor.randn(64, 784);
        Tensor yb = Tensor.randint(0, 10, 64);
        CrossEntropyLoss ce = new CrossEntropyLoss();
        double mlpMs = medianMs(() -> {
            try (var s = Kindling.scope()) {
                mlp.zeroGrad();
                ce.forward(mlp.forward(xb), yb).backward();
            }
        }, 10, runs * 5);
        System.out.printf("mlp 784-512-256-10, batch 64, cross entropy: forward+backward %.3f ms%n", mlpMs);
    }
}
