@file:JvmName("Workflow")

package dev.kindling.samples.ch09_workflow

import dev.kindling.DType
import dev.kindling.Device
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Datasets
import dev.kindling.data.TensorDataset
import dev.kindling.dsl.*
import dev.kindling.nn.BatchNorm1d
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.Dropout
import dev.kindling.nn.Linear
import dev.kindling.nn.Loss
import dev.kindling.nn.Module
import dev.kindling.nn.ReLU
import dev.kindling.nn.Sequential
import dev.kindling.amp.GradScaler
import dev.kindling.optim.Adam
import dev.kindling.optim.Optimizer
import dev.kindling.optim.lr.LinearLR
import dev.kindling.optim.lr.ReduceLROnPlateau
import dev.kindling.samples.support.Cells
import dev.kindling.io.Safetensors
import dev.kindling.samples.support.Fast
import dev.kindling.samples.support.Plots
import dev.kindling.samples.support.SampleFiles

// cell: model
/** 20-64-32-3 with BatchNorm1d, ReLU and Dropout(0.3). */
class Classifier : Module() {
    private val net = Sequential(
        Linear(20, 64),
        BatchNorm1d(64),
        ReLU(),
        Dropout(0.3),
        Linear(64, 32),
        BatchNorm1d(32),
        ReLU(),
        Dropout(0.3),
        Linear(32, 3),
    )

    override fun forward(x: Tensor): Tensor = net.forward(x)
}
// end cell

// cell: loops
/** Mean loss and accuracy of one epoch. */
fun trainEpoch(model: Module, loader: DataLoader, criterion: Loss, optimizer: Optimizer): Pair<Double, Double> {
    model.train()
    var totalLoss = 0.0
    var correct = 0L
    var total = 0L
    for (batch in loader) batch.use {
        scope {
            val (x, y) = batch
            optimizer.zeroGrad()
            val outputs = model.forward(x)
            val loss = criterion.forward(outputs, y)
            loss.backward()
            Kindling.clipGradNorm(model.parameters(), 1.0)   // clip_grad_norm_(max_norm=1.0)
            optimizer.step()
            totalLoss += loss.item() * x.size(0)
            correct += outputs.argmax(1).eq(y).sum().item().toLong()
            total += y.size(0)
        }
    }
    return totalLoss / total to correct.toDouble() / total
}

/** Mean loss and accuracy on [loader] without gradients. */
fun evaluate(model: Module, loader: DataLoader, criterion: Loss): Pair<Double, Double> {
    model.eval()
    var totalLoss = 0.0
    var correct = 0L
    var total = 0L
    noGrad {
        for (batch in loader) batch.use {
            scope {
                val (x, y) = batch
                val outputs = model.forward(x)
                totalLoss += criterion.forward(outputs, y).item() * x.size(0)
                correct += outputs.argmax(1).eq(y).sum().item().toLong()
                total += y.size(0)
            }
        }
    }
    return totalLoss / total to correct.toDouble() / total
}
// end cell

// cell: amp-loop
/**
 * One epoch of the seed's mixed precision loop: the forward pass and the loss under autocast (bfloat16 on the CPU),
 * the backward pass and the step through a GradScaler. Returns the epoch's mean loss.
 */
fun trainEpochMixed(model: Module, loader: DataLoader, criterion: Loss, optimizer: Optimizer, scaler: GradScaler): Double {
    model.train()
    var totalLoss = 0.0
    var total = 0L
    for (batch in loader) batch.use {
        scope {
            val (x, y) = batch
            optimizer.zeroGrad()
            val loss = autocast(Device.cpu(), DType.BFLOAT16) {
                val outputs = model.forward(x)   // Linear layers in bfloat16
                criterion.forward(outputs, y)    // the loss in float32
            }
            scaler.scale(loss).backward()
            scaler.unscale_(optimizer)                          // true gradients, for clipping
            Kindling.clipGradNorm(model.parameters(), 1.0)
            scaler.step(optimizer)
            scaler.update()
            totalLoss += loss.item() * x.size(0)
            total += x.size(0)
        }
    }
    return totalLoss / total
}
// end cell

/** The mean of the models' outputs (`torch.stack(predictions).mean(dim=0)`). */
fun ensemblePredict(models: List<Module>, x: Tensor): Tensor = noGrad {
    stack(models.map { it.eval(); it.forward(x) }).mean(0)
}

/** The fraction of rows whose largest output is at the label. */
fun accuracy(outputs: Tensor, y: Tensor): Double = outputs.argmax(1).eq(y).to(DType.FLOAT32).mean().item()

/**
 * Sample 9: the full workflow on a 20-feature, 3-class problem — BatchNorm1d, Dropout, Adam with weight decay,
 * warmup then ReduceLROnPlateau, gradient clipping, best-model saving, a history plot and an ensemble.
 */
