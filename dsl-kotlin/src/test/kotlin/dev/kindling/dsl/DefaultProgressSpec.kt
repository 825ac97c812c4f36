package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.Linear
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

class DefaultProgressSpec : StringSpec({
    afterTest { Callbacks.defaultProgress = { Callbacks.progress() } }

    fun train(progress: Boolean) {
        Kindling.manualSeed(0)
        val x = Tensor.randn(32, 3)
        val y = x.select(1, 0).gt(0.0).to(DType.INT64)
        val model = Linear(3, 2)
        fit(model, DataLoader.builder(TensorDataset(x, y)).batchSize(8).build(), 2,
            sgd(model.parameters(), lr = 0.1), CrossEntropyLoss(), progress = progress)
    }

    "fit(progress = true) adds the installed default progress callback, and only then" {
        val epochs = mutableListOf<Int>()
        Callbacks.defaultProgress = { Callbacks.onEpochEnd { epochs.add(it.epoch) } }
        train(progress = true)
        epochs shouldBe listOf(0, 1)
        train(progress = false)
        epochs shouldBe listOf(0, 1)
    }
})
