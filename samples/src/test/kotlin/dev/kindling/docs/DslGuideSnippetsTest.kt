package dev.kindling.docs

import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.dsl.*
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.optim.lr.ReduceLROnPlateau
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import java.nio.file.Files
import java.nio.file.Path

/** The code of dsl.md. */
class DslGuideSnippetsTest {

    @Test
    fun overview() {
        val x = randn(64, 30)
        val y = x.select(1, 0).gt(0.0).to(dev.kindling.DType.INT64)
        val trainLoader = DataLoader.builder(TensorDataset(x, y)).batchSize(16).shuffle(true).seed(0).build()
        val testLoader = DataLoader.builder(TensorDataset(x, y)).batchSize(32).build()
        Files.createDirectories(Path.of("target"))
        // region dsl-overview
        val model = sequential { linear(30, 16); relu(); dropout(0.1); linear(16, 2) }
        val opt = adam(model.parameters(), lr = 1e-2, weightDecay = 1e-4)
        val history = model.fit(trainLoader, epochs = 20, optimizer = opt, loss = CrossEntropyLoss(),
            validation = testLoader, metrics = listOf(Metrics.accuracy(), Metrics.f1(2)),
            callbacks = listOf(Callbacks.earlyStopping(patience = 5, restoreBestWeights = true),
                               Callbacks.reduceLrOnPlateau(ReduceLROnPlateau(opt, 5))))
        println(history); history.plot("target/training_history.png")
        // endregion
        assertTrue(Files.exists(Path.of("target/training_history.png")))
    }
}
