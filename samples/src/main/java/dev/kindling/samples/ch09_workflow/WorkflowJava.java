package dev.kindling.samples.ch09_workflow;

import dev.kindling.Autocast;
import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Datasets;
import dev.kindling.data.Subset;
import dev.kindling.data.TensorDataset;
import dev.kindling.nn.BatchNorm1d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Dropout;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Loss;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.amp.GradScaler;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.lr.LinearLR;
import dev.kindling.optim.lr.ReduceLROnPlateau;
import dev.kindling.samples.support.Cells;
import dev.kindling.io.Safetensors;
import dev.kindling.samples.support.Fast;
import dev.kindling.samples.support.Plots;
import dev.kindling.samples.support.SampleFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sample 9: the full workflow on a 20-feature, 3-class problem — BatchNorm1d, Dropout, Adam with weight decay,
 * warmup then ReduceLROnPlateau, gradient clipping, best-model saving, a history plot and an ensemble.
 */
public final class WorkflowJava {
    private WorkflowJava() {}

    // cell: model
    /** 20-64-32-3 with BatchNorm1d, ReLU and Dropout(0.3). */
    static final class Classifier extends Module {
        final Sequential net = new Sequential(
                new Linear(20, 64),
                new BatchNorm1d(64),
                new ReLU(),
                new Dropout(0.3),
                new Linear(64, 32),
                new BatchNorm1d(32),
                new ReLU(),
                new Dropout(0.3),
                new Linear(32, 3));

        @Override
        public Tensor forward(Tensor x) { return net.forward(x); }
    }
    // end cell

    // cell: loops
    /** Mean loss and accuracy of one epoch: {@code {loss, accuracy}}. */
    static double[] trainEpoch(Module model, DataLoader loader, Loss criterion, Optimizer optimizer) {
        model.train();
        double totalLoss = 0;
        long correct = 0, total = 0;
        for (Batch b : loader) {
            try (b; var scope = Kindling.scope()) {
                Tensor x = b.get(0), y = b.get(1);
                optimizer.zeroGrad();
                Tensor outputs = model.forward(x);
                Tensor loss = criterion.forward(outputs, y);
                loss.backward();
                Kindling.clipGradNorm(model.parameters(), 1.0);   // clip_grad_norm_(max_norm=1.0)
                optimizer.step();
                totalLoss += loss.item() * x.size(0);
                correct += (long) outputs.argmax(1).eq(y).sum().item();
                total += y.size(0);
            }
        }
        return new double[]{totalLoss / total, (double) correct / total};
    }

    /** Mean loss and accuracy on {@code loader} without gradients: {@code {loss, accuracy}}. */
    static double[] evaluate(Module model, DataLoader loader, Loss criterion) {
        model.eval();
        double totalLoss = 0;
        long correct = 0, total = 0;
        try (var guard = Kindling.noGrad()) {
            for (Batch b : loader) {
                try (b; var scope = Kindling.scope()) {
                    Tensor x = b.get(0), y = b.get(1);
                    Tensor outputs = model.forward(x);
                    totalLoss += criterion.forward(outputs, y).item() * x.size(0);
                    correct += (long) outputs.argmax(1).eq(y).sum().item();
                    total += y.size(0);
                }
            }
        }
        return new double[]{totalLoss / total, (double) correct / total};
    }
    // end cell

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: data
        Cells.cell("data");
        Tensor[] xy = MakeClassification.generate(Fast.pick(5000, 500), 20, 15, 2, 3, 2, 42);
        List<Subset> split = Datasets.randomSplit(new TensorDataset(xy[0], xy[1]), new double[]{0.8, 0.2}, 0);
        DataLoader trainLoader = DataLoader.builder(split.get(0)).batchSize(64).shuffle(true).seed(0).build();
        DataLoader testLoader = DataLoader.builder(split.get(1)).batchSize(256).build();
        System.out.println("train: " + split.get(0).size() + ", test: " + split.get(1).size() + ", features: 20, classes: 3");

        // cell: setup
        Cells.cell("setup");
        System.out.println("CUDA available: " + Kindling.cudaAvailable() + " (mixed precision runs below on the CPU, in bfloat16)");
        Classifier model = new Classifier();
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Adam optimizer = Adam.builder(model.parameters()).lr(0.001).weightDecay(1e-4).build();
        int warmupEpochs = 5;
        LinearLR warmup = new LinearLR(optimizer, 0.2, 1.0, warmupEpochs);   // lr ramps 0.0002 -> 0.001
        ReduceLROnPlateau scheduler = new ReduceLROnPlateau(optimizer, 5);
        System.out.println(model);

        // cell: train
        Cells.cell("train");
        int epochs = Fast.pick(50, 2);
        Map<String, List<Double>> history = new LinkedHashMap<>();
        for (String k : List.of("train_loss", "train_acc", "val_loss", "val_acc")) history.put(k, new ArrayList<>());
        double bestAcc = 0;
        Path best = SampleFiles.scratch("best_model.safetensors");
        for (int epoch = 0; epoch < epochs; epoch++) {
            double[] train = trainEpoch(model, trainLoader, criterion, optimizer);
            double[] val = evaluate(model, testLoader, criterion);
            if (epoch < warmupEpochs) warmup.step();   // warmup first, then watch the validation loss
            else scheduler.step(val[0]);
            history.get("train_loss").add(train[0]);
            history.get("train_acc").add(train[1]);
            history.get("val_loss").add(val[0]);
            history.get("val_acc").add(val[1]);
            if (val[1] > bestAcc) {
                bestAcc = val[1];
                Safetensors.save(model.stateDict(), best);
            }
            if ((epoch + 1) % 10 == 0 || epoch == epochs - 1) {
                System.out.printf("Epoch %d: Train Loss=%.4f, Train Acc=%.2f%%, Val Loss=%.4f, Val Acc=%.2f%%, lr=%.6f%n",
                        epoch + 1, train[0], 100 * train[1], val[0], 100 * val[1], optimizer.paramGroups().get(0).lr());
            }
        }
        System.out.printf("%nBest validation accuracy: %.2f%%%n", 100 * bestAcc);

