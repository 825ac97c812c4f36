package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Device
import dev.kindling.Kindling
import dev.kindling.nn.CrossEntropyLoss
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

class AutocastSpec : StringSpec({
    "autocast runs linear layers in bfloat16 and the loss in float32, and restores the mode" {
        Kindling.manualSeed(0)
        val model = sequential { linear(8, 4); relu(); linear(4, 3) }
        val x = randn(5, 8)
        val y = tensorOf(0L, 1L, 2L, 1L, 0L)
        val (logits, loss) = autocast(Device.cpu(), DType.BFLOAT16) {
            Kindling.isAutocastEnabled(Device.cpu()) shouldBe true
            val out = model(x)
            out to CrossEntropyLoss().forward(out, y)
        }
        logits.dtype() shouldBe DType.BFLOAT16
        loss.dtype() shouldBe DType.FLOAT32
        Kindling.isAutocastEnabled(Device.cpu()) shouldBe false
        loss.backward()
        model.parameters().forEach { it.grad()!!.dtype() shouldBe DType.FLOAT32 }
        autocast { autocast(enabled = false) { model(x).dtype() } } shouldBe DType.FLOAT32
    }
})
