package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.F;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The GPU benchmark of bench/cuda/device-check.sh, next to {@code bench/cuda/torch_bench.py} (the same workloads
 * in PyTorch): matmul 8192 in float32, TF32 and bfloat16 (TFLOP/s), an MLP training step (784-512-512-10, Adam,
 * cross-entropy) at batch 64 and 1024 (ms), the bench's CNN step (two 3x3 convolutions with max pooling on 28x28, Adam)
 * at batch 64 (ms), and an Adam step over 10M parameters (ms). One JSON line per workload on stdout; a workload that fails prints its error instead.
 * Every timing ends with a host read, which waits for the GPU.
 */
public final class CudaBench {
    private static final Device GPU = Device.cuda();

    private CudaBench() {}

    /** Runs every workload; {@code --quick} shortens them to check that they run. */
    public static void main(String[] args) {
        boolean quick = List.of(args).contains("--quick");
        int n = quick ? 1024 : 8192;
        run("matmul_f32_" + n, "TFLOP/s", () -> matmul(n, DType.FLOAT32, false, quick));
        run("matmul_tf32_" + n, "TFLOP/s", () -> matmul(n, DType.FLOAT32, true, quick));
        run("matmul_bf16_" + n, "TFLOP/s", () -> matmul(n, DType.BFLOAT16, false, quick));
        run("mlp_step_b64", "ms", () -> mlpStep(64, quick));
        run("mlp_step_b1024", "ms", () -> mlpStep(1024, quick));
        run("cnn_step_b64", "ms", () -> cnnStep(64, quick));
        run("adam_step_10M", "ms", () -> adamStep(quick ? 1_000_000 : 10_000_000, quick));
    }

    private static void run(String name, String unit, Supplier<Double> body) {
        try {
            double v = body.get();
            System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"impl\": \"kindling\", \"value\": %.4f, \"unit\": \"%s\"}%n", name, v, unit);
        } catch (RuntimeException e) {
            String msg = String.valueOf(e.getMessage()).replace('"', '\'').replace('\n', ' ');
            System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"impl\": \"kindling\", \"error\": \"%s: %s\"}%n",
                    name, e.getClass().getSimpleName(), msg.length() > 300 ? msg.substring(0, 300) : msg);
        }
        System.out.flush();
    }

    /** Waits for the GPU by reading one element. */
    private static void sync(Tensor t) { t.flatten().select(0, 0).item(); }

    private static double matmul(int n, DType dtype, boolean tf32, boolean quick) {
        Kindling.setAllowTf32(tf32);
        try (var s = Kindling.scope()) {
            Tensor a = Tensor.randn(n, n).to(dtype).to(GPU), b = Tensor.randn(n, n).to(dtype).to(GPU);
            for (int i = 0; i < 3; i++) sync(a.matmul(b));
            int reps = quick ? 3 : 10;
            long t0 = System.nanoTime();
            Tensor c = null;
            for (int i = 0; i < reps; i++) {
                if (c != null) c.close();
                c = a.matmul(b);
            }
            sync(c);
            double sec = (System.nanoTime() - t0) / 1e9 / reps;
            return 2.0 * n * n * n / sec / 1e12;
        } finally {
            Kindling.setAllowTf32(false);
        }
    }

    private static double mlpStep(int batch, boolean quick) {
        Kindling.manualSeed(0);
        var model = new Sequential(new Linear(784, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));
        model.to(GPU);
        var opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.randn(batch, 784).to(GPU), y = Tensor.randint(0, 10, batch).to(GPU);
        int warm = quick ? 3 : 20, reps = quick ? 5 : 100;
        sync(steps(model, opt, x, y, warm));
        long t0 = System.nanoTime();
        sync(steps(model, opt, x, y, reps));
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    private static double cnnStep(int batch, boolean quick) {
        Kindling.manualSeed(0);
        var model = new Sequential(new dev.kindling.nn.Conv2d(1, 32, 3, 1, 1), new ReLU(), new dev.kindling.nn.MaxPool2d(2),
                new dev.kindling.nn.Conv2d(32, 64, 3, 1, 1), new ReLU(), new dev.kindling.nn.MaxPool2d(2),
                new dev.kindling.nn.Flatten(), new Linear(3136, 128), new ReLU(), new Linear(128, 10));
        model.to(GPU);
        var opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.randn(batch, 1, 28, 28).to(GPU), y = Tensor.randint(0, 10, batch).to(GPU);
        int warm = quick ? 2 : 10, reps = quick ? 3 : 50;
        sync(steps(model, opt, x, y, warm));
        long t0 = System.nanoTime();
        sync(steps(model, opt, x, y, reps));
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    /** {@code count} training steps, each in its own scope; returns the last loss. */
    private static Tensor steps(Sequential model, Adam opt, Tensor x, Tensor y, int count) {
        Tensor last = null;
        for (int i = 0; i < count; i++) {
            if (last != null) last.close();
            try (var s = Kindling.scope()) {
                Tensor loss = F.crossEntropy(model.forward(x), y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
                last = s.keep(loss);
            }
        }
        return last;
    }

    private static double adamStep(int params, boolean quick) {
        Tensor p = Tensor.randn(params).to(GPU).requiresGrad(true);
        p.mul(2).sum().backward();
        var opt = new Adam(List.of(p), 1e-3);
        for (int i = 0; i < 3; i++) opt.step();
        sync(p.detach());
        int reps = quick ? 3 : 50;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            try (var s = Kindling.scope()) {
                opt.step();
            }
        }
        sync(p.detach());
        return (System.nanoTime() - t0) / 1e6 / reps;
    }
}
