@file:JvmName("TrainingBasics")

package dev.kindling.samples.ch06_training_basics

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Datasets
import dev.kindling.data.TensorDataset
import dev.kindling.dsl.*
import dev.kindling.nn.Linear
import dev.kindling.nn.LogSoftmax
import dev.kindling.nn.NLLLoss
import dev.kindling.nn.ReLU
import dev.kindling.nn.Sequential
import dev.kindling.optim.Adam
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast

/** Sample 6: random data, TensorDataset split 80/20, a 10-5-2 LogSoftmax network, NLLLoss and Adam. */
fun main() {
    Kindling.manualSeed(0)

    // cell: data
    Cells.cell("data")
    val x = randn(100, 10)              // 100 samples, 10 features each
    val y = randint(0, 2, 100)          // binary labels
    // the seed slices X[:80] / X[80:]; randomSplit does the same on shuffled indices
    val (trainSet, testSet) = Datasets.randomSplit(TensorDataset(x, y), intArrayOf(80, 20), 0)
    val trainLoader = DataLoader.builder(trainSet).batchSize(10).shuffle(true).seed(0).build()
    val testLoader = DataLoader.builder(testSet).batchSize(20).shuffle(false).build()
    println("train: ${trainSet.size()} samples in ${trainLoader.size()} batches, test: ${testSet.size()} samples in ${testLoader.size()} batch")

    // cell: model
    Cells.cell("model")
    val model = Sequential(
        Linear(10, 5),
        ReLU(),
        Linear(5, 2),
        LogSoftmax(1),
    )
    println(model)

    // cell: train
    Cells.cell("train")
    val criterion = NLLLoss()
    val optimizer = Adam(model.parameters(), 0.01)
    val numEpochs = Fast.pick(5, 2)
    for (epoch in 0 until numEpochs) {
        model.train()
        var loss: Tensor? = null
        for ((inputs, targets) in trainLoader) {
            optimizer.zeroGrad()
            val outputs = model.forward(inputs)
            loss = criterion.forward(outputs, targets)
            loss.backward()
            optimizer.step()
        }
        println("Epoch [%d/%d], Loss: %.4f".format(epoch + 1, numEpochs, loss!!.item()))
    }

    // cell: evaluate
    Cells.cell("evaluate")
    model.eval()
    var correct = 0L
    var total = 0L
    noGrad {
        for ((inputs, targets) in testLoader) {
            val (_, predicted) = model.forward(inputs).max(1)
            correct += predicted.eq(targets).sum().item().toLong()
            total += targets.size(0)
        }
    }
    println("Test Accuracy: %.4f".format(correct.toDouble() / total))
}
