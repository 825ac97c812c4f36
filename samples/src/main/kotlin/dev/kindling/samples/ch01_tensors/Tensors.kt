@file:JvmName("Tensors")

package dev.kindling.samples.ch01_tensors

import dev.kindling.DType
import dev.kindling.Device
import dev.kindling.Kindling
import dev.kindling.dsl.*
import dev.kindling.samples.support.Cells

/** Sample 1: tensors — creation, properties, arithmetic, products, shapes, broadcasting, devices. */
fun main() {
    Kindling.manualSeed(0)

    // cell: create
    Cells.cell("create")
    val a = tensorOf(1L, 2L, 3L)
    println("from values: $a")
    val zeros = zeros(3, 4)
    val ones = ones(3, 4)
    val rand = rand(3, 4)
    val randn = randn(3, 4)
    val eye = eye(3)
    val arange = arange(0L, 10L, 2L)
    println("zeros:\n$zeros")
    println("ones:\n$ones")
    println("rand:\n$rand")
    println("randn:\n$randn")
    println("eye:\n$eye")
    println("arange: $arange")

    // cell: properties
    Cells.cell("properties")
    val x = randn(3, 4, 5)
    println("shape: ${x.sizes}")
    println("ndim: ${x.dim()}")
    println("dtype: ${x.dtype()}")
    println("device: ${x.device()}")
    println("numel: ${x.numel()}")

    // cell: arithmetic
    Cells.cell("arithmetic")
    val p = tensorOf(1f, 2f, 3f)
    val q = tensorOf(4f, 5f, 6f)
    println("add: ${p + q}")
    println("mul: ${p * q}")
    println("dot: ${p.dot(q)}")
    println("matmul:\n${randn(2, 3) matmul randn(3, 4)}")

    // cell: shapes
    Cells.cell("shapes")
    val y = randn(2, 3, 4)
    println("shape: ${y.sizes}")
    println("reshape(6, 4): ${y.reshape(6, 4).sizes}")
    println("view(2, 12): ${y.view(2, 12).sizes}")
    println("transpose(0, 1): ${y.transpose(0, 1).sizes}")
    println("permute(2, 0, 1): ${y.permute(2, 0, 1).sizes}")

    // cell: broadcasting
    Cells.cell("broadcasting")
    val column = arange(0L, 3L).reshape(3, 1)
    val row = arange(0L, 4L).reshape(1, 4)
    val grid = column * 10 + row
    println("[3, 1] * 10 + [1, 4] -> ${grid.sizes}:\n$grid")
    val g = grid.to(DType.FLOAT32)
    println("matrix - row means:\n${g - g.mean(1, true)}")

    // cell: device
    Cells.cell("device")
    println("CUDA available: ${Kindling.cudaAvailable()}")
    val device = if (Kindling.cudaAvailable()) Device.cuda() else Device.CPU
    val moved = y.to(device)
    println("tensor on: ${moved.device()}")
}
