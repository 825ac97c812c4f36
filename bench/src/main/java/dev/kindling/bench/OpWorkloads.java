package dev.kindling.bench;

import dev.kindling.Tensor;
import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Workload group ops: single tensor ops without autograd, each call allocating its result as a user's
 * {@code a.add(b)} does (closed right after). Each figure is the median time of one call, over as many calls
 * as fit in about 0.2 s after 0.5 s of warm-up. For the matmul shapes, {@code cblas_sgemm} is also called
 * directly on native buffers holding the same values (as in {@link TensorBench}; the faster of OpenBLAS with the
 * same thread count and with one thread) and the line {@code <shape>_vs_cblas} gives cblas time /
 * Tensor.matmul time in percent (100% = as fast as the BLAS).
 */
final class OpWorkloads {
    private OpWorkloads() {}

    static void run() {
        matmul("matmul_64x784@784x512", Tensor.randn(64, 784), false, Tensor.randn(784, 512));
        matmul("matmul_1024x1024@1024x1024", Tensor.randn(1024, 1024), false, Tensor.randn(1024, 1024));
        // backward of Linear(784, 512) on a batch of 64: grad_input = grad_out @ W, grad_weight = grad_out^T @ x
        matmul("matmul_64x512@512x784", Tensor.randn(64, 512), false, Tensor.randn(512, 784));
        matmul("matmul_(64x512)T@64x784", Tensor.randn(64, 512), true, Tensor.randn(64, 784));
        // backward of Linear(512, 256)
        matmul("matmul_64x256@256x512", Tensor.randn(64, 256), false, Tensor.randn(256, 512));
        matmul("matmul_(64x256)T@64x512", Tensor.randn(64, 256), true, Tensor.randn(64, 512));

        for (int n : new int[]{4 << 20, 640}) {
            String size = n == 640 ? "640" : "4M";
            Tensor a = Tensor.randn(n), b = Tensor.randn(n);
            time("add_" + size, () -> a.add(b).close());
            time("mul_" + size, () -> a.mul(b).close());
            time("relu_" + size, () -> a.relu().close());
            time("sigmoid_" + size, () -> a.sigmoid().close());
            time("exp_" + size, () -> a.exp().close());
            if (n != 640) {
                time("sum_" + size, () -> a.sum().close());
                time("mean_" + size, () -> a.mean().close());
            }
        }
        Tensor logits = Tensor.randn(64, 1000);
        time("softmax_64x1000_dim1", () -> logits.softmax(1).close());
        time("log_softmax_64x1000_dim1", () -> logits.logSoftmax(1).close());
        Tensor table = Tensor.randn(10000, 784), rows = Tensor.randint(0, 10000, 64);
        time("index_select_64_of_10000x784", () -> table.indexSelect(0, rows).close());
        // last: a multi-threaded OpenBLAS call leaves its workers spinning for a while, which would slow
        // whatever Kindling op were timed next
        for (Runnable r : CBLAS) r.run();
    }

