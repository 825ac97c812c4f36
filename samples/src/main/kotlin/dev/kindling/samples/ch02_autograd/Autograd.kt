@file:JvmName("Autograd")

package dev.kindling.samples.ch02_autograd

import dev.kindling.Tensor
import dev.kindling.dsl.*
import dev.kindling.samples.support.Cells
import dev.kindling.samples.support.Fast

/** Sample 2: autograd — gradient descent by hand on y = 2x, and the gradients of z = x*y + x^2. */
fun main() {
    // cell: data
    Cells.cell("data")
    val xData = doubleArrayOf(1.0, 2.0, 3.0)
    val yData = doubleArrayOf(2.0, 4.0, 6.0)
    val w = tensorOf(1.0f).requiresGrad(true)
    fun forward(x: Tensor) = x * w
    fun loss(x: Tensor, y: Tensor) = (forward(x) - y) pow 2
    println("predict before training 4 ${forward(scalarOf(4)).item()}")

    // cell: train
    Cells.cell("train")
    val epochs = Fast.pick(100, 3)
    for (epoch in 0 until epochs) {
        var l: Tensor? = null
        for ((x, y) in xData.zip(yData)) {
            l = loss(scalarOf(x), scalarOf(y))
            l.backward()
            if (epoch == 0) println("\tgrad: $x $y ${w.grad().item()}")
            // w.data = w.data - 0.01 * w.grad.data: update the values outside the graph
            w.data().sub_(w.grad() * 0.01)
            w.grad().zero_()
        }
        if (epoch < 3 || (epoch + 1) % 10 == 0) println("progress: $epoch ${l!!.item()}")
    }
    println("predict after training 4 ${forward(scalarOf(4)).item()}")

    // cell: graph
    Cells.cell("graph")
    val x = tensorOf(2.0f, 3.0f).requiresGrad(true)
    val y = tensorOf(4.0f, 5.0f).requiresGrad(true)
    val z = x * y + (x pow 2)
    val total = z.sum()
    total.backward()
    println("x.grad = ${x.grad()}   (dL/dx = y + 2x)")
    println("y.grad = ${y.grad()}   (dL/dy = x)")

    // cell: nograd
    Cells.cell("nograd")
    val inference = noGrad { x * y }
    println("under noGrad requiresGrad = ${inference.requiresGrad()}")
    val detached = z.detach()
    println("detached requiresGrad = ${detached.requiresGrad()}")
}
