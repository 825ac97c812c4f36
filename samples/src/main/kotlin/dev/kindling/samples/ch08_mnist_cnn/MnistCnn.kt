@file:JvmName("MnistCnn")

package dev.kindling.samples.ch08_mnist_cnn

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Dataset
import dev.kindling.data.Subset
import dev.kindling.dsl.*
import dev.kindling.nn.Conv2d
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.F
import dev.kindling.nn.Linear
import dev.kindling.nn.Loss
import dev.kindling.nn.Module
import dev.kindling.nn.NLLLoss
import dev.kindling.optim.Adam
import dev.kindling.optim.Optimizer
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast
import dev.kindling.samples.support.ImageData
import java.nio.file.Path

// cell: mlp
/** 784-512-256-10 with ReLU and log_softmax (the seed's MNISTNet). */
class MNISTNet : Module() {
    private val fc1 = Linear(28 * 28, 512)
    private val fc2 = Linear(512, 256)
    private val fc3 = Linear(256, 10)

    override fun forward(x: Tensor): Tensor {
        var h = x.view(-1, 28 * 28)   // flatten the images
        h = F.relu(fc1.forward(h))
        h = F.relu(fc2.forward(h))
        return F.logSoftmax(fc3.forward(h), 1)
    }
}
// end cell

// cell: cnn
/**
 * Three 3x3 convolutions (32, 64, 128 channels), each followed by ReLU and 2x2 max pooling, then one linear
 * layer. On 28x28 images the feature map ends at 3x3 (the seed's 8x8 assumes 64x64 inputs), and the logits
 * go to CrossEntropyLoss without the seed's final ReLU.
 */
class CNN : Module() {
    private val conv1 = Conv2d(1, 32, 3, 1, 1)
    private val conv2 = Conv2d(32, 64, 3, 1, 1)
    private val conv3 = Conv2d(64, 128, 3, 1, 1)
    private val fc1 = Linear(128 * 3 * 3, 10)

    override fun forward(x: Tensor): Tensor {
        var h = F.maxPool2d(F.relu(conv1.forward(x)), 2)
        h = F.maxPool2d(F.relu(conv2.forward(h)), 2)
        h = F.maxPool2d(F.relu(conv3.forward(h)), 2)
        return fc1.forward(h.view(-1, 128 * 3 * 3))
    }
}
// end cell

// cell: loops
/** Trains for [numEpochs], printing the last batch's loss per epoch, then prints the test accuracy. */
fun fit(model: Module, criterion: Loss, optimizer: Optimizer, trainLoader: DataLoader, testLoader: DataLoader, numEpochs: Int): Double {
    for (epoch in 0 until numEpochs) {
        model.train()
        var last = 0.0
        for (batch in trainLoader) batch.use {
            scope {
                val (images, targets) = batch
                val inputs = (images - 0.5) / 0.5   // transforms.Normalize((0.5,), (0.5,))
                optimizer.zeroGrad()
                val loss = criterion.forward(model.forward(inputs), targets)
                loss.backward()
                optimizer.step()
                last = loss.item()
            }
        }
        println("Epoch [%d/%d], Loss: %.4f".format(epoch + 1, numEpochs, last))
    }
    model.eval()
    var correct = 0L
    var total = 0L
    noGrad {
        for (batch in testLoader) batch.use {
            scope {
                val (images, targets) = batch
                val predicted = model.forward((images - 0.5) / 0.5).argmax(1)
                total += targets.size(0)
                correct += predicted.eq(targets).sum().item().toLong()
            }
        }
    }
    val accuracy = correct.toDouble() / total
    println("Test Accuracy: %.4f".format(accuracy))
    return accuracy
}
// end cell

internal fun Dataset.head(n: Int): Dataset = Subset(this, IntArray(minOf(n, size())) { it })

/** Sample 8: the MNIST-style MLP (784-512-256-10, log_softmax, NLLLoss, Adam) and a 3-layer CNN, with test accuracy. */
fun main() {
    Kindling.manualSeed(0)

    // cell: data
    Cells.cell("data")
    val sets = mutableListOf(ImageData.fashionMnist(Path.of("data")))
    val mnist = ImageData.mnistIfPresent(Path.of("data"))
    if (mnist != null) sets += mnist else println("MNIST: no files under data/MNIST/raw, skipped")
    val numEpochs = if (Fast.enabled()) 1 else 5   // the seed's 5 epochs

    for (data in sets) {
        val train = if (Fast.enabled()) data.train.head(128) else data.train
        val test = if (Fast.enabled()) data.test.head(128) else data.test
        val trainLoader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).build()
        val testLoader = DataLoader.builder(test).batchSize(1000).build()
        println("${data.name}: ${train.size()} training and ${test.size()} test images")

        // cell: train-mlp
        Cells.cell("train-mlp")
        val mlp = MNISTNet()
        fit(mlp, NLLLoss(), Adam(mlp.parameters(), 0.01), trainLoader, testLoader, numEpochs)

        // cell: train-cnn
        Cells.cell("train-cnn")
        val cnn = CNN()
        fit(cnn, CrossEntropyLoss(), Adam(cnn.parameters(), 0.001), trainLoader, testLoader, numEpochs)
    }
}