fun main() {
    Kindling.manualSeed(0)

    // cell: data
    Cells.cell("data")
    val (features, labels) = makeClassification(
        nSamples = Fast.pick(5000, 500), nFeatures = 20, nInformative = 15, nRedundant = 2, nClasses = 3, seed = 42,
    )
    val (trainSet, testSet) = Datasets.randomSplit(TensorDataset(features, labels), doubleArrayOf(0.8, 0.2), 0)
    val trainLoader = DataLoader.builder(trainSet).batchSize(64).shuffle(true).seed(0).build()
    val testLoader = DataLoader.builder(testSet).batchSize(256).build()
    println("train: ${trainSet.size()}, test: ${testSet.size()}, features: 20, classes: 3")

    // cell: setup
    Cells.cell("setup")
    println("CUDA available: ${Kindling.cudaAvailable()} (mixed precision runs below on the CPU, in bfloat16)")
    val model = Classifier()
    val criterion = CrossEntropyLoss()
    val optimizer = Adam.builder(model.parameters()).lr(0.001).weightDecay(1e-4).build()
    val warmupEpochs = 5
    val warmup = LinearLR(optimizer, 0.2, 1.0, warmupEpochs)   // lr ramps 0.0002 -> 0.001
    val scheduler = ReduceLROnPlateau(optimizer, 5)
    println(model)

    // cell: train
    Cells.cell("train")
    val epochs = Fast.pick(50, 2)
    val history = listOf("train_loss", "train_acc", "val_loss", "val_acc").associateWith { mutableListOf<Double>() }
    var bestAcc = 0.0
    val best = SampleFiles.scratch("best_model.safetensors")
    for (epoch in 0 until epochs) {
        val (trainLoss, trainAcc) = trainEpoch(model, trainLoader, criterion, optimizer)
        val (valLoss, valAcc) = evaluate(model, testLoader, criterion)
        if (epoch < warmupEpochs) warmup.step() else scheduler.step(valLoss)   // warmup first, then watch the validation loss
        history.getValue("train_loss") += trainLoss
        history.getValue("train_acc") += trainAcc
        history.getValue("val_loss") += valLoss
        history.getValue("val_acc") += valAcc
        if (valAcc > bestAcc) {
            bestAcc = valAcc
            Safetensors.save(model.stateDict(), best)
        }
        if ((epoch + 1) % 10 == 0 || epoch == epochs - 1) {
            println(
                "Epoch %d: Train Loss=%.4f, Train Acc=%.2f%%, Val Loss=%.4f, Val Acc=%.2f%%, lr=%.6f".format(
                    epoch + 1, trainLoss, 100 * trainAcc, valLoss, 100 * valAcc, optimizer.paramGroups()[0].lr(),
                )
            )
        }
    }
    println("\nBest validation accuracy: %.2f%%".format(100 * bestAcc))

    // cell: plot
    Cells.cell("plot")
    fun series(vararg keys: String) = keys.associateWith { history.getValue(it).toDoubleArray() }
    val png = SampleFiles.output("ch09-workflow", "training_history.png")
    Plots.save(
        png, listOf(
            Plots.chart("Loss Curve", "Epoch", "Loss", series("train_loss", "val_loss")),
            Plots.chart("Accuracy Curve", "Epoch", "Accuracy", series("train_acc", "val_acc")),
        )
    )
    println("saved ${png.fileName}")

    // cell: ensemble
    Cells.cell("ensemble")
    val bestModel = Classifier()
    @Suppress("UNCHECKED_CAST")
    bestModel.loadStateDict(Safetensors.load(best))
    val testIdx = testSet.indices()
    val index = Tensor.fromArray(testIdx, testIdx.size).to(DType.INT64)
    val x = features.indexSelect(0, index)
    val y = labels.indexSelect(0, index)
    println(
        "best model: %.2f%%, last model: %.2f%%, ensemble of both: %.2f%%".format(
            100 * accuracy(ensemblePredict(listOf(bestModel), x), y),
            100 * accuracy(ensemblePredict(listOf(model), x), y),
            100 * accuracy(ensemblePredict(listOf(bestModel, model), x), y),
        )
    )

    // cell: amp
    Cells.cell("amp")
    // the same model trained from the same start in float32 and with autocast, timed epoch by epoch
    val ampEpochs = Fast.pick(5, 1)
    for (mixed in listOf(false, true)) {
        Kindling.manualSeed(1)
        val m = Classifier()
        val opt = Adam.builder(m.parameters()).lr(0.001).weightDecay(1e-4).build()
        val scaler = GradScaler()
        val start = System.nanoTime()
        repeat(ampEpochs) {
            if (mixed) trainEpochMixed(m, trainLoader, criterion, opt, scaler) else trainEpoch(m, trainLoader, criterion, opt)
        }
        val msPerEpoch = (System.nanoTime() - start) / 1e6 / ampEpochs
        val (_, valAcc) = evaluate(m, testLoader, criterion)
        println("%-22s %7.1f ms/epoch, val acc %.2f%% after %d epochs".format(
            if (mixed) "autocast bfloat16:" else "float32:", msPerEpoch, 100 * valAcc, ampEpochs))
    }
    val weights = model.parameters().sumOf { it.numel() * it.dtype().byteSize() }
    val halfWeights = Classifier().bfloat16().parameters().sumOf { it.numel() * it.dtype().byteSize() }
    println("weights: $weights bytes in float32, $halfWeights bytes in bfloat16")
}
