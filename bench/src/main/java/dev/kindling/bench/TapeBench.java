package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * The cost of recording the autograd tape: a chain of small elementwise ops (mul and add on a [16]
 * tensor, alternating) run with grad recording off, with it on, and the backward pass of the recorded
 * chain. Prints microseconds per op and ops per second (medians) so the per-op overhead of the tape is known.
 * Each figure is given in this thread's CPU time (the ops are far too small to use a second core, and it
 * stays meaningful on a loaded machine) and in wall time (which also pays for GC and the cleaner thread).
 * {@code bench/python/tape_bench.py} measures PyTorch the same way.
 *
 * <pre>
 * java -cp ... dev.kindling.bench.TapeBench [chainLength] [repetitions]
 * </pre>
 */
public final class TapeBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private TapeBench() {}

    /** CPU and wall seconds of one measurement. */
    private record Time(double cpu, double wall) {}

    public static void main(String[] args) {
        int ops = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 101;
        Kindling.setNumThreads(2);
        Kindling.manualSeed(0);
        Tensor x = Tensor.randn(16).requiresGrad(true);
        Tensor a = Tensor.rand(16).mul(0.01).add(1.0);
        Tensor b = Tensor.rand(16).mul(0.01);

        // warm up every path so the JIT has compiled it before timing
        for (int i = 0; i < 30; i++) {
            forward(x, a, b, ops, false);
            forward(x, a, b, ops, true);
            backward(x, a, b, ops);
        }
        Time[] off = new Time[reps], on = new Time[reps], back = new Time[reps];
        for (int r = 0; r < reps; r++) {
            off[r] = forward(x, a, b, ops, false);
            on[r] = forward(x, a, b, ops, true);
            back[r] = backward(x, a, b, ops);
        }
        System.out.printf(Locale.ROOT, "TapeBench: chain of %d elementwise ops (mul, add) on a [16] float32 tensor, median of %d%n", ops, reps);
        System.out.printf(Locale.ROOT, "  %-28s %14s %14s %14s%n", "", "cpu us/op", "wall us/op", "ops/s (cpu)");
        report("forward, noGrad", off, ops);
        report("forward, recording the tape", on, ops);
        report("backward through the chain", back, ops);
        System.out.printf(Locale.ROOT, "  tape overhead: %.2f us/op cpu, %.2f us/op wall%n",
                (median(on, true) - median(off, true)) / ops * 1e6, (median(on, false) - median(off, false)) / ops * 1e6);

        // slices' gradients: backward of the sum of every step of x.unbind(0), as a sequence model does
        Tensor seq = Tensor.randn(100, 64, 128).requiresGrad(true);
        Time[] unbind = new Time[Math.max(5, reps / 10)];
        for (int i = 0; i < 3; i++) unbindBackward(seq);
        for (int r = 0; r < unbind.length; r++) unbind[r] = unbindBackward(seq);
        System.out.printf(Locale.ROOT, "  backward of unbind(0) of a [100, 64, 128] tensor, every step used: %.2f ms cpu, %.2f ms wall%n",
                median(unbind, true) * 1e3, median(unbind, false) * 1e3);
    }

    private static Time unbindBackward(Tensor seq) {
        try (var s = Kindling.scope()) {
            Tensor loss = null;
            for (Tensor step : seq.unbind(0)) loss = loss == null ? step.sum() : loss.add(step.sum());
            long c0 = THREADS.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            loss.backward();
            long c1 = THREADS.getCurrentThreadCpuTime(), w1 = System.nanoTime();
            seq.setGrad(null);
            return new Time((c1 - c0) * 1e-9, (w1 - w0) * 1e-9);
        }
    }

    private static void report(String what, Time[] t, int ops) {
        double cpu = median(t, true), wall = median(t, false);
        System.out.printf(Locale.ROOT, "  %-28s %14.2f %14.2f %14.0f%n", what, cpu / ops * 1e6, wall / ops * 1e6, ops / cpu);
    }

    /**
     * One chain, including freeing it when its scope closes (PyTorch frees as references drop, inside its
     * timed loop), so memory stays flat across repetitions.
     */
    private static Time forward(Tensor x, Tensor a, Tensor b, int ops, boolean grad) {
        long c0 = THREADS.getCurrentThreadCpuTime(), w0 = System.nanoTime();
        try (var s = Kindling.scope(); var mode = grad ? Kindling.enableGrad() : Kindling.noGrad()) {
            Tensor y = chain(x, a, b, ops);
            if (y.requiresGrad() != grad) throw new AssertionError("grad mode not respected");
        }
        long c1 = THREADS.getCurrentThreadCpuTime(), w1 = System.nanoTime();
        return new Time((c1 - c0) * 1e-9, (w1 - w0) * 1e-9);
    }

    /** Backward alone, after recording a chain. */
    private static Time backward(Tensor x, Tensor a, Tensor b, int ops) {
        try (var s = Kindling.scope()) {
            Tensor loss = chain(x, a, b, ops).sum();
            long c0 = THREADS.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            loss.backward();
            long c1 = THREADS.getCurrentThreadCpuTime(), w1 = System.nanoTime();
            x.setGrad(null);
            return new Time((c1 - c0) * 1e-9, (w1 - w0) * 1e-9);
        }
    }

    private static Tensor chain(Tensor x, Tensor a, Tensor b, int ops) {
        Tensor y = x;
        for (int i = 0; i < ops; i++) y = (i & 1) == 0 ? y.mul(a) : y.add(b);
        return y;
    }

    private static double median(Time[] v, boolean cpu) {
        double[] c = new double[v.length];
        for (int i = 0; i < v.length; i++) c[i] = cpu ? v[i].cpu() : v[i].wall();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
