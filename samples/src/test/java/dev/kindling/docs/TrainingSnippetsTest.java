package dev.kindling.docs;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.io.Checkpoint;
import dev.kindling.nn.BCELoss;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.LogSoftmax;
import dev.kindling.nn.Loss;
import dev.kindling.nn.MSELoss;
import dev.kindling.nn.Module;
import dev.kindling.nn.NLLLoss;
import dev.kindling.nn.Reduction;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.Sigmoid;
import dev.kindling.optim.Adam;
import dev.kindling.optim.SGD;
import dev.kindling.optim.lr.LambdaLR;
import dev.kindling.optim.lr.ReduceLROnPlateau;
import dev.kindling.optim.lr.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of training.md and optim.md. */
class TrainingSnippetsTest {

    @Test
    void firstExample() {
        // region training-loop
        Kindling.manualSeed(0);
        Tensor X = Tensor.randn(100, 10);
        Tensor y = Tensor.randint(0, 2, 100);
        var trainLoader = DataLoader.builder(new TensorDataset(X.slice(0, 0, 80), y.slice(0, 0, 80)))
                .batchSize(10).shuffle(true).build();
        var testLoader = DataLoader.builder(new TensorDataset(X.slice(0, 80, 100), y.slice(0, 80, 100)))
                .batchSize(20).build();

        var model = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2), new LogSoftmax(1));
        var criterion = new NLLLoss();
        var optimizer = new Adam(model.parameters(), 0.01);

        int numEpochs = 5;
        for (int epoch = 0; epoch < numEpochs; epoch++) {
            model.train();
            Tensor loss = null;
            for (Batch b : trainLoader) {
                optimizer.zeroGrad();
                Tensor outputs = model.forward(b.get(0));
                loss = criterion.forward(outputs, b.get(1));
                loss.backward();
                optimizer.step();
            }
            System.out.printf("Epoch [%d/%d], Loss: %.4f%n", epoch + 1, numEpochs, loss.item());
        }
        // endregion

        // region training-eval
        model.eval();
        long correct = 0, total = 0;
        try (var off = Kindling.noGrad()) {
            for (Batch b : testLoader) {
                Tensor predicted = model.forward(b.get(0)).argmax(1);
                total += b.get(1).size(0);
                correct += predicted.eq(b.get(1)).sum().longItem();
            }
        }
        System.out.printf("Test Accuracy: %.4f%n", (double) correct / total);
        // endregion
        assertEquals(20, total);
    }

    @Test
    void linearRegression() {
        // region training-linear-regression
        Tensor xData = Tensor.of(new float[][]{{1}, {2}, {3}});
        Tensor yData = Tensor.of(new float[][]{{2}, {4}, {6}});
        var linear = new Linear(1, 1);
        var criterion = new MSELoss(Reduction.SUM);               // MSELoss(size_average=False)
        var optimizer = new SGD(linear.parameters(), 0.01);
        for (int epoch = 0; epoch < 1000; epoch++) {
            Tensor loss = criterion.forward(linear.forward(xData), yData);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        System.out.println("w = " + linear.weight.item());      // close to 2
        System.out.println("b = " + linear.bias.item());        // close to 0
        System.out.println("y_pred = " + linear.forward(Tensor.of(new float[][]{{4}})));   // about 8
        // endregion
        assertEquals(2.0, linear.weight.item(), 0.05);
        assertEquals(8.0, linear.forward(Tensor.of(new float[][]{{4}})).item(), 0.1);
    }

    @Test
    void logistic() {
        // region training-logistic
        Tensor xData = Tensor.of(new float[][]{{1}, {2}, {3}});
        Tensor yData = Tensor.of(new float[][]{{0}, {0}, {1}});
        var model = new Sequential(new Linear(1, 1), new Sigmoid());
        var criterion = new BCELoss(Reduction.SUM);
        var optimizer = new SGD(model.parameters(), 0.01);
        for (int epoch = 0; epoch < 1000; epoch++) {
            Tensor loss = criterion.forward(model.forward(xData), yData);
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
        }
        // endregion
        assertTrue(model.forward(Tensor.of(new float[][]{{4}})).item() > 0.5);
    }

    @Test
    void optimizersAndSchedulers() {
        var model = new Sequential(new Linear(20, 8), new ReLU(), new Linear(8, 3));
        // region training-optim
        var sgd = new SGD(model.parameters(), 0.01, 0.9);                    // lr, momentum
        var adam = new Adam(model.parameters(), 1e-3);
        var adamWd = Adam.builder(model.parameters()).lr(1e-3).weightDecay(1e-4).build();
        var step = new StepLR(sgd, 30, 0.1);                                 // lr * 0.1 every 30 epochs
        var plateau = new ReduceLROnPlateau(adamWd, 5);                      // patience 5
        var warmup = new LambdaLR(adam, epoch -> Math.min(1.0, (epoch + 1) / 5.0));   // 5 warmup epochs
        // endregion
        step.step();
        plateau.step(1.0);
        warmup.step();
        assertEquals(2.0 / 5 * 1e-3, adam.paramGroups().get(0).getDouble("lr"), 1e-12);
    }

    @Test
    void clipping() {
        var model = new Sequential(new Linear(20, 8), new ReLU(), new Linear(8, 3));
        var optimizer = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.randn(16, 20).mul(100);
        Tensor target = Tensor.randint(0, 3, 16);
        var criterion = new CrossEntropyLoss();
        // region training-clip
        optimizer.zeroGrad();
        criterion.forward(model.forward(x), target).backward();
        Tensor totalNorm = Kindling.clipGradNorm(model.parameters(), 1.0);   // clip_grad_norm_(params, max_norm=1.0)
        optimizer.step();
        // endregion
        assertTrue(totalNorm.item() > 0);
    }

    // The block at the top of optim.md, run here on a tiny data set.
    static void optimOverview(Module net, DataLoader loader, Loss lossFn, Path dir) {
        // region optim-overview
        var opt = Adam.builder(net.parameters()).lr(1e-3).weightDecay(1e-4).build();
        var sched = new ReduceLROnPlateau(opt, 5);
        for (int epoch = 0; epoch < 50; epoch++) {
            for (Batch b : loader) {
                opt.zeroGrad();
                lossFn.forward(net.forward(b.get(0)), b.get(1)).backward();
                Kindling.clipGradNorm(net.parameters(), 1.0);
                opt.step();
            }
            sched.step(validationLoss());
        }
        Checkpoint.save(dir, Map.of("optimizer", opt.stateDict(), "scheduler", sched.stateDict()));
        // endregion
    }

    private static double validationLoss() { return 1.0; }

    @Test
    void optimOverviewRuns(@TempDir Path tmp) {
        var net = new Sequential(new Linear(4, 3));
        var loader = DataLoader.builder(new TensorDataset(Tensor.randn(8, 4), Tensor.randint(0, 3, 8))).batchSize(8).build();
        Path file = tmp.resolve("optim.safetensors");
        optimOverview(net, loader, new CrossEntropyLoss(), file);
        assertTrue(Files.exists(file));
        assertEquals(DType.FLOAT32, net.parameters().get(0).dtype());
    }
}
