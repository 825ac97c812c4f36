package dev.kindling.samples.ch06_training_basics;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Datasets;
import dev.kindling.data.Subset;
import dev.kindling.data.TensorDataset;
import dev.kindling.nn.Linear;
import dev.kindling.nn.LogSoftmax;
import dev.kindling.nn.NLLLoss;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;

import java.util.List;

/** Sample 6: random data, TensorDataset split 80/20, a 10-5-2 LogSoftmax network, NLLLoss and Adam. */
public final class TrainingBasicsJava {
    private TrainingBasicsJava() {}

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: data
        Cells.cell("data");
        Tensor x = Tensor.randn(100, 10);            // 100 samples, 10 features each
        Tensor y = Tensor.randint(0, 2, 100);        // binary labels
        // the seed slices X[:80] / X[80:]; randomSplit does the same on shuffled indices
        List<Subset> split = Datasets.randomSplit(new TensorDataset(x, y), new int[]{80, 20}, 0);
        DataLoader trainLoader = DataLoader.builder(split.get(0)).batchSize(10).shuffle(true).seed(0).build();
        DataLoader testLoader = DataLoader.builder(split.get(1)).batchSize(20).shuffle(false).build();
        System.out.println("train: " + split.get(0).size() + " samples in " + trainLoader.size() + " batches, test: "
                + split.get(1).size() + " samples in " + testLoader.size() + " batch");

        // cell: model
        Cells.cell("model");
        Sequential model = new Sequential(
                new Linear(10, 5),
                new ReLU(),
                new Linear(5, 2),
                new LogSoftmax(1));
        System.out.println(model);

        // cell: train
        Cells.cell("train");
        NLLLoss criterion = new NLLLoss();
        Adam optimizer = new Adam(model.parameters(), 0.01);
        int numEpochs = Fast.pick(5, 2);
        for (int epoch = 0; epoch < numEpochs; epoch++) {
            model.train();
            Tensor loss = null;
            for (Batch batch : trainLoader) {
                optimizer.zeroGrad();
                Tensor outputs = model.forward(batch.get(0));
                loss = criterion.forward(outputs, batch.get(1));
                loss.backward();
                optimizer.step();
            }
            System.out.printf("Epoch [%d/%d], Loss: %.4f%n", epoch + 1, numEpochs, loss.item());
        }

        // cell: evaluate
        Cells.cell("evaluate");
        model.eval();
        long correct = 0, total = 0;
        try (var guard = Kindling.noGrad()) {
            for (Batch batch : testLoader) {
                Tensor predicted = model.forward(batch.get(0)).max(1).indices();
                correct += (long) predicted.eq(batch.get(1)).sum().item();
                total += batch.get(1).size(0);
            }
        }
        System.out.printf("Test Accuracy: %.4f%n", (double) correct / total);
    }
}
