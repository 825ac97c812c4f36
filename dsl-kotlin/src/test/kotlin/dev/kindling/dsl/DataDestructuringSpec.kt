package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe

/** The data classes are Java; Kotlin must still destructure samples and batches and index data sets. */
class DataDestructuringSpec : StringSpec({
    "samples and batches destructure, data sets index with []" {
        val ds = TensorDataset(Tensor.arange(0, 10).reshape(5, 2), Tensor.arange(0, 5))
        val (x0, y0) = ds[1]
        x0.toLongArray().toList() shouldBe listOf(2L, 3L)
        y0.longItem() shouldBe 1L
        val loader = DataLoader.builder(ds).batchSize(2).build()
        val sizes = mutableListOf<Int>()
        for ((x, y) in loader) {
            x.shape()[1] shouldBe 2
            sizes += y.shape()[0]
        }
        sizes shouldBe listOf(2, 2, 1)
    }
})
