@file:JvmName("DatasetDataLoader")

package dev.kindling.samples.ch05_dataset_dataloader

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Dataset
import dev.kindling.data.Sample
import dev.kindling.dsl.*
import dev.kindling.nn.BCELoss
import dev.kindling.nn.Linear
import dev.kindling.nn.Module
import dev.kindling.nn.Sigmoid
import dev.kindling.optim.SGD
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast
import dev.kindling.samples.support.SampleFiles
import java.nio.file.Path
import kotlin.io.path.readLines

// cell: dataset
/** The seed's DiabetesDataset on breast_cancer.csv: the first 8 columns standardized, the label as [1] float. */
class BreastCancerDataset(file: Path) : Dataset {
    private val rows = file.readLines().drop(1).map { line -> line.split(",") }   // line 1 is scikit-learn's header
    private val len = rows.size
    val xData: Tensor
    val yData: Tensor

    init {
        val raw = Tensor.fromArray(FloatArray(len * 8) { rows[it / 8][it % 8].toFloat() }, len, 8)
        xData = (raw - raw.mean(0, true)) / raw.std(0, true, true)
        yData = Tensor.fromArray(FloatArray(len) { rows[it].last().toFloat() }, len, 1)
    }

    override fun get(index: Int): Sample = Sample.of(xData[index], yData[index])

    override fun size(): Int = len
}
// end cell

// cell: model
/** The 8-6-4-1 sigmoid network of sample 4. */
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

/** Sample 5: a custom CSV Dataset, a DataLoader, and how epochs, batches and iterations relate. */
fun main() {
    Kindling.manualSeed(0)

    // cell: loader
    Cells.cell("loader")
    val dataset = BreastCancerDataset(SampleFiles.data("breast_cancer.csv"))
    val trainLoader = DataLoader.builder(dataset).batchSize(32).shuffle(true).seed(0).numWorkers(0).build()
    println("samples: ${dataset.size()}, batch size: 32, batches (iterations) per epoch: ${trainLoader.size()}")
    val (firstInputs, firstLabels) = trainLoader.iterator().next()
    println("first batch: inputs ${firstInputs.sizes}, labels ${firstLabels.sizes}")

    // cell: train
    Cells.cell("train")
    val model = Model()
    val criterion = BCELoss()
    val optimizer = SGD(model.parameters(), 0.01)
    val epochs = Fast.pick(100, 2)
    for (epoch in 0 until epochs) {
        var iterations = 0
        var last = 0.0
        for ((i, batch) in trainLoader.withIndex()) {
            val (inputs, labels) = batch
            val loss = criterion.forward(model.forward(inputs), labels)
            last = loss.item()
            if (epoch == 0) println("$epoch $i $last")
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            iterations = i + 1
        }
        if (epoch > 0 && ((epoch + 1) % 10 == 0 || epoch == epochs - 1)) {
            println("epoch $epoch: $iterations iterations, last loss $last")
        }
    }
    val all = model.forward(dataset.xData).detach().gt(0.5).to(DType.FLOAT32)
    println("accuracy: %.4f".format(all.eq(dataset.yData).to(DType.FLOAT32).mean().item()))
}