        // cell: plot
        Cells.cell("plot");
        Path png = SampleFiles.output("ch09-workflow", "training_history.png");
        Plots.save(png, List.of(
                Plots.chart("Loss Curve", "Epoch", "Loss", series(history, "train_loss", "val_loss")),
                Plots.chart("Accuracy Curve", "Epoch", "Accuracy", series(history, "train_acc", "val_acc"))));
        System.out.println("saved " + png.getFileName());

        // cell: ensemble
        Cells.cell("ensemble");
        Classifier bestModel = new Classifier();
        bestModel.loadStateDict(Safetensors.load(best));
        List<Module> models = List.of(bestModel, model);
        int[] testIdx = split.get(1).indices();
        Tensor index = Tensor.fromArray(testIdx, testIdx.length).to(DType.INT64);
        Tensor x = xy[0].indexSelect(0, index), y = xy[1].indexSelect(0, index);
        System.out.printf("best model: %.2f%%, last model: %.2f%%, ensemble of both: %.2f%%%n",
                100 * accuracy(ensemblePredict(List.of(bestModel), x), y),
                100 * accuracy(ensemblePredict(List.of(model), x), y),
                100 * accuracy(ensemblePredict(models, x), y));

        // cell: amp
        Cells.cell("amp");
        // the same model trained from the same start in float32 and with autocast, timed epoch by epoch
        int ampEpochs = Fast.pick(5, 1);
        for (boolean mixed : new boolean[]{false, true}) {
            Kindling.manualSeed(1);
            Classifier m = new Classifier();
            Optimizer opt = Adam.builder(m.parameters()).lr(0.001).weightDecay(1e-4).build();
            GradScaler scaler = new GradScaler();
            long start = System.nanoTime();
            for (int e = 0; e < ampEpochs; e++) {
                if (mixed) trainEpochMixed(m, trainLoader, criterion, opt, scaler);
                else trainEpoch(m, trainLoader, criterion, opt);
            }
            double msPerEpoch = (System.nanoTime() - start) / 1e6 / ampEpochs;
            double valAcc = evaluate(m, testLoader, criterion)[1];
            System.out.printf("%-22s %7.1f ms/epoch, val acc %.2f%% after %d epochs%n",
                    mixed ? "autocast bfloat16:" : "float32:", msPerEpoch, 100 * valAcc, ampEpochs);
        }
        long weights = 0, halfWeights = 0;
        for (Tensor p : model.parameters()) weights += p.numel() * p.dtype().byteSize();
        for (Tensor p : new Classifier().bfloat16().parameters()) halfWeights += p.numel() * p.dtype().byteSize();
        System.out.println("weights: " + weights + " bytes in float32, " + halfWeights + " bytes in bfloat16");
    }

    // cell: amp-loop
    /**
     * One epoch of the seed's mixed precision loop: the forward pass and the loss under autocast (bfloat16 on the
     * CPU), the backward pass and the step through a GradScaler. Returns the epoch's mean loss.
     */
    static double trainEpochMixed(Module model, DataLoader loader, Loss criterion, Optimizer optimizer, GradScaler scaler) {
        model.train();
        double totalLoss = 0;
        long total = 0;
        for (Batch b : loader) {
            try (b; var scope = Kindling.scope()) {
                Tensor x = b.get(0), y = b.get(1);
                optimizer.zeroGrad();
                Tensor loss;
                try (Autocast ac = Kindling.autocast(Device.cpu(), DType.BFLOAT16)) {
                    Tensor outputs = model.forward(x);   // Linear layers in bfloat16
                    loss = criterion.forward(outputs, y); // the loss in float32
                }
                scaler.scale(loss).backward();
                scaler.unscale_(optimizer);                          // true gradients, for clipping
                Kindling.clipGradNorm(model.parameters(), 1.0);
                scaler.step(optimizer);
                scaler.update();
                totalLoss += loss.item() * x.size(0);
                total += x.size(0);
            }
        }
        return totalLoss / total;
    }
    // end cell

    /** The mean of the models' outputs ({@code torch.stack(predictions).mean(dim=0)}). */
    static Tensor ensemblePredict(List<? extends Module> models, Tensor x) {
        List<Tensor> predictions = new ArrayList<>();
        try (var guard = Kindling.noGrad()) {
            for (Module m : models) {
                m.eval();
                predictions.add(m.forward(x));
            }
            return Tensor.stack(predictions).mean(0);
        }
    }

    static double accuracy(Tensor outputs, Tensor y) {
        return outputs.argmax(1).eq(y).to(DType.FLOAT32).mean().item();
    }

    private static Map<String, double[]> series(Map<String, List<Double>> history, String... keys) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String k : keys) out.put(k, history.get(k).stream().mapToDouble(Double::doubleValue).toArray());
        return out;
    }
}
