package dev.kindling.dsl

import dev.kindling.Tensor
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

class OperatorsSpec : StringSpec({
    "plus adds elementwise" {
        (Tensor.of(1f, 2f) + Tensor.of(3f, 4f)).toFloatArray().toList() shouldBe listOf(4f, 6f)
    }
})
