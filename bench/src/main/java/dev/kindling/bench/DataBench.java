package dev.kindling.bench;

import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.datasets.FashionMNIST;
import dev.kindling.data.transforms.Transforms;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Fashion-MNIST input pipeline: time to decode the 60,000 training images, then batches per second for one
 * shuffled epoch of batches of 64 through toTensor + normalize, with 0 and 2 workers (median of 5 epochs
 * after 1 warm-up epoch), and the calling thread's CPU time per batch, which stays meaningful on a busy
 * machine. The PyTorch peer is bench/python/data_bench.py. Without a root holding the files it reads
 * Debian's {@code /usr/share/datasets/fashion-mnist}.
 *
 * <pre>
 * mvn -B -q -pl engine-java,bench compile
 * mvn -B -q -pl engine-java dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp "bench/target/classes:engine-java/target/classes:$(cat /tmp/cp.txt)" dev.kindling.bench.DataBench [root]
 * </pre>
 */
public final class DataBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private DataBench() { }

    public static void main(String[] args) {
        Path root = Path.of(args.length > 0 ? args[0] : "data");
        var transform = Transforms.compose(Transforms.toTensor(), Transforms.normalize(0.2860, 0.3530));
        double[] loads = new double[3];
        FashionMNIST train = null;
        for (int i = 0; i < loads.length; i++) {
            long t0 = System.nanoTime();
            train = new FashionMNIST(root, true, transform);
            loads[i] = (System.nanoTime() - t0) / 1e6;
        }
        System.out.printf("load 60,000 Fashion-MNIST training images: median %.0f ms (runs %s)%n", median(loads), Arrays.toString(round(loads)));
        for (int workers : new int[]{0, 2}) {
            var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).numWorkers(workers).build();
            epoch(loader);   // warm-up
            double[] rates = new double[5], cpu = new double[5];
            for (int e = 0; e < rates.length; e++) {
                long t0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
                int n = epoch(loader);
                rates[e] = n / ((System.nanoTime() - t0) / 1e9);
                cpu[e] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / n;
            }
            System.out.printf("numWorkers=%d: %d batches of 64 per epoch, median %.0f batches/s (%.0f images/s), epochs %s%n",
                    workers, loader.size(), median(rates), median(rates) * 64, Arrays.toString(round(rates)));
            // CPU time of the calling thread: with 0 workers the whole pipeline's cost, and steady when the machine is busy
            System.out.printf("numWorkers=%d: caller thread CPU per batch: median %.0f us%n", workers, median(cpu));
        }
    }

    private static int epoch(DataLoader loader) {
        int n = 0;
        for (Batch b : loader) {
            n++;
            b.close();
        }
        return n;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long[] round(double[] v) {
        return Arrays.stream(v).mapToLong(Math::round).toArray();
    }
}
