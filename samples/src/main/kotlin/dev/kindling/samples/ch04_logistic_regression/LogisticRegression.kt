@file:JvmName("LogisticRegression")

package dev.kindling.samples.ch04_logistic_regression

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.datasets.CsvDataset
import dev.kindling.dsl.*
import dev.kindling.nn.BCELoss
import dev.kindling.nn.F
import dev.kindling.nn.Linear
import dev.kindling.nn.Module
import dev.kindling.nn.Reduction
import dev.kindling.nn.Sigmoid
import dev.kindling.optim.SGD
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast
import dev.kindling.samples.support.Plots
import dev.kindling.samples.support.SampleFiles

// cell: logistic-model
/** sigmoid(w x + b). */
class LogisticRegressionModel : Module() {
    val linear = Linear(1, 1)

    override fun forward(x: Tensor): Tensor = F.sigmoid(linear.forward(x))
}
// end cell

// cell: deep-model
/** Three linear layers, each followed by a sigmoid (the seed's diabetes model). */
class Model : Module() {
    private val linear1 = Linear(8, 6)
    private val linear2 = Linear(6, 4)
    private val linear3 = Linear(4, 1)
    private val sigmoid = Sigmoid()

    override fun forward(x: Tensor): Tensor {
        var h = sigmoid.forward(linear1.forward(x))
        h = sigmoid.forward(linear2.forward(h))
        return sigmoid.forward(linear3.forward(h))
    }
}
// end cell

/** Sample 4: logistic regression with BCELoss, then an 8-6-4-1 sigmoid network on a real table. */
fun main() {
    Kindling.manualSeed(0)

    // cell: logistic
    Cells.cell("logistic")
    val xData = tensorOf(floatArrayOf(1f), floatArrayOf(2f), floatArrayOf(3f))
    val yData = tensorOf(floatArrayOf(0f), floatArrayOf(0f), floatArrayOf(1f))
    val model = LogisticRegressionModel()
    val criterion = BCELoss(Reduction.SUM)
    val optimizer = SGD(model.parameters(), 0.01)
    val epochs = Fast.pick(1000, 5)
    for (epoch in 0 until epochs) {
        val loss = criterion.forward(model.forward(xData), yData)
        if (epoch % 100 == 0 || epoch == epochs - 1) println("$epoch ${loss.item()}")
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }
    println("w = ${model.linear.weight.item()}")
    println("b = ${model.linear.bias.item()}")
    println("y_pred = ${model.forward(tensorOf(floatArrayOf(4f))).detach()}")

    // cell: table
    Cells.cell("table")
    // breast_cancer.csv: 569 rows, 30 features and a 0/1 label; its first line is scikit-learn's header.
    // The seed's diabetes table has 8 features: we keep the first 8 (mean radius ... mean concave points).
    val table = CsvDataset.builder(SampleFiles.data("breast_cancer.csv"))
        .skipLines(1).featureColumns(*(0 until 8).toList().toIntArray()).targetColumn(30).build()
    val raw = table.features()
    val x = (raw - raw.mean(0, true)) / raw.std(0, true, true)   // standardize each column
    val y = table.targets().to(DType.FLOAT32).reshape(-1, 1)
    println("x: ${x.sizes}, y: ${y.sizes}, positives: ${y.sum().item().toLong()}")

    // cell: train
    Cells.cell("train")
    val net = Model()
    val bce = BCELoss(Reduction.MEAN)
    val sgd = SGD(net.parameters(), 0.1)
    val netEpochs = Fast.pick(2000, 5)
    val losses = DoubleArray(netEpochs)
    for (epoch in 0 until netEpochs) {
        val loss = bce.forward(net.forward(x), y)
        losses[epoch] = loss.item()
        if (epoch % 200 == 0 || epoch == netEpochs - 1) println("$epoch ${losses[epoch]}")
        sgd.zeroGrad()
        loss.backward()
        sgd.step()
    }
    val predicted = net.forward(x).detach().gt(0.5).to(DType.FLOAT32)
    println("training accuracy: %.4f".format(predicted.eq(y).to(DType.FLOAT32).mean().item()))

    // cell: plot
    Cells.cell("plot")
    val png = SampleFiles.output("ch04-logistic-regression", "loss.png")
    Plots.save(png, listOf(Plots.chart("BCE loss, 8-6-4-1 network", "epoch", "loss", mapOf("loss" to losses))))
    println("saved ${png.fileName}")
}
