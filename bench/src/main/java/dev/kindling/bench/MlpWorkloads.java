package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.nn.Linear;
import dev.kindling.nn.LogSoftmax;
import dev.kindling.nn.Module;
import dev.kindling.nn.NLLLoss;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Workload groups mlp_train (and memory), tiny and inference; see {@code bench/README.md}. */
final class MlpWorkloads {
    private MlpWorkloads() {}

    /**
     * One epoch of the 784-512-256-10 MLP over the Fashion-MNIST training set (batch 64, shuffled, Adam 1e-3,
     * NLLLoss), timed from the first batch fetch to the end of the last optimizer step. Decoding the files
     * into a [N, 1, 28, 28] tensor in [0, 1] happens before and is not timed. With {@code rssOnly} only
     * the peak RSS line is printed (group memory).
     */
    static void train(boolean rssOnly) {
        int n = Suite.quick ? 6400 : 60_000;
        Tensor[] xy = fashionTrain(n);
        Tensor x = xy[0], y = xy[1];
        DataLoader loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(64).shuffle(true).build();

        Module model = Suite.mlp();
        NLLLoss lossFn = new NLLLoss();
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        model.train();
        int batches = loader.size(), b = 0;
        double lastLoss = Double.NaN;
        long t0 = System.nanoTime();
        for (Batch batch : loader) {
            try (batch; var scope = Kindling.scope()) {
                optimizer.zeroGrad();
                Tensor loss = lossFn.forward(model.forward(batch.get(0)), batch.get(1));
                loss.backward();
                optimizer.step();
                if (++b == batches) lastLoss = loss.item();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!rssOnly) {
            Suite.emit("mlp_train", "samples/s", n / seconds);
            Suite.emit("mlp_train_final_loss", "loss", lastLoss);
        }
        Suite.emit("mlp_train_peak_rss_mib", "MiB", Suite.peakRssMiB());
    }

    /**
     * The first {@code n} Fashion-MNIST training images as a [n, 1, 28, 28] tensor in [0, 1] and their INT64
     * labels. The IDX files are decoded straight into the tensor, 100 images at a time (the Python twin reads
     * them whole with numpy); small arrays only, so the collector never grows the heap for data preparation.
     */
    static Tensor[] fashionTrain(int n) {
        byte[] labels = readIdx("train-labels-idx1-ubyte.gz", 8);
        n = Math.min(n, labels.length);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        Path imageFile = Path.of("/usr/share/datasets/fashion-mnist", "train-images-idx3-ubyte.gz");
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(imageFile), 1 << 16)) {
            in.readNBytes(16);
            byte[] raw = new byte[100 * 784];
            float[] full = new float[100 * 784];
            for (int start = 0; start < n; start += 100) {
                int count = Math.min(100, n - start);
                in.readNBytes(raw, 0, count * 784);
                // one pixel array for every chunk but a short last one: no garbage for the collector to grow the heap on
                float[] pixels = count == 100 ? full : new float[count * 784];
                for (int j = 0; j < pixels.length; j++) pixels[j] = (raw[j] & 0xFF) / 255f; // ToTensor
                try (Tensor chunk = Tensor.fromArray(pixels, count, 1, 28, 28)) {
                    x.slice(0, start, start + count).copy_(chunk);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + imageFile + " (apt-get install -y dataset-fashion-mnist)", e);
        }
        long[] targets = new long[n];
        for (int i = 0; i < n; i++) targets[i] = labels[i] & 0xFF;
        Tensor y = Tensor.fromArray(targets, n);
        return new Tensor[]{x, y};
    }

    static byte[] readIdx(String name, int header) {
        Path file = Path.of("/usr/share/datasets/fashion-mnist", name);
        try (var in = new java.util.zip.GZIPInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
            byte[] all = in.readAllBytes();
            return java.util.Arrays.copyOfRange(all, header, all.length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + " (apt-get install -y dataset-fashion-mnist)", e);
        }
    }

    /**
     * The seed model (10-5-2, Adam 0.01) on slices of 10 rows of a [100, 10] tensor: the per-step overhead
     * of a tiny model. Steps per second, median of 5 blocks of 2,000 steps after at least 20,000 warm-up steps
     * and 3 s (the JIT compiles this loop's many small methods over the first 1-2 s; the Python twin needs none).
     */
    static void tiny() {
        Module model = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2), new LogSoftmax(1));
        Tensor x = Tensor.randn(100, 10);
        Tensor y = Tensor.randint(0, 2, 100);
        NLLLoss lossFn = new NLLLoss();
        Adam optimizer = new Adam(model.parameters(), 0.01);
        int block = Suite.quick ? 200 : 2000, blocks = Suite.quick ? 3 : 5;
        int step = 0;
        // warm-up: 20,000 steps and at least 3 s, until the JIT has compiled the step's methods
        long warmUntil = System.nanoTime() + (Suite.quick ? 0 : 3_000_000_000L);
        for (int i = 0; i < (Suite.quick ? block : 20_000) || System.nanoTime() < warmUntil; i++) {
            tinyStep(model, lossFn, optimizer, x, y, step++);
        }
        double[] rates = new double[blocks];
        for (int k = 0; k < blocks; k++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < block; i++) tinyStep(model, lossFn, optimizer, x, y, step++);
            rates[k] = block / ((System.nanoTime() - t0) / 1e9);
        }
        Suite.emit("tiny_train_step", "steps/s", Suite.median(rates));
    }

    private static void tinyStep(Module model, NLLLoss lossFn, Adam optimizer, Tensor x, Tensor y, int step) {
        int i = step % 10;
        try (var scope = Kindling.scope()) {
            Tensor xb = x.slice(0, i * 10, i * 10 + 10), yb = y.slice(0, i * 10, i * 10 + 10);
            optimizer.zeroGrad();
            Tensor loss = lossFn.forward(model.forward(xb), yb);
            loss.backward();
            optimizer.step();
        }
    }

    /**
     * The MLP in eval mode without grad over 10 batches of 1000 random inputs; samples per second, median of
     * 10 passes after at least 2 s of warm-up (the Python twin warms up for 3 passes; it needs no JIT).
     */
    static void inference() {
        Module model = Suite.mlp();
        model.eval();
        List<Tensor> batches = new ArrayList<>();
        for (int i = 0; i < 10; i++) batches.add(Tensor.randn(1000, 784));
        int warmup = Suite.quick ? 1 : 3, passes = Suite.quick ? 3 : 10;
        double[] rates = new double[passes];
        try (var off = Kindling.noGrad()) {
            // warm-up: at least 3 passes and 2 s, until the JIT has compiled the kernels around the products
            long warmUntil = System.nanoTime() + (Suite.quick ? 0 : 2_000_000_000L);
            for (int p = 0; p < warmup || System.nanoTime() < warmUntil; p++) {
                for (Tensor xb : batches) {
                    try (var scope = Kindling.scope()) {
                        model.forward(xb);
                    }
                }
            }
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                for (Tensor xb : batches) {
                    try (var scope = Kindling.scope()) {
                        model.forward(xb);
                    }
                }
                if (p >= 0) rates[p] = 10_000 / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Suite.emit("inference_mlp_batch1000", "samples/s", Suite.median(rates));
    }
}
