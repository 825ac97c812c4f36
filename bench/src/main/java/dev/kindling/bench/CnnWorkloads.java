package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.nn.BatchNorm2d;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.MaxPool2d;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;

/** Workload group cnn: the seed tutorials' CNN and its layers (issue 13); see {@code bench/README.md}. */
final class CnnWorkloads {
    private CnnWorkloads() {}

    /** The seed CNN: Conv(1,32,3,p1) ReLU MaxPool2 Conv(32,64,3,p1) ReLU MaxPool2 Flatten Linear(3136,128) ReLU Linear(128,10). */
    static Module cnn() {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(3136, 128), new ReLU(), new Linear(128, 10));
    }

    static void run() {
        train();
        layers();
        inference();
    }

    /**
     * Training over the first 10,000 shuffled Fashion-MNIST images (batch 64, Adam 1e-3, CrossEntropyLoss), after
     * 20 warm-up batches that are not counted (the Python twin does the same 20).
     */
    private static void train() {
        int n = Suite.quick ? 1280 : 10_000;
        Trainer t = new Trainer(n);
        int warm = 0;
        for (Batch batch : t.loader) {
            if (warm++ == 20) break;
            t.step(batch);
        }
        long t0 = System.nanoTime();
        for (Batch batch : t.loader) t.step(batch);
        Suite.emit("cnn_train_10k", "samples/s", n / ((System.nanoTime() - t0) / 1e9));
    }

    /**
     * Group cnn_epoch: one full epoch of the CNN over the 60,000 shuffled training images, then the accuracy on
     * the 10,000 test images (the "a full epoch reaches PyTorch's test accuracy within one point"), and
     * the epoch's throughput. Run once per side: it takes about half a minute.
     */
    static void epoch() {
        int n = Suite.quick ? 1280 : 60_000;
        Trainer t = new Trainer(n);
        Module model = t.model;
        long t0 = System.nanoTime();
        for (Batch batch : t.loader) t.step(batch);
        Suite.emit("cnn_epoch", "samples/s", n / ((System.nanoTime() - t0) / 1e9));
        byte[] labels = MlpWorkloads.readIdx("t10k-labels-idx1-ubyte.gz", 8);
        byte[] images = MlpWorkloads.readIdx("t10k-images-idx3-ubyte.gz", 16);
        int m = Suite.quick ? 1000 : labels.length;
        float[] pixels = new float[m * 784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (images[i] & 0xFF) / 255f;
        long[] targets = new long[m];
        for (int i = 0; i < m; i++) targets[i] = labels[i] & 0xFF;
        Tensor x = Tensor.fromArray(pixels, m, 1, 28, 28), y = Tensor.fromArray(targets, m);
        model.eval();
        long correct = 0;
        try (var off = Kindling.noGrad()) {
            for (int i = 0; i < m; i += 1000) {
                try (var scope = Kindling.scope()) {
                    int end = Math.min(m, i + 1000);
                    correct += (long) model.forward(x.slice(0, i, end)).argmax(1).eq(y.slice(0, i, end)).sum().item();
                }
            }
        }
        Suite.emit("cnn_epoch_test_accuracy", "%", 100.0 * correct / m);
    }

    /** The CNN, its loss and Adam (lr 1e-3) over the first n Fashion-MNIST images in shuffled batches of 64. */
    private static final class Trainer {
        final DataLoader loader;
        final Module model = cnn();
        final CrossEntropyLoss lossFn = new CrossEntropyLoss();
        final Adam optimizer = new Adam(model.parameters(), 1e-3);

        Trainer(int n) {
            Tensor[] xy = MlpWorkloads.fashionTrain(n);
            loader = DataLoader.builder(new TensorDataset(xy[0], xy[1])).batchSize(64).shuffle(true).build();
            model.train();
        }

        /** One training step on a batch, in a scope that frees its temporaries. */
        void step(Batch batch) {
            try (batch; var scope = Kindling.scope()) {
                optimizer.zeroGrad();
                lossFn.forward(model.forward(batch.get(0)), batch.get(1)).backward();
                optimizer.step();
            }
        }
    }

    /** Conv2d(32, 64, 3, padding 1) on [64, 32, 28, 28], then MaxPool2d(2) and BatchNorm2d(64) on its output: forward + backward, ms. */
    private static void layers() {
        int batch = Suite.quick ? 8 : 64;
        Tensor x = Tensor.randn(batch, 32, 28, 28).requiresGrad(true);
        Tensor act = Tensor.randn(batch, 64, 28, 28).requiresGrad(true);
        Conv2d conv = new Conv2d(32, 64, 3, 1, 1);
        MaxPool2d pool = new MaxPool2d(2);
        BatchNorm2d bn = new BatchNorm2d(64);
        Suite.emit("conv2d_fwd_bwd", "ms", fwdBwdMs(conv, x));
        Suite.emit("maxpool2d_fwd_bwd", "ms", fwdBwdMs(pool, act));
        Suite.emit("batchnorm2d_fwd_bwd", "ms", fwdBwdMs(bn, act));
    }

    private static double fwdBwdMs(Module m, Tensor x) {
        int reps = Suite.quick ? 3 : 20;
        double[] ms = new double[reps];
        long warmUntil = System.nanoTime() + (Suite.quick ? 0 : 1_000_000_000L);
        for (int i = 0; i < 5 || System.nanoTime() < warmUntil; i++) fwdBwd(m, x);
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            fwdBwd(m, x);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Suite.median(ms);
    }

    private static void fwdBwd(Module m, Tensor x) {
        try (var scope = Kindling.scope()) {
            m.zeroGrad();
            x.setGrad(null);
            m.forward(x).sum().backward();
        }
    }

    /** The CNN in eval mode without grad over 10 batches of 1000 images; samples/s, median of 5 passes after 2 s of warm-up. */
    private static void inference() {
        Module model = cnn();
        model.eval();
        int size = Suite.quick ? 100 : 1000;
        Tensor[] xy = MlpWorkloads.fashionTrain(10 * size);
        int passes = Suite.quick ? 2 : 5;
        double[] rates = new double[passes];
        try (var off = Kindling.noGrad()) {
            long warmUntil = System.nanoTime() + (Suite.quick ? 0 : 2_000_000_000L);
            for (int p = 0; p < 1 || System.nanoTime() < warmUntil; p++) pass(model, xy[0], size);
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                pass(model, xy[0], size);
                rates[p] = 10 * size / ((System.nanoTime() - t0) / 1e9);
            }
        }
        Suite.emit("cnn_inference_batch1000", "samples/s", Suite.median(rates));
    }

    private static void pass(Module model, Tensor x, int size) {
        for (int i = 0; i < 10; i++) {
            try (var scope = Kindling.scope()) {
                model.forward(x.slice(0, i * size, (i + 1) * size));
            }
        }
    }
}
