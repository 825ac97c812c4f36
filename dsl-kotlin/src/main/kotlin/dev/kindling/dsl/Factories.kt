@file:JvmName("Factories")

package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Tensor

/** `tensorOf(1f, 2f)` is `torch.tensor([1., 2.])`. */
fun tensorOf(vararg values: Float): Tensor = Tensor.of(*values)

/** A FLOAT64 tensor. */
fun tensorOf(vararg values: Double): Tensor = Tensor.of(*values)

/** An INT64 tensor, as PyTorch makes from Python ints. */
fun tensorOf(vararg values: Long): Tensor = Tensor.of(*values)

/** An INT64 tensor from Kotlin ints (labels, indices). */
fun tensorOf(vararg values: Int): Tensor = Tensor.of(*values)

fun tensorOf(vararg values: Boolean): Tensor = Tensor.of(*values)

/** A 2-D FLOAT32 tensor from rows: `tensorOf(floatArrayOf(1f, 2f), floatArrayOf(3f, 4f))`. */
fun tensorOf(vararg rows: FloatArray): Tensor = Tensor.of(arrayOf(*rows))

/** A 0-d tensor, `torch.tensor(3.0)`. */
fun scalarOf(value: Number, dtype: DType = DType.FLOAT32): Tensor = Tensor.scalar(value.toDouble(), dtype)

fun zeros(vararg shape: Int, dtype: DType = DType.FLOAT32): Tensor = Tensor.zeros(shape, dtype)
fun ones(vararg shape: Int, dtype: DType = DType.FLOAT32): Tensor = Tensor.ones(shape, dtype)
fun full(vararg shape: Int, value: Number, dtype: DType = DType.FLOAT32): Tensor = Tensor.full(shape, value.toDouble(), dtype)
fun rand(vararg shape: Int): Tensor = Tensor.rand(*shape)
fun randn(vararg shape: Int): Tensor = Tensor.randn(*shape)
fun randint(low: Long, high: Long, vararg shape: Int): Tensor = Tensor.randint(low, high, *shape)
fun eye(n: Int, m: Int = n): Tensor = Tensor.eye(n, m)
fun arange(end: Long): Tensor = Tensor.arange(end)
fun arange(start: Long, end: Long, step: Long = 1): Tensor = Tensor.arange(start, end, step)
fun arange(start: Double, end: Double, step: Double = 1.0): Tensor = Tensor.arange(start, end, step)
fun linspace(start: Number, end: Number, steps: Int): Tensor = Tensor.linspace(start.toDouble(), end.toDouble(), steps)

fun cat(tensors: List<Tensor>, dim: Int = 0): Tensor = Tensor.cat(tensors, dim)
fun stack(tensors: List<Tensor>, dim: Int = 0): Tensor = Tensor.stack(tensors, dim)
fun where(condition: Tensor, a: Tensor, b: Tensor): Tensor = Tensor.where(condition, a, b)
