@file:JvmName("LinearRegression")

package dev.kindling.samples.ch03_linear_regression

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.dsl.*
import dev.kindling.nn.Linear
import dev.kindling.nn.MSELoss
import dev.kindling.nn.Module
import dev.kindling.nn.Reduction
import dev.kindling.optim.SGD
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast

// cell: model
/** y = w x + b as a module with one Linear(1, 1) layer. */
class LinearModel : Module() {
    val linear = Linear(1, 1)

    override fun forward(x: Tensor): Tensor = linear.forward(x)
}
// end cell

/** Sample 3: linear regression with Linear(1, 1), MSELoss(sum) and SGD on y = 2x. */
fun main() {
    Kindling.manualSeed(0)

    // cell: data
    Cells.cell("data")
    val xData = tensorOf(floatArrayOf(1f), floatArrayOf(2f), floatArrayOf(3f))
    val yData = tensorOf(floatArrayOf(2f), floatArrayOf(4f), floatArrayOf(6f))
    val model = LinearModel()
    println(model)

    // cell: train
    Cells.cell("train")
    val criterion = MSELoss(Reduction.SUM)
    val optimizer = SGD(model.parameters(), 0.01)
    val epochs = Fast.pick(1000, 5)
    for (epoch in 0 until epochs) {
        val yPred = model.forward(xData)
        val loss = criterion.forward(yPred, yData)
        if (epoch % 100 == 0 || epoch == epochs - 1) println("$epoch ${loss.item()}")
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
    }

    // cell: result
    Cells.cell("result")
    println("w = ${model.linear.weight.item()}")
    println("b = ${model.linear.bias.item()}")
    val yTest = model.forward(tensorOf(floatArrayOf(4f)))
    println("y_pred = ${yTest.detach()}")
}
