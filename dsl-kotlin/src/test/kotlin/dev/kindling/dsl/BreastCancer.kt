package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.data.datasets.CsvDataset
import java.nio.file.Paths

/** breast_cancer.csv split deterministically (every 5th row is test, 114 rows), standardized with train statistics. */
object BreastCancer {
    private val csv by lazy {
        CsvDataset.builder(Paths.get(BreastCancer::class.java.getResource("/breast_cancer.csv")!!.toURI())).skipLines(1).build()
    }

    class Split(val xTrain: Tensor, val yTrain: Tensor, val xTest: Tensor, val yTest: Tensor) {
        fun trainLoader(batchSize: Int = 32, seed: Long = 0): DataLoader =
            DataLoader.builder(TensorDataset(xTrain, yTrain)).batchSize(batchSize).shuffle(true).seed(seed).build()
        fun testLoader(batchSize: Int = 64): DataLoader =
            DataLoader.builder(TensorDataset(xTest, yTest)).batchSize(batchSize).build()
    }

    fun split(): Split {
        val x = csv.features()
        val y = csv.targets()
        val n = x.size(0)
        val test = Tensor.of(*(0 until n).filter { it % 5 == 0 }.map { it.toLong() }.toLongArray())
        val train = Tensor.of(*(0 until n).filter { it % 5 != 0 }.map { it.toLong() }.toLongArray())
        val xTrain = x.indexSelect(0, train)
        val mean = xTrain.mean(0)
        val std = xTrain.std(0, true, false)
        return Split((xTrain - mean) / std, y.indexSelect(0, train), (x.indexSelect(0, test) - mean) / std, y.indexSelect(0, test))
    }
}
