package dev.kindling.samples.ch03_linear_regression;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.Linear;
import dev.kindling.nn.MSELoss;
import dev.kindling.nn.Module;
import dev.kindling.nn.Reduction;
import dev.kindling.optim.SGD;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;

/** Sample 3: linear regression with Linear(1, 1), MSELoss(sum) and SGD on y = 2x. */
public final class LinearRegressionJava {
    private LinearRegressionJava() {}

    // cell: model
    /** y = w x + b as a module with one Linear(1, 1) layer. */
    static final class LinearModel extends Module {
        final Linear linear = new Linear(1, 1);

        @Override
        public Tensor forward(Tensor x) { return linear.forward(x); }
    }
    // end cell

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: data
        Cells.cell("data");
        Tensor xData = Tensor.of(new float[][]{{1}, {2}, {3}});
        Tensor yData = Tensor.of(new float[][]{{2}, {4}, {6}});
        LinearModel model = new LinearModel();
        System.out.println(model);

        // cell: train
        Cells.cell("train");
        MSELoss criterion = new MSELoss(Reduction.SUM);
        SGD optimizer = new SGD(model.parameters(), 0.01);
        int epochs = Fast.pick(1000, 5);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Tensor yPred = model.forward(xData);
            Tensor loss = criterion.forward(yPred, yData);
            if (epoch % 100 == 0 || epoch == epochs - 1) System.out.println(epoch + " " + loss.item());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }

        // cell: result
        Cells.cell("result");
        System.out.println("w = " + model.linear.weight.item());
        System.out.println("b = " + model.linear.bias.item());
        Tensor xTest = Tensor.of(new float[][]{{4}});
        Tensor yTest = model.forward(xTest);
        System.out.println("y_pred = " + yTest.detach());
    }
}
