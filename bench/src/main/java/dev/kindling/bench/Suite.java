package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.LogSoftmax;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Kindling's side of the side-by-side suite run by {@code bench/run.sh}; {@code bench/python/suite.py} is the
 * PyTorch twin and does the same work. Each run measures one group of workloads and prints one JSON line per
 * figure, {@code {"impl":"kindling","group":...,"workload":...,"unit":...,"value":...}}, which
 * {@code bench/python/aggregate.py} turns into the table. Lines with a {@code "meta"} key describe the setup.
 *
 * <pre>{@code java -Xss4m -cp <bench classes>:<runtime classpath> dev.kindling.bench.Suite <group> [--threads N] [--quick]}</pre>
 * Groups: {@code mlp_train}, {@code memory} (mlp_train, keeping only the peak RSS line), {@code tiny},
 * {@code inference}, {@code optim}, {@code ops}, {@code cnn}, {@code cnn_epoch} (run once per side). {@code --quick} uses small sizes to check the harness; its
 * figures are not comparable with full runs.
 */
public final class Suite {
    private Suite() {}

    /** Small sizes and few iterations: checks that the harness works, nothing more. */
    static boolean quick;
    /** Intra-op threads, as given to {@link Kindling#setNumThreads}. */
    static int threads = 2;
    /** The group being run, copied into every line. */
    static String group = "";

    public static void main(String[] args) {
        String g = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> {
                    if (g != null || args[i].startsWith("-")) usage("unexpected argument " + args[i]);
                    g = args[i];
                }
            }
        }
        if (g == null) usage("no group given");
        group = g;
        Kindling.setNumThreads(threads);
        Kindling.manualSeed(0);
        meta("kindling_blas", Kindling.nativeBlasStatus());
        meta("kindling_matmul", dev.kindling.backend.cpu.CpuBackend.matmulKernels());
        meta("kindling_conv", dev.kindling.Kindling.convKernels());
        meta("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        switch (g) {
            case "mlp_train" -> MlpWorkloads.train(false);
            case "memory" -> MlpWorkloads.train(true);
            case "tiny" -> MlpWorkloads.tiny();
            case "inference" -> MlpWorkloads.inference();
            case "optim" -> OptimWorkloads.run();
            case "ops" -> OpWorkloads.run();
            case "more_ops" -> OpWorkloads.more();
            case "cnn" -> CnnWorkloads.run();
            case "cnn_epoch" -> CnnWorkloads.epoch();
            default -> usage("unknown group " + g);
        }
    }

    private static void usage(String why) {
        System.err.println("Suite: " + why + "\nusage: Suite <mlp_train|memory|tiny|inference|optim|ops|more_ops|cnn|cnn_epoch> [--threads N] [--quick]");
        System.exit(2);
    }

    /** The MLP of workloads mlp_train and inference: 784-512-256-10 with ReLU and LogSoftmax. */
    static Module mlp() {
        return new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(),
                new Linear(256, 10), new LogSoftmax(1));
    }

    /** Prints one result line. */
    static void emit(String workload, String unit, double value) {
        System.out.printf(Locale.ROOT, "{\"impl\":\"kindling\",\"group\":\"%s\",\"workload\":\"%s\",\"unit\":\"%s\",\"value\":%s}%n",
                json(group), json(workload), json(unit), Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        System.out.flush();
    }

    /** Prints one line describing the setup (shown above the table, not compared). */
    static void meta(String key, String value) {
        System.out.printf("{\"impl\":\"kindling\",\"meta\":\"%s\",\"value\":\"%s\"}%n", json(key), json(value));
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** Peak resident set size of this process (VmHWM in /proc/self/status), in MiB; NaN where unknown. */
    static double peakRssMiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return Double.NaN;
    }
}
