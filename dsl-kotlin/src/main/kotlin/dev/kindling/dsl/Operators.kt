package dev.kindling.dsl

import dev.kindling.Tensor

/** `a + b` for tensors. */
operator fun Tensor.plus(other: Tensor): Tensor = add(other)

/** `a - b` for tensors. */
operator fun Tensor.minus(other: Tensor): Tensor = sub(other)

/** `a * b` elementwise. */
operator fun Tensor.times(other: Tensor): Tensor = mul(other)

/** `a / b` elementwise. */
operator fun Tensor.div(other: Tensor): Tensor = this.div(other)

/** `-a`. */
operator fun Tensor.unaryMinus(): Tensor = neg()

/** Matrix product, `a matmul b`. */
infix fun Tensor.matmul(other: Tensor): Tensor = this.matmul(other)
