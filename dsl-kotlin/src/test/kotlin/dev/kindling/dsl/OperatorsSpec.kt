package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

private fun Tensor.floats() = toFloatArray().toList()

class OperatorsSpec : StringSpec({
    val a = tensorOf(1f, 2f, 3f)
    val b = tensorOf(4f, 5f, 6f)

    "tensor arithmetic with tensors on both sides" {
        (a + b).floats() shouldBe listOf(5f, 7f, 9f)
        (b - a).floats() shouldBe listOf(3f, 3f, 3f)
        (a * b).floats() shouldBe listOf(4f, 10f, 18f)
        (b / a).floats() shouldBe listOf(4f, 2.5f, 2f)
        (b % a).floats() shouldBe listOf(0f, 1f, 0f)
    }

    "numbers on either side" {
        (a + 1).floats() shouldBe listOf(2f, 3f, 4f)
        (1 + a).floats() shouldBe listOf(2f, 3f, 4f)
        (10 - a).floats() shouldBe listOf(9f, 8f, 7f)
        (a - 1.5).floats() shouldBe listOf(-0.5f, 0.5f, 1.5f)
        (2f * a).floats() shouldBe listOf(2f, 4f, 6f)
        (a * 2).floats() shouldBe listOf(2f, 4f, 6f)
        (6 / a).floats() shouldBe listOf(6f, 3f, 2f)
        (a / 2).floats() shouldBe listOf(0.5f, 1f, 1.5f)
    }

    "integer tensors stay integral with whole numbers" {
        val i = tensorOf(1, 2, 3)
        (i * 2).dtype() shouldBe DType.INT64
        (i * 0.5).dtype() shouldBe DType.FLOAT32
    }

    "unary minus, pow and T" {
        (-a).floats() shouldBe listOf(-1f, -2f, -3f)
        (a pow 2).floats() shouldBe listOf(1f, 4f, 9f)
        val m = tensorOf(floatArrayOf(1f, 2f, 3f), floatArrayOf(4f, 5f, 6f))
        m.T.sizes shouldBe listOf(3, 2)
        m.T.floats() shouldBe listOf(1f, 4f, 2f, 5f, 3f, 6f)
        zeros(2, 3, 4).T.sizes shouldBe listOf(4, 3, 2)
    }

    "matmul infix" {
        val m = tensorOf(floatArrayOf(1f, 2f), floatArrayOf(3f, 4f))
        (m matmul m).floats() shouldBe listOf(7f, 10f, 15f, 22f)
        shouldThrow<IllegalArgumentException> { zeros(64, 784) matmul zeros(512, 784) }
            .message shouldContain "cannot be multiplied (784 != 512)"
    }

    "compound assignment updates in place" {
        val w = tensorOf(1f, 2f)
        val alias = w
        w -= tensorOf(1f, 1f)
        w *= 3
        alias.floats() shouldBe listOf(0f, 3f)
    }

    "indexing and slicing" {
        val x = arange(0, 12).reshape(3, 4)
        x[1].toLongArray().toList() shouldBe listOf(4L, 5L, 6L, 7L)
        x[-1].toLongArray().toList() shouldBe listOf(8L, 9L, 10L, 11L)
        x[0 until 2].sizes shouldBe listOf(2, 4)
        x[all, 1].toLongArray().toList() shouldBe listOf(1L, 5L, 9L)
        x[rest, 0].toLongArray().toList() shouldBe listOf(0L, 4L, 8L)
        x[1, 0 until 4 step 2].toLongArray().toList() shouldBe listOf(4L, 6L)
        x[0..1, 3].toLongArray().toList() shouldBe listOf(3L, 7L)
        shouldThrow<IllegalArgumentException> { x[0, 0, 0] }.message shouldContain "too many indices"
        shouldThrow<IndexOutOfBoundsException> { x[5] }.message shouldContain "out of bounds"
    }

    "index assignment writes into the tensor" {
        val x = zeros(2, 2)
        x[0] = 1
        x[1] = tensorOf(2f, 3f)
        x.floats() shouldBe listOf(1f, 1f, 2f, 3f)
    }

    "factories" {
        zeros(3, 4).sizes shouldBe listOf(3, 4)
        ones(2, dtype = DType.FLOAT64).dtype() shouldBe DType.FLOAT64
        full(2, 2, value = 7).floats() shouldBe listOf(7f, 7f, 7f, 7f)
        tensorOf(1L, 2L).dtype() shouldBe DType.INT64
        tensorOf(1.0, 2.0).dtype() shouldBe DType.FLOAT64
        eye(2).floats() shouldBe listOf(1f, 0f, 0f, 1f)
        arange(0.0, 1.0, 0.25).floats() shouldBe listOf(0f, 0.25f, 0.5f, 0.75f)
        linspace(0, 1, 3).floats() shouldBe listOf(0f, 0.5f, 1f)
        scalarOf(3).dim() shouldBe 0
        cat(listOf(a, b)).sizes shouldBe listOf(6)
        stack(listOf(a, b), dim = 1).sizes shouldBe listOf(3, 2)
    }

    "noGrad blocks recording and restores the mode" {
        val w = tensorOf(1f, 2f).requiresGrad(true)
        val y = noGrad { w * 2 }
        y.requiresGrad() shouldBe false
        Kindling.isGradEnabled() shouldBe true
        noGrad { enableGrad { (w * 2).requiresGrad() } } shouldBe true
    }

    "scope frees temporaries and keeps the result" {
        val kept = scope {
            val tmp = ones(1000)
            tmp.sum()
        }
        kept.item() shouldBe 1000.0
    }

    "autograd through operators" {
        val x = tensorOf(1f, 2f, 3f).requiresGrad(true)
        val y = tensorOf(2f, 3f, 4f).requiresGrad(true)
        val z = x * y + (x pow 2)
        z.sum().backward()
        x.grad().floats() shouldBe listOf(4f, 7f, 10f)   // y + 2x
        y.grad().floats() shouldBe listOf(1f, 2f, 3f)    // x
    }
})
