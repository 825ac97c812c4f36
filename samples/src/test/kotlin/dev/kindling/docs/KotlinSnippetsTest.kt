package dev.kindling.docs

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.dsl.*
import dev.kindling.nn.Linear
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.LogSoftmax
import dev.kindling.nn.NLLLoss
import dev.kindling.nn.ReLU
import dev.kindling.nn.Sequential
import dev.kindling.optim.Adam
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** The Kotlin code of README.md, getting-started.md, tensors.md and autograd.md. */
class KotlinSnippetsTest {

    @Test
    fun readme() {
        // region readme-kotlin
        val x = randn(1000, 20)
        val y = (x[all, 0] + x[all, 1]).gt(0.0).to(DType.INT64)
        val loader = DataLoader.builder(TensorDataset(x, y)).batchSize(32).shuffle(true).build()
        val model = sequential {
            linear(20, 64); relu(); dropout(0.2)
            linear(64, 2)
        }
        val history = model.fit(loader, epochs = 5, optimizer = adam(model.parameters(), lr = 1e-3),
            loss = CrossEntropyLoss(), metrics = listOf(Metrics.accuracy()))
        println(history)
        // endregion
        assertTrue(history["loss"].last() < history["loss"].first())
    }

    @Test
    fun tensors() {
        // region kotlin-tensors
        val x = randn(100, 10)
        val head = x[0 until 80]                 // X[:80]
        val tail = x[80 until 100]               // X[80:]
        val lastColumn = x[all, -1]              // X[:, -1]
        val t = x.T                              // X.T
        val scaled = 2 * x + 1                   // numbers on either side
        val labels = randint(0, 2, 100)          // int64
        val i = arange(0, 10, 2)                 // [0, 2, 4, 6, 8]
        // endregion
        assertEquals(listOf(80, 10), head.sizes)
        assertEquals(listOf(20, 10), tail.sizes)
        assertEquals(listOf(100), lastColumn.sizes)
        assertEquals(listOf(10, 100), t.sizes)
        assertEquals(listOf(100, 10), scaled.sizes)
        assertEquals(DType.INT64, labels.dtype())
        assertArrayEquals(longArrayOf(0, 2, 4, 6, 8), i.toLongArray())
    }

    @Test
    fun autograd() {
        // region kotlin-autograd
        val x = tensorOf(2f, 3f).requiresGrad(true)
        val y = tensorOf(4f, 5f).requiresGrad(true)
        val loss = (x * y + (x pow 2)).sum()
        loss.backward()
        println(x.grad())                        // [8, 11]
        val z = noGrad { x * y }                 // with torch.no_grad(): records nothing
        // endregion
        assertArrayEquals(floatArrayOf(8f, 11f), x.grad().toFloatArray())
        assertTrue(!z.requiresGrad())
    }

    @Test
    fun training() {
        // region kotlin-training
        Kindling.manualSeed(0)
        val X = randn(100, 10)
        val y = randint(0, 2, 100)
        val trainLoader = DataLoader.builder(TensorDataset(X[0 until 80], y[0 until 80]))
            .batchSize(10).shuffle(true).build()

        val model = Sequential(Linear(10, 5), ReLU(), Linear(5, 2), LogSoftmax(1))
        val criterion = NLLLoss()
        val optimizer = Adam(model.parameters(), 0.01)

        for (epoch in 1..5) {
            model.train()
            var last = 0.0
            for ((inputs, targets) in trainLoader) {        // a Batch destructures
                last = scope {                               // frees the step's temporaries
                    optimizer.zeroGrad()
                    val loss = criterion.forward(model.forward(inputs), targets)
                    loss.backward()
                    optimizer.step()
                    loss.item()
                }
            }
            println("Epoch [$epoch/5], Loss: ${"%.4f".format(last)}")
        }
        // endregion
        assertTrue(model.forward(X).sizes == listOf(100, 2))
    }
}
