package dev.kindling.samples.ch05_dataset_dataloader;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Dataset;
import dev.kindling.data.Sample;
import dev.kindling.nn.BCELoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.Sigmoid;
import dev.kindling.optim.SGD;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.SampleFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Sample 5: a custom CSV Dataset, a DataLoader, and how epochs, batches and iterations relate. */
public final class DatasetDataLoaderJava {
    private DatasetDataLoaderJava() {}

    // cell: dataset
    /** The seed's DiabetesDataset on breast_cancer.csv: the first 8 columns standardized, the label as [1] float. */
    static final class BreastCancerDataset implements Dataset {
        private final int len;
        private final Tensor xData;
        private final Tensor yData;

        BreastCancerDataset(Path file) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> rows = lines.subList(1, lines.size());   // line 1 is scikit-learn's header
            len = rows.size();
            float[] x = new float[len * 8];
            float[] y = new float[len];
            for (int i = 0; i < len; i++) {
                String[] cols = rows.get(i).split(",");
                for (int j = 0; j < 8; j++) x[i * 8 + j] = Float.parseFloat(cols[j]);
                y[i] = Float.parseFloat(cols[cols.length - 1]);
            }
            Tensor raw = Tensor.fromArray(x, len, 8);
            xData = raw.sub(raw.mean(0, true)).div(raw.std(0, true, true));
            yData = Tensor.fromArray(y, len, 1);
        }

        @Override
        public Sample get(int index) { return Sample.of(xData.select(0, index), yData.select(0, index)); }

        @Override
        public int size() { return len; }
    }
    // end cell

    // cell: model
    /** The 8-6-4-1 sigmoid network of sample 4. */
    static final class Model extends Module {
        final Linear linear1 = new Linear(8, 6);
        final Linear linear2 = new Linear(6, 4);
        final Linear linear3 = new Linear(4, 1);
        final Sigmoid sigmoid = new Sigmoid();

        @Override
        public Tensor forward(Tensor x) {
            x = sigmoid.forward(linear1.forward(x));
            x = sigmoid.forward(linear2.forward(x));
            return sigmoid.forward(linear3.forward(x));
        }
    }
    // end cell

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: loader
        Cells.cell("loader");
        BreastCancerDataset dataset = new BreastCancerDataset(SampleFiles.data("breast_cancer.csv"));
        DataLoader trainLoader = DataLoader.builder(dataset).batchSize(32).shuffle(true).seed(0).numWorkers(0).build();
        System.out.println("samples: " + dataset.size() + ", batch size: 32, batches (iterations) per epoch: " + trainLoader.size());
        Batch first = trainLoader.iterator().next();
        System.out.println("first batch: inputs " + Arrays.toString(first.get(0).shape()) + ", labels " + Arrays.toString(first.get(1).shape()));

        // cell: train
        Cells.cell("train");
        Model model = new Model();
        BCELoss criterion = new BCELoss();
        SGD optimizer = new SGD(model.parameters(), 0.01);
        int epochs = Fast.pick(100, 2);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int i = 0;
            double last = 0;
            for (Batch data : trainLoader) {
                Tensor inputs = data.get(0), labels = data.get(1);
                Tensor yPred = model.forward(inputs);
                Tensor loss = criterion.forward(yPred, labels);
                last = loss.item();
                if (epoch == 0) System.out.println(epoch + " " + i + " " + last);
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                i++;
            }
            if (epoch > 0 && ((epoch + 1) % 10 == 0 || epoch == epochs - 1)) {
                System.out.println("epoch " + epoch + ": " + i + " iterations, last loss " + last);
            }
        }
        Tensor all = model.forward(dataset.xData).detach().gt(0.5).to(DType.FLOAT32);
        System.out.printf("accuracy: %.4f%n", all.eq(dataset.yData).to(DType.FLOAT32).mean().item());
    }
}
