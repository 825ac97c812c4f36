package dev.kindling.samples.ch04_logistic_regression;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.datasets.CsvDataset;
import dev.kindling.nn.BCELoss;
import dev.kindling.nn.F;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.Reduction;
import dev.kindling.nn.Sigmoid;
import dev.kindling.optim.SGD;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.Plots;
import dev.kindling.samples.support.SampleFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Sample 4: logistic regression with BCELoss, then an 8-6-4-1 sigmoid network on a real table. */
public final class LogisticRegressionJava {
    private LogisticRegressionJava() {}

    // cell: logistic-model
    /** sigmoid(w x + b). */
    static final class LogisticRegressionModel extends Module {
        final Linear linear = new Linear(1, 1);

        @Override
        public Tensor forward(Tensor x) { return F.sigmoid(linear.forward(x)); }
    }
    // end cell

    // cell: deep-model
    /** Three linear layers, each followed by a sigmoid (the seed's diabetes model). */
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

        // cell: logistic
        Cells.cell("logistic");
        Tensor xData = Tensor.of(new float[][]{{1}, {2}, {3}});
        Tensor yData = Tensor.of(new float[][]{{0}, {0}, {1}});
        LogisticRegressionModel model = new LogisticRegressionModel();
        BCELoss criterion = new BCELoss(Reduction.SUM);
        SGD optimizer = new SGD(model.parameters(), 0.01);
        int epochs = Fast.pick(1000, 5);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Tensor loss = criterion.forward(model.forward(xData), yData);
            if (epoch % 100 == 0 || epoch == epochs - 1) System.out.println(epoch + " " + loss.item());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        System.out.println("w = " + model.linear.weight.item());
        System.out.println("b = " + model.linear.bias.item());
        System.out.println("y_pred = " + model.forward(Tensor.of(new float[][]{{4}})).detach());

        // cell: table
        Cells.cell("table");
        // breast_cancer.csv: 569 rows, 30 features and a 0/1 label; its first line is scikit-learn's header.
        // The seed's diabetes table has 8 features: we keep the first 8 (mean radius ... mean concave points).
        CsvDataset table = CsvDataset.builder(SampleFiles.data("breast_cancer.csv"))
                .skipLines(1).featureColumns(0, 1, 2, 3, 4, 5, 6, 7).targetColumn(30).build();
        Tensor raw = table.features();
        Tensor x = raw.sub(raw.mean(0, true)).div(raw.std(0, true, true));   // standardize each column
        Tensor y = table.targets().to(DType.FLOAT32).reshape(-1, 1);
        System.out.println("x: " + java.util.Arrays.toString(x.shape()) + ", y: " + java.util.Arrays.toString(y.shape())
                + ", positives: " + (long) y.sum().item());

        // cell: train
        Cells.cell("train");
        Model net = new Model();
        BCELoss bce = new BCELoss(Reduction.MEAN);
        SGD sgd = new SGD(net.parameters(), 0.1);
        int netEpochs = Fast.pick(2000, 5);
        double[] losses = new double[netEpochs];
        for (int epoch = 0; epoch < netEpochs; epoch++) {
            Tensor loss = bce.forward(net.forward(x), y);
            losses[epoch] = loss.item();
            if (epoch % 200 == 0 || epoch == netEpochs - 1) System.out.println(epoch + " " + losses[epoch]);
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
        }
        Tensor predicted = net.forward(x).detach().gt(0.5).to(DType.FLOAT32);
        System.out.printf("training accuracy: %.4f%n", predicted.eq(y).to(DType.FLOAT32).mean().item());

        // cell: plot
        Cells.cell("plot");
        Path png = SampleFiles.output("ch04-logistic-regression", "loss.png");
        Plots.save(png, List.of(Plots.chart("BCE loss, 8-6-4-1 network", "epoch", "loss", Map.of("loss", losses))));
        System.out.println("saved " + png.getFileName());
    }
}
