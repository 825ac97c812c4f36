package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.Image
import dev.kindling.data.TensorDataset
import dev.kindling.data.transforms.Transforms
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

    "transforms compose without type arguments" {
        val t = Transforms.compose(Transforms.randomCrop(2, 1), Transforms.randomHorizontalFlip(0.5),
            Transforms.toTensor(), Transforms.normalize(0.5, 0.5))
        val x = t.apply(Image.gray(ByteArray(9), 3, 3)) as Tensor
        x.shape().toList() shouldBe listOf(1, 2, 2)
        val flip = Transforms.randomHorizontalFlip(1.0)
        flip.apply(Tensor.of(1f, 2f).reshape(1, 1, 2)).toFloatArray().toList() shouldBe listOf(2f, 1f)
        flip.apply(Image.gray(byteArrayOf(1, 2), 1, 2)).data().toList() shouldBe listOf<Byte>(2, 1)
    }
})
