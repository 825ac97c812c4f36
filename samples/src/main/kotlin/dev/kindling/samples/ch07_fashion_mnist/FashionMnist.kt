@file:JvmName("FashionMnist")

package dev.kindling.samples.ch07_fashion_mnist

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Dataset
import dev.kindling.data.Subset
import dev.kindling.dsl.*
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.Flatten
import dev.kindling.nn.Linear
import dev.kindling.nn.Loss
import dev.kindling.nn.Module
import dev.kindling.nn.ReLU
import dev.kindling.nn.Sequential
import dev.kindling.optim.Optimizer
import dev.kindling.optim.SGD
import dev.kindling.samples.support.Cells
import dev.kindling.io.Checkpoint
import dev.kindling.samples.support.Fast
import dev.kindling.samples.support.ImageData
import dev.kindling.samples.support.SampleFiles
import java.nio.file.Path

// cell: model
/** Flatten, then 784-512-512-10 with ReLU: the tutorial's NeuralNetwork. */
class NeuralNetwork : Module() {
    private val flatten = Flatten()
    // fields are registered under their names: this one keeps PyTorch's state-dict keys
    @Suppress("PropertyName")
    private val linear_relu_stack = Sequential(
        Linear(28 * 28, 512),
        ReLU(),
        Linear(512, 512),
        ReLU(),
        Linear(512, 10),
    )

    override fun forward(x: Tensor): Tensor = linear_relu_stack.forward(flatten.forward(x))
}
// end cell

// cell: loops
/** One pass over the training data, printing the loss every 100 batches. */
fun trainLoop(dataloader: DataLoader, model: Module, lossFn: Loss, optimizer: Optimizer) {
    val size = dataloader.dataset().size()
    model.train()
    for ((batch, b) in dataloader.withIndex()) {
        b.use {
            scope {
                val (x, y) = b
                // Compute prediction and loss
                val pred = model.forward(x)
                val loss = lossFn.forward(pred, y)
                // Backpropagation
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                if (batch % 100 == 0) {
                    val current = (batch + 1L) * x.size(0)
                    println("loss: %7f  [%5d/%5d]".format(loss.item(), current, size))
                }
            }
        }
    }
}

/** Average loss and accuracy on the test data, printed in the tutorial's format; returns the accuracy. */
fun testLoop(dataloader: DataLoader, model: Module, lossFn: Loss): Double {
    val size = dataloader.dataset().size()
    val numBatches = dataloader.size()
    var testLoss = 0.0
    var correct = 0.0
    model.eval()
    noGrad {
        for (b in dataloader) {
            b.use {
                scope {
                    val (x, y) = b
                    val pred = model.forward(x)
                    testLoss += lossFn.forward(pred, y).item()
                    correct += pred.argmax(1).eq(y).sum().item()
                }
            }
        }
    }
    testLoss /= numBatches
    correct /= size
    print("Test Error: \n Accuracy: %.1f%%, Avg loss: %8f \n\n".format(100 * correct, testLoss))
    return correct
}
// end cell

/** The first [n] samples (fast mode trains on a slice). */
internal fun Dataset.head(n: Int): Dataset = Subset(this, IntArray(minOf(n, size())) { it })

/** Sample 7: the Fashion-MNIST NeuralNetwork with train_loop / test_loop, then save, load and continue. */
fun main() {
    Kindling.manualSeed(0)

    // cell: data
    Cells.cell("data")
    val data = ImageData.fashionMnist(Path.of("data"))
    val trainingData = if (Fast.enabled()) data.train.head(320) else data.train
    val testData = if (Fast.enabled()) data.test.head(320) else data.test
    val trainDataloader = DataLoader.builder(trainingData).batchSize(64).build()
    val testDataloader = DataLoader.builder(testData).batchSize(64).build()
    println("${data.name}: ${trainingData.size()} training and ${testData.size()} test images")
    val model = NeuralNetwork()
    println(model)

    // cell: train
    Cells.cell("train")
    val learningRate = 1e-3
    val epochs = Fast.pick(2, 1)   // the tutorial trains 5; 2 keep this run short
    val lossFn = CrossEntropyLoss()
    val optimizer = SGD(model.parameters(), learningRate)
    for (t in 0 until epochs) {
        println("Epoch ${t + 1}\n-------------------------------")
        trainLoop(trainDataloader, model, lossFn, optimizer)
        testLoop(testDataloader, model, lossFn)
    }
    println("Done!")

    // cell: save
    Cells.cell("save")
    val path = SampleFiles.scratch("model.ckpt")
    Checkpoint.save(
        path, mapOf(
            "epoch" to epochs,
            "model_state_dict" to model.stateDict(),
            "optimizer_state_dict" to optimizer.stateDict(),
            "loss" to 0.4,
        )
    )
    println("saved ${path.fileName} (${model.stateDict().size} tensors)")

    // cell: load
    Cells.cell("load")
    val restored = NeuralNetwork()
    val restoredOptimizer = SGD(restored.parameters(), learningRate)
    val checkpoint = Checkpoint.load(path)
    @Suppress("UNCHECKED_CAST")
    restored.loadStateDict(checkpoint["model_state_dict"] as Map<String, Tensor>)
    @Suppress("UNCHECKED_CAST")
    restoredOptimizer.loadStateDict(checkpoint["optimizer_state_dict"] as Map<String, *>)
    val epoch = checkpoint["epoch"] as Int
    println("loaded epoch $epoch, loss ${checkpoint["loss"]}")
    testLoop(testDataloader, restored, lossFn)

    // cell: continue
    Cells.cell("continue")
    println("Epoch ${epoch + 1}\n-------------------------------")
    trainLoop(trainDataloader, restored, lossFn, restoredOptimizer)
    testLoop(testDataloader, restored, lossFn)
}