    /**
     * Workload group more_ops: single ops that training scripts use beyond issue 12's list (masks, clamping,
     * broadcasting, reductions over one dimension, casts, picking, sign, powers, flips), over a [1024, 1024] float32
     * matrix, sort and topk of [64, 1000], and GELU, dropout and an MSE loss over a [64, 512] batch; timed as
     * {@link #run}'s ops are.
     */
    static void more() {
        Tensor a = Tensor.randn(1024, 1024), b = Tensor.randn(1024, 1024), row = Tensor.randn(1024);
        Tensor positive = a.abs().add(0.1), mask = a.gt(0), picks = Tensor.randint(0, 1024, 1024, 64);
        Tensor logits = Tensor.randn(64, 1000);
        time("gt_1024x1024", () -> a.gt(0).close());
        time("bool_to_float_1024x1024", () -> mask.to(dev.kindling.DType.FLOAT32).close());
        time("where_1024x1024", () -> Tensor.where(mask, a, b).close());
        time("clamp_1024x1024", () -> a.clamp(-0.5, 0.5).close());
        time("add_row_1024x1024", () -> a.add(row).close());
        time("mul_scalar_1024x1024", () -> a.mul(3).close());
        time("sum_dim1_1024x1024", () -> a.sum(1).close());
        time("sum_dim0_1024x1024", () -> a.sum(0).close());
        time("max_dim1_1024x1024", () -> {
            var m = a.max(1);
            m.values().close();
            m.indices().close();
        });
        time("to_int64_1024x1024", () -> a.to(dev.kindling.DType.INT64).close());
        time("log_1024x1024", () -> positive.log().close());
        time("gather_1024x64_of_1024x1024", () -> a.gather(1, picks).close());
        time("sort_64x1000", () -> {
            var s = logits.sort(1);
            s.values().close();
            s.indices().close();
        });
        time("topk5_64x1000", () -> {
            var t = logits.topk(5, 1);
            t.values().close();
            t.indices().close();
        });
        // session 9's survey: ops whose slow paths were 5-170x behind (a GELU MLP, dropout, L1 and MSE losses,
        // flips for augmentation)
        Tensor h = Tensor.randn(64, 512), target = Tensor.randn(64, 512);
        time("amax_dim1_1024x1024", () -> a.amax(1).close());
        time("sign_1024x1024", () -> a.sign().close());
        time("pow3_1024x1024", () -> a.pow(3).close());
        time("flip_dim1_1024x1024", () -> a.flip(1).close());
        time("gelu_64x512", () -> dev.kindling.nn.F.gelu(h).close());
        time("dropout_64x512", () -> dev.kindling.nn.F.dropout(h, 0.5, true).close());
        time("mse_loss_64x512", () -> dev.kindling.nn.F.mseLoss(h, target).close());
        // session 10: tanh (a JNI call per element on JDK 17 before), ELU, layer norm and the logits' BCE (composites before)
        Tensor probs = Tensor.rand(64, 512), lnW = Tensor.randn(512), lnB = Tensor.randn(512);
        time("tanh_64x512", () -> h.tanh().close());
        time("elu_64x512", () -> dev.kindling.nn.F.elu(h).close());
        time("layer_norm_64x512", () -> dev.kindling.nn.F.layerNorm(h, new int[]{512}, lnW, lnB).close());
        time("bce_with_logits_64x512", () -> dev.kindling.nn.F.binaryCrossEntropyWithLogits(h, probs).close());
        // session 11: rsqrt (double arithmetic per element before), clamp against one bound, and cross-entropy over
        // 1000 classes with its backward (nll_loss copied the whole input to the heap, the backward ran four ops)
        time("rsqrt_1024x1024", () -> positive.rsqrt().close());
        time("clamp_min0_1024x1024", () -> a.clampMin(0).close());
        Tensor ceX = Tensor.randn(64, 1000).requiresGrad(true), ceY = Tensor.randint(0, 1000, 64);
        // in a scope, as a training step runs (docs/memory.md): the graph's intermediates are freed as it closes, where
        // PyTorch's reference counts free them; left to the collector they cost collections (0.65 against 0.28 ms)
        time("cross_entropy_64x1000_fwd_bwd", () -> {
            try (var step = dev.kindling.Kindling.scope()) {
                dev.kindling.nn.F.crossEntropy(ceX, ceY).backward();
                ceX.setGrad(null);
            }
        });
        // session 12: activations' forward and backward over a [64, 512] batch (GELU, ELU and SiLU one node each now,
        // ReLU's and sigmoid's gradients one pass each; ReLU's took a mispredicted branch an element before)
        Tensor actX = Tensor.randn(64, 512).requiresGrad(true), actG = Tensor.randn(64, 512);
        java.util.Map<String, java.util.function.UnaryOperator<Tensor>> acts = new java.util.LinkedHashMap<>();
        acts.put("relu", Tensor::relu);
        acts.put("gelu", dev.kindling.nn.F::gelu);
        acts.put("elu", dev.kindling.nn.F::elu);
        acts.put("sigmoid", Tensor::sigmoid);
        acts.put("silu", dev.kindling.nn.F::silu);
        for (var act : acts.entrySet()) {
            time(act.getKey() + "_64x512_fwd_bwd", () -> {
                try (var step = dev.kindling.Kindling.scope()) {
                    act.getValue().apply(actX).backward(actG);
                    actX.setGrad(null);
                }
            });
        }
    }

