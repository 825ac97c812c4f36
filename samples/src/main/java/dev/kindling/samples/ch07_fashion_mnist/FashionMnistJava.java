package dev.kindling.samples.ch07_fashion_mnist;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Dataset;
import dev.kindling.data.Subset;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Loss;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.SGD;
import dev.kindling.samples.support.Cells;
import dev.kindling.io.Checkpoint;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.ImageData;
import dev.kindling.samples.support.SampleFiles;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/** Sample 7: the Fashion-MNIST NeuralNetwork with train_loop / test_loop, then save, load and continue. */
public final class FashionMnistJava {
    private FashionMnistJava() {}

    // cell: model
    /** Flatten, then 784-512-512-10 with ReLU: the tutorial's NeuralNetwork. */
    public static final class NeuralNetwork extends Module {
        private final Flatten flatten = new Flatten();
        // fields are registered under their names: this one keeps PyTorch's state-dict keys
        private final Sequential linear_relu_stack = new Sequential(
                new Linear(28 * 28, 512),
                new ReLU(),
                new Linear(512, 512),
                new ReLU(),
                new Linear(512, 10));

        @Override
        public Tensor forward(Tensor x) {
            x = flatten.forward(x);
            return linear_relu_stack.forward(x);
        }
    }
    // end cell

    // cell: loops
    /** One pass over the training data, printing the loss every 100 batches. */
    public static void trainLoop(DataLoader dataloader, Module model, Loss lossFn, Optimizer optimizer) {
        int size = dataloader.dataset().size();
        model.train();
        int batch = 0;
        for (Batch b : dataloader) {
            try (b; var scope = Kindling.scope()) {
                Tensor x = b.get(0), y = b.get(1);
                // Compute prediction and loss
                Tensor pred = model.forward(x);
                Tensor loss = lossFn.forward(pred, y);
                // Backpropagation
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                if (batch % 100 == 0) {
                    long current = (long) (batch + 1) * x.size(0);
                    System.out.printf("loss: %7f  [%5d/%5d]%n", loss.item(), current, size);
                }
            }
            batch++;
        }
    }

    /** Average loss and accuracy on the test data, printed in the tutorial's format; returns the accuracy. */
    public static double testLoop(DataLoader dataloader, Module model, Loss lossFn) {
        int size = dataloader.dataset().size();
        int numBatches = dataloader.size();
        double testLoss = 0, correct = 0;
        model.eval();
        try (var guard = Kindling.noGrad()) {
            for (Batch b : dataloader) {
                try (b; var scope = Kindling.scope()) {
                    Tensor pred = model.forward(b.get(0));
                    testLoss += lossFn.forward(pred, b.get(1)).item();
                    correct += pred.argmax(1).eq(b.get(1)).sum().item();
                }
            }
        }
        testLoss /= numBatches;
        correct /= size;
        System.out.printf("Test Error: %n Accuracy: %.1f%%, Avg loss: %8f %n%n", 100 * correct, testLoss);
        return correct;
    }
    // end cell

    /** The first {@code n} samples of {@code data} (fast mode trains on a slice). */
    static Dataset head(Dataset data, int n) {
        return new Subset(data, IntStream.range(0, Math.min(n, data.size())).toArray());
    }

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: data
        Cells.cell("data");
        ImageData data = ImageData.fashionMnist(Path.of("data"));
        Dataset trainingData = Fast.enabled() ? head(data.train(), 320) : data.train();
        Dataset testData = Fast.enabled() ? head(data.test(), 320) : data.test();
        DataLoader trainDataloader = DataLoader.builder(trainingData).batchSize(64).build();
        DataLoader testDataloader = DataLoader.builder(testData).batchSize(64).build();
        System.out.println(data.name() + ": " + trainingData.size() + " training and " + testData.size() + " test images");
        NeuralNetwork model = new NeuralNetwork();
        System.out.println(model);

        // cell: train
        Cells.cell("train");
        double learningRate = 1e-3;
        int epochs = Fast.pick(2, 1);   // the tutorial trains 5; 2 keep this run short
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        SGD optimizer = new SGD(model.parameters(), learningRate);
        for (int t = 0; t < epochs; t++) {
            System.out.println("Epoch " + (t + 1) + "\n-------------------------------");
            trainLoop(trainDataloader, model, lossFn, optimizer);
            testLoop(testDataloader, model, lossFn);
        }
        System.out.println("Done!");

        // cell: save
        Cells.cell("save");
        Path path = SampleFiles.scratch("model.ckpt");
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("epoch", epochs);
        checkpoint.put("model_state_dict", model.stateDict());
        checkpoint.put("optimizer_state_dict", optimizer.stateDict());
        checkpoint.put("loss", 0.4);
        Checkpoint.save(path, checkpoint);
        System.out.println("saved " + path.getFileName() + " (" + model.stateDict().size() + " tensors)");

        // cell: load
        Cells.cell("load");
        NeuralNetwork restored = new NeuralNetwork();
        SGD restoredOptimizer = new SGD(restored.parameters(), learningRate);
        Map<String, Object> loaded = Checkpoint.load(path);
        restored.loadStateDict(cast(loaded.get("model_state_dict")));
        restoredOptimizer.loadStateDict(cast(loaded.get("optimizer_state_dict")));
        int epoch = (Integer) loaded.get("epoch");
        System.out.println("loaded epoch " + epoch + ", loss " + loaded.get("loss"));
        testLoop(testDataloader, restored, lossFn);

        // cell: continue
        Cells.cell("continue");
        System.out.println("Epoch " + (epoch + 1) + "\n-------------------------------");
        trainLoop(trainDataloader, restored, lossFn, restoredOptimizer);
        testLoop(testDataloader, restored, lossFn);
    }

    @SuppressWarnings("unchecked")
    private static <T> Map<String, T> cast(Object o) { return (Map<String, T>) o; }
}
