package dev.kindling.jupyter

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.dsl.Callbacks
import dev.kindling.dsl.Metrics
import dev.kindling.dsl.fit
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.Linear
import dev.kindling.optim.SGD
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class LiveProgressTest {
    private class Recorder : OutputSink {
        val events = mutableListOf<Triple<String, String?, Map<String, String>>>()
        override fun display(bundle: Map<String, String>, id: String?) { events.add(Triple("display", id, bundle)) }
        override fun update(bundle: Map<String, String>, id: String) { events.add(Triple("update", id, bundle)) }
    }

    @AfterEach
    fun detach() {
        NotebookOutput.attach(null)
        Callbacks.defaultProgress = { Callbacks.progress() }
    }

    private fun train(epochs: Int) {
        Kindling.manualSeed(0)
        val x = Tensor.randn(64, 4)
        val y = x.select(1, 0).gt(0.0).to(DType.INT64)
        val loader = DataLoader.builder(TensorDataset(x, y)).batchSize(16).build()
        val model = Linear(4, 2)
        fit(model, loader, epochs, SGD(model.parameters(), 0.1), CrossEntropyLoss(), metrics = listOf(Metrics.accuracy()))
    }

    @Test
    fun `fit draws one output and updates it in place`() {
        val sink = Recorder()
        NotebookOutput.attach(sink)
        Callbacks.defaultProgress = { LiveProgress(intervalMillis = 0) }
        train(epochs = 3)
        assertEquals(1, sink.events.count { it.first == "display" })
        val id = sink.events.first().second!!
        assertTrue(sink.events.all { it.second == id }, "every update must target the first output")
        assertTrue(sink.events.size >= 1 + 3 * 4, "an update per batch with interval 0, got ${sink.events.size}")
        val last = sink.events.last().third
        assertTrue(last.getValue("text/plain").startsWith("Trained 3 epoch(s)"), last.toString())
        assertEquals(1 + 3, Regex("<tr>").findAll(last.getValue("text/html")).count())
        assertTrue(last.getValue("text/html").contains(">accuracy</th>"))
    }

    @Test
    fun `a running epoch shows a bar with its batch and running loss`() {
        val sink = Recorder()
        NotebookOutput.attach(sink)
        Callbacks.defaultProgress = { LiveProgress(intervalMillis = 0) }
        train(epochs = 1)
        val running = sink.events.map { it.third.getValue("text/html") }.first { it.contains("<progress") }
        assertTrue(running.contains("value=\"1\" max=\"4\"") && running.contains("Epoch 1/1 · batch 1/4"), running)
    }
}