    private static final java.util.List<Runnable> CBLAS = new java.util.ArrayList<>();

    /** Times {@code a @ b} (with {@code a} a transposed view when {@code transA}) and the same cblas_sgemm call. */
    private static void matmul(String name, Tensor stored, boolean transA, Tensor b) {
        Tensor a = transA ? stored.t() : stored;
        double kindling = time(name, () -> a.matmul(b).close());
        int m = a.size(0), k = a.size(1), n = b.size(1);
        FloatBuffer na = TensorBench.nativeCopy(stored), nb = TensorBench.nativeCopy(b);
        FloatBuffer nc = ByteBuffer.allocateDirect(m * n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        Runnable sgemm = () -> openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans, openblas_nolapack.CblasNoTrans,
                m, n, k, 1f, na, stored.size(1), nb, n, 0f, nc, n);
        // the BLAS at its best: OpenBLAS's own threading with the same thread count, or one thread when that is
        // faster (OpenBLAS threads spin and collapse when another process wants the cores). Kindling keeps
        // OpenBLAS single-threaded and splits products over its own pool, so 1 is restored afterwards.
        CBLAS.add(() -> {
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(Suite.threads);
            double cblas = measure(sgemm);
            org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
            if (Suite.threads > 1) cblas = Math.min(cblas, measure(sgemm));
            Suite.emit(name + "_vs_cblas", "%", 100 * cblas / kindling);
        });
    }

    /** Emits and returns the median milliseconds of one call of {@code body}. */
    private static double time(String name, Runnable body) {
        double ms = measure(body);
        Suite.emit(name, "ms", ms);
        return ms;
    }

    /**
     * Median milliseconds of one call, over about 0.2 s of calls after at least 0.5 s of warm-up (the same on the PyTorch
     * side): with 0.1 s, C2 had not yet compiled the small ops' paths and a 640-float relu was timed at 11 us, not 0.7.
     * The warm-up then goes on in windows of 0.1 s while a window runs more than 10% faster than the one before (up
     * to 3 s): the JIT's compiler threads share the two cores with the op's threads, and after forty ops in one
     * process a kernel's loops were sometimes still uncompiled at 0.5 s (tanh over [64, 512] timed at 1.7-3.4 ms in
     * two processes of five, 0.07-0.09 in the others).
     */
    static double measure(Runnable body) {
        double warmSeconds = Suite.quick ? 0.02 : 0.5, runSeconds = Suite.quick ? 0.04 : 0.2;
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 5 || System.nanoTime() - start < warmSeconds * 1e9) {
            body.run();
            warm++;
        }
        double perCall = (System.nanoTime() - start) / 1e9 / warm;
        for (double previous = Double.MAX_VALUE; !Suite.quick && System.nanoTime() - start < 3e9; ) {
            long w0 = System.nanoTime();
            int n = 0;
            while (n < 3 || System.nanoTime() - w0 < 1e8) {
                body.run();
                n++;
            }
            perCall = (System.nanoTime() - w0) / 1e9 / n;
            if (perCall > 0.9 * previous) break;
            previous = perCall;
        }
        int calls = (int) Math.max(5, Math.min(1_000_000, runSeconds / perCall));
        double[] ms = new double[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            body.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Suite.median(ms);
    }
}
