package dev.kindling.samples.ch08_mnist_cnn;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Dataset;
import dev.kindling.data.Subset;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.F;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Loss;
import dev.kindling.nn.Module;
import dev.kindling.nn.NLLLoss;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Optimizer;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.ImageData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Sample 8: the MNIST-style MLP (784-512-256-10, log_softmax, NLLLoss, Adam) and a 3-layer CNN, with test accuracy. */
public final class MnistCnnJava {
    private MnistCnnJava() {}

    // cell: mlp
    /** 784-512-256-10 with ReLU and log_softmax (the seed's MNISTNet). */
    static final class MNISTNet extends Module {
        final Linear fc1 = new Linear(28 * 28, 512);
        final Linear fc2 = new Linear(512, 256);
        final Linear fc3 = new Linear(256, 10);

        @Override
        public Tensor forward(Tensor x) {
            x = x.view(-1, 28 * 28);   // flatten the images
            x = F.relu(fc1.forward(x));
            x = F.relu(fc2.forward(x));
            x = fc3.forward(x);
            return F.logSoftmax(x, 1);
        }
    }
    // end cell

    // cell: cnn
    /**
     * Three 3x3 convolutions (32, 64, 128 channels), each followed by ReLU and 2x2 max pooling, then one linear
     * layer. On 28x28 images the feature map ends at 3x3 (the seed's 8x8 assumes 64x64 inputs), and the logits
     * go to CrossEntropyLoss without the seed's final ReLU.
     */
    static final class CNN extends Module {
        final Conv2d conv1 = new Conv2d(1, 32, 3, 1, 1);
        final Conv2d conv2 = new Conv2d(32, 64, 3, 1, 1);
        final Conv2d conv3 = new Conv2d(64, 128, 3, 1, 1);
        final Linear fc1 = new Linear(128 * 3 * 3, 10);

        @Override
        public Tensor forward(Tensor x) {
            x = F.maxPool2d(F.relu(conv1.forward(x)), 2);
            x = F.maxPool2d(F.relu(conv2.forward(x)), 2);
            x = F.maxPool2d(F.relu(conv3.forward(x)), 2);
            x = x.view(-1, 128 * 3 * 3);
            return fc1.forward(x);
        }
    }
    // end cell

    // cell: loops
    /** Trains for {@code numEpochs}, printing the last batch's loss per epoch, then prints the test accuracy. */
    static double fit(Module model, Loss criterion, Optimizer optimizer, DataLoader trainLoader, DataLoader testLoader, int numEpochs) {
        for (int epoch = 0; epoch < numEpochs; epoch++) {
            model.train();
            double last = 0;
            for (Batch b : trainLoader) {
                try (b; var scope = Kindling.scope()) {
                    Tensor inputs = b.get(0).sub(0.5).div(0.5);   // transforms.Normalize((0.5,), (0.5,))
                    optimizer.zeroGrad();
                    Tensor loss = criterion.forward(model.forward(inputs), b.get(1));
                    loss.backward();
                    optimizer.step();
                    last = loss.item();
                }
            }
            System.out.printf("Epoch [%d/%d], Loss: %.4f%n", epoch + 1, numEpochs, last);
        }
        model.eval();
        long correct = 0, total = 0;
        try (var guard = Kindling.noGrad()) {
            for (Batch b : testLoader) {
                try (b; var scope = Kindling.scope()) {
                    Tensor predicted = model.forward(b.get(0).sub(0.5).div(0.5)).argmax(1);
                    total += b.get(1).size(0);
                    correct += (long) predicted.eq(b.get(1)).sum().item();
                }
            }
        }
        double accuracy = (double) correct / total;
        System.out.printf("Test Accuracy: %.4f%n", accuracy);
        return accuracy;
    }
    // end cell

    static Dataset head(Dataset data, int n) {
        return new Subset(data, IntStream.range(0, Math.min(n, data.size())).toArray());
    }

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: data
        Cells.cell("data");
        List<ImageData> sets = new ArrayList<>();
        sets.add(ImageData.fashionMnist(Path.of("data")));
        ImageData mnist = ImageData.mnistIfPresent(Path.of("data"));
        if (mnist != null) sets.add(mnist);
        else System.out.println("MNIST: no files under data/MNIST/raw, skipped");
        int numEpochs = Fast.enabled() ? 1 : 5;   // the seed's 5 epochs

        for (ImageData data : sets) {
            Dataset train = Fast.enabled() ? head(data.train(), 128) : data.train();
            Dataset test = Fast.enabled() ? head(data.test(), 128) : data.test();
            DataLoader trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build();
            DataLoader testLoader = DataLoader.builder(test).batchSize(1000).build();
            System.out.println(data.name() + ": " + train.size() + " training and " + test.size() + " test images");

            // cell: train-mlp
            Cells.cell("train-mlp");
            MNISTNet mlp = new MNISTNet();
            fit(mlp, new NLLLoss(), new Adam(mlp.parameters(), 0.01), trainLoader, testLoader, numEpochs);

            // cell: train-cnn
            Cells.cell("train-cnn");
            CNN cnn = new CNN();
            fit(cnn, new CrossEntropyLoss(), new Adam(cnn.parameters(), 0.001), trainLoader, testLoader, numEpochs);
        }
    }
}
