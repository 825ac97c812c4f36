@file:JvmName("Operators")

package dev.kindling.dsl

import dev.kindling.Tensor

// Arithmetic reads like PyTorch's: tensors and numbers on either side of + - * /.

operator fun Tensor.plus(other: Tensor): Tensor = add(other)
operator fun Tensor.plus(other: Number): Tensor = add(other.toDouble())
operator fun Number.plus(other: Tensor): Tensor = other.add(toDouble())

operator fun Tensor.minus(other: Tensor): Tensor = sub(other)
operator fun Tensor.minus(other: Number): Tensor = sub(other.toDouble())
operator fun Number.minus(other: Tensor): Tensor = other.rsub(toDouble())

operator fun Tensor.times(other: Tensor): Tensor = mul(other)
operator fun Tensor.times(other: Number): Tensor = mul(other.toDouble())
operator fun Number.times(other: Tensor): Tensor = other.mul(toDouble())

operator fun Tensor.div(other: Tensor): Tensor = this.div(other)
operator fun Tensor.div(other: Number): Tensor = this.div(other.toDouble())
operator fun Number.div(other: Tensor): Tensor = other.rdiv(toDouble())

/** `a % b` is Python's remainder (sign of the divisor), like `torch.remainder`. */
operator fun Tensor.rem(other: Tensor): Tensor = remainder(other)
operator fun Tensor.rem(other: Number): Tensor = remainder(other.toDouble())

operator fun Tensor.unaryMinus(): Tensor = neg()
operator fun Tensor.unaryPlus(): Tensor = this

// In-place compound assignment: `w -= lr * g` updates w's memory like PyTorch's `w -= lr * g`.
operator fun Tensor.plusAssign(other: Tensor) { add_(other) }
operator fun Tensor.plusAssign(other: Number) { add_(other.toDouble()) }
operator fun Tensor.minusAssign(other: Tensor) { sub_(other) }
operator fun Tensor.minusAssign(other: Number) { sub_(other.toDouble()) }
operator fun Tensor.timesAssign(other: Tensor) { mul_(other) }
operator fun Tensor.timesAssign(other: Number) { mul_(other.toDouble()) }
operator fun Tensor.divAssign(other: Tensor) { div_(other) }
operator fun Tensor.divAssign(other: Number) { div_(other.toDouble()) }

/** Matrix product, `a matmul b` (Python's `a @ b`). */
infix fun Tensor.matmul(other: Tensor): Tensor = this.matmul(other)

/** `a pow 2` reads like `a ** 2`. */
infix fun Tensor.pow(exponent: Number): Tensor = this.pow(exponent.toDouble())
infix fun Tensor.pow(exponent: Tensor): Tensor = this.pow(exponent)

/** Transpose of a matrix (`x.T`); reverses all dimensions for higher ranks, as PyTorch's `.T` does. */
val Tensor.T: Tensor
    get() = if (dim() <= 2) t() else permute(*IntArray(dim()) { dim() - 1 - it })

/** The shape as a list, handy for `check(x.sizes == listOf(64, 10))`. */
val Tensor.sizes: List<Int> get() = shape().toList()
