package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The tensor core's speed: float32 matmul through {@code Tensor.matmul} next to {@code cblas_sgemm} called
 * directly on native buffers holding the same values, and elementwise add/relu on 4M floats.
 * Compare with {@code bench/python/tensor_bench.py} (PyTorch, 2 threads) on the same machine.
 *
 * <pre>{@code mvn -B -q -pl bench -am compile exec:java -Dexec.mainClass=dev.kindling.bench.TensorBench}</pre>
 * Optional arguments: thread count (default 2), a repetition multiplier (default 1), and which part to run
 * ({@code all}, {@code matmul} or {@code elementwise}).
 */
public final class TensorBench {
    private TensorBench() {}

    interface Body { void run(); }

    /** Fastest run seen by any {@link #median} call: on a shared machine it shows the uncontended speed. */
    static double fastest = Double.MAX_VALUE;

    /** Median seconds of {@code reps} timed runs after {@code warmup} untimed ones. */
    static double median(int warmup, int reps, Body body) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        fastest = Math.min(fastest, t[0]);
        return t[reps / 2];
    }

    /** The median of three interleavable rounds (the best of them) and the fastest single run. */
    static double[] timed(int warmup, int reps, Body body) {
        fastest = Double.MAX_VALUE;
        double m = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) m = Math.min(m, median(warmup, reps, body));
        return new double[]{m, fastest};
    }

    static FloatBuffer nativeCopy(Tensor t) {
        float[] v = t.toFloatArray();
        FloatBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        b.put(v).flip();
        return b;
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int mult = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String what = args.length > 2 ? args[2] : "all";
        Kindling.setNumThreads(threads);
        THREADS = threads;
        Kindling.manualSeed(0);
        System.out.printf(Locale.ROOT, "Kindling TensorBench: %d threads, native BLAS: %s, java %s%n",
                threads, Kindling.nativeBlasStatus(), System.getProperty("java.version"));

        if (!what.equals("elementwise")) matmul(mult);
        if (!what.equals("matmul")) elementwise(mult);
        System.out.println("\n" + Kindling.memoryStats());
    }

    private static int THREADS = 2;

    static void matmul(int mult) {
        System.out.println("\nfloat32 matmul (n x n @ n x n), median");
        System.out.println("    n   Tensor.matmul GFLOP/s   cblas_sgemm GFLOP/s   ratio");
        for (int n : new int[]{256, 512, 1024, 2048}) {
            Tensor a = Tensor.randn(n, n), b = Tensor.randn(n, n);
            FloatBuffer na = nativeCopy(a), nb = nativeCopy(b);
            FloatBuffer nc = ByteBuffer.allocateDirect(n * n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            double flop = 2.0 * n * n * n;
            int reps = mult * Math.max(5, (int) (2e10 / flop / 4));
            Body viaTensor = () -> a.matmul(b).close();
            Body direct = () -> openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                    openblas_nolapack.CblasNoTrans, openblas_nolapack.CblasNoTrans, n, n, n,
                    1f, na, n, nb, n, 0f, nc, n);
            // interleave the two so that load from other processes hits both alike; keep the best median
            double tt = Double.MAX_VALUE, td = Double.MAX_VALUE, ft = Double.MAX_VALUE, fd = Double.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                fastest = Double.MAX_VALUE;
                tt = Math.min(tt, median(2, reps, viaTensor));
                ft = Math.min(ft, fastest);
                fastest = Double.MAX_VALUE;
                // the direct call gets OpenBLAS's own threading with the same thread count; Kindling keeps
                // OpenBLAS single-threaded and splits products over its pool, so restore that afterwards
                org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(THREADS);
                td = Math.min(td, median(2, reps, direct));
                org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
                fd = Math.min(fd, fastest);
            }
            System.out.printf(Locale.ROOT, "%5d   %21.1f   %19.1f   %4.0f%%   fastest runs: %6.1f vs %6.1f GFLOP/s (%3.0f%%)%n",
                    n, flop / tt / 1e9, flop / td / 1e9, 100 * td / tt, flop / ft / 1e9, flop / fd / 1e9, 100 * fd / ft);
            a.close();
            b.close();
        }

    }

    static void elementwise(int mult) {
        int n = 4 << 20;
        Tensor x = Tensor.randn(n), y = Tensor.randn(n);
        System.out.println("\nelementwise on 4M float32 (16 MiB per tensor), median, result allocated each call");
        System.out.println("  op  median ms  GB/s");
        int reps = 50 * mult;
        double[] add = timed(10, reps, () -> x.add(y).close());
        double[] relu = timed(10, reps, () -> x.relu().close());
        double[] mul = timed(10, reps, () -> y.mul_(1f));
        double mb = n * 4.0;
        System.out.printf(Locale.ROOT, "  add   %6.3f  %6.1f   fastest %6.3f ms%n", add[0] * 1e3, 3 * mb / add[0] / 1e9, add[1] * 1e3);
        System.out.printf(Locale.ROOT, "  relu  %6.3f  %6.1f   fastest %6.3f ms%n", relu[0] * 1e3, 2 * mb / relu[0] / 1e9, relu[1] * 1e3);
        System.out.printf(Locale.ROOT, "  mul_  %6.3f  %6.1f   fastest %6.3f ms   (in place, by a scalar)%n", mul[0] * 1e3, 2 * mb / mul[0] / 1e9, mul[1] * 1e3);
    }
}
