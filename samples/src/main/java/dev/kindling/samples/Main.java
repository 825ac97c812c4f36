package dev.kindling.samples;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Dataset;
import dev.kindling.data.Subset;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.optim.Adam;
import dev.kindling.samples.ch07_fashion_mnist.FashionMnistJava.NeuralNetwork;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.ImageData;
import dev.kindling.samples.support.Progress;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * The main job of README's first command: trains the tutorial's 784-512-512-10 MLP on Fashion-MNIST with Adam
 * (lr 1e-3, batch 64) and prints the test accuracy after each epoch. Three epochs by default ({@code --epochs N}
 * to change); fast mode trains on a slice. Without Fashion-MNIST it trains on the bundled digits and says so.
 *
 * <pre>{@code
 * mvn -B -q -pl samples -am compile exec:java -Dexec.args="--epochs 5"
 * }</pre>
 */
public final class Main {
    private Main() {}

    /** Runs the main job. */
    public static void main(String[] args) {
        int epochs = Fast.pick(3, 1);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--epochs") && i + 1 < args.length) epochs = Integer.parseInt(args[++i]);
            else throw new IllegalArgumentException("Main: unknown argument '" + args[i] + "' (expected --epochs N)");
        }
        if (epochs < 1) throw new IllegalArgumentException("Main: --epochs must be at least 1, got " + epochs);
        Kindling.manualSeed(0);
        ImageData data = ImageData.fashionMnist(Path.of("data"));
        Dataset train = Fast.enabled() ? head(data.train(), 640) : data.train();
        Dataset test = Fast.enabled() ? head(data.test(), 640) : data.test();
        System.out.printf("%s: %d training and %d test images, %d epoch(s)%s%n", data.name(), train.size(), test.size(),
                epochs, Fast.enabled() ? " (fast mode)" : "");
        DataLoader trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build();
        DataLoader testLoader = DataLoader.builder(test).batchSize(1000).build();

        NeuralNetwork model = new NeuralNetwork();
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        long start = System.nanoTime();
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            Progress bar = new Progress(String.format("epoch %d/%d", epoch, epochs), trainLoader.size());
            double running = 0;
            int steps = 0;
            for (Batch b : trainLoader) {
                try (b; var scope = Kindling.scope()) {
                    Tensor loss = lossFn.forward(model.forward(b.get(0)), b.get(1));
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    running += loss.item();
                    steps++;
                }
                bar.step(String.format("loss %.4f", running / steps));
            }
            bar.done();
            accuracy = accuracy(model, testLoader);
            System.out.printf("epoch %d: train loss %.4f, test accuracy %.1f%% (%.0fs)%n", epoch, running / steps,
                    100 * accuracy, (System.nanoTime() - start) / 1e9);
        }
        System.out.printf("Test accuracy: %.1f%%%n", 100 * accuracy);
    }

    static double accuracy(NeuralNetwork model, DataLoader loader) {
        model.eval();
        long correct = 0;
        try (var guard = Kindling.noGrad()) {
            for (Batch b : loader) {
                try (b; var scope = Kindling.scope()) {
                    correct += (long) model.forward(b.get(0)).argmax(1).eq(b.get(1)).sum().item();
                }
            }
        }
        return (double) correct / loader.dataset().size();
    }

    private static Dataset head(Dataset data, int n) {
        return new Subset(data, IntStream.range(0, Math.min(n, data.size())).toArray());
    }
}
