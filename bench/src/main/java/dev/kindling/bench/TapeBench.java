package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of recording the autograd tape: a chain of small elementwise ops (mul and add on a [16]
 * tensor, alternating) run with grad recording off, with it on, and the backward pass of the recorded
 * chain. Prints ops per second (median of the repetitions) so the per-op overhead of the tape is known.
 *
 * <pre>
 * java -cp ... dev.kindling.bench.TapeBench [chainLength] [repetitions]
 * </pre>
 * Compare with {@code tape_bench.py} next to this file (PyTorch, 2 threads).
 */
public final class TapeBench {
    private TapeBench() {}

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 31;
        Kindling.setNumThreads(2);
        Kindling.manualSeed(0);
        Tensor x = Tensor.randn(16).requiresGrad(true);
        Tensor a = Tensor.rand(16).mul(0.01).add(1.0);
        Tensor b = Tensor.rand(16).mul(0.01);

        // warm up every path so the JIT has compiled it before timing
        for (int i = 0; i < 20; i++) {
            forward(x, a, b, ops, false);
            backward(x, a, b, ops);
        }
        double[] off = new double[reps], on = new double[reps], back = new double[reps];
        for (int r = 0; r < reps; r++) {
            off[r] = forward(x, a, b, ops, false);
            on[r] = forward(x, a, b, ops, true);
            back[r] = backward(x, a, b, ops);
        }
        double tOff = median(off), tOn = median(on), tBack = median(back);
        System.out.printf(Locale.ROOT, "TapeBench: chain of %d elementwise ops on a [16] float32 tensor, median of %d%n", ops, reps);
        System.out.printf(Locale.ROOT, "  forward, noGrad           %8.1f us/op  %10.0f ops/s%n", tOff / ops * 1e6, ops / tOff);
        System.out.printf(Locale.ROOT, "  forward, recording tape   %8.1f us/op  %10.0f ops/s  (tape overhead %.1f us/op)%n",
                tOn / ops * 1e6, ops / tOn, (tOn - tOff) / ops * 1e6);
        System.out.printf(Locale.ROOT, "  backward through the chain %7.1f us/op  %10.0f ops/s%n", tBack / ops * 1e6, ops / tBack);
    }

    /** Seconds for one chain; freed by a scope so memory stays flat across repetitions. */
    private static double forward(Tensor x, Tensor a, Tensor b, int ops, boolean grad) {
        try (var s = Kindling.scope(); var mode = grad ? Kindling.enableGrad() : Kindling.noGrad()) {
            long t0 = System.nanoTime();
            Tensor y = chain(x, a, b, ops);
            long t1 = System.nanoTime();
            if (y.requiresGrad() != grad) throw new AssertionError("grad mode not respected");
            return (t1 - t0) * 1e-9;
        }
    }

    /** Seconds for backward alone, after recording a chain. */
    private static double backward(Tensor x, Tensor a, Tensor b, int ops) {
        try (var s = Kindling.scope()) {
            Tensor loss = chain(x, a, b, ops).sum();
            long t0 = System.nanoTime();
            loss.backward();
            long t1 = System.nanoTime();
            x.setGrad(null);
            return (t1 - t0) * 1e-9;
        }
    }

    private static Tensor chain(Tensor x, Tensor a, Tensor b, int ops) {
        Tensor y = x;
        for (int i = 0; i < ops; i++) y = (i & 1) == 0 ? y.mul(a) : y.add(b);
        return y;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
