package dev.kindling.jupyter

import dev.kindling.Tensor
import dev.kindling.nn.BatchNorm1d
import dev.kindling.nn.Linear
import dev.kindling.nn.Module
import dev.kindling.nn.ReLU
import dev.kindling.nn.Sequential
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class ModuleSummaryTest {
    private fun mlp() = Sequential(Linear(784, 512), ReLU(), BatchNorm1d(512), Linear(512, 10))

    @Test
    fun `rows trace output shapes through Sequential and count each layer's own parameters`() {
        val model = mlp()
        model.train()
        val s = ModuleSummary.of(model, 2, 784)
        assertEquals(listOf("Sequential", "0 (Linear)", "1 (ReLU)", "2 (BatchNorm1d)", "3 (Linear)"), s.rows.map { it.layer })
        assertEquals(listOf(listOf(2, 10), listOf(2, 512), listOf(2, 512), listOf(2, 512), listOf(2, 10)), s.rows.map { it.outputShape })
        assertEquals(listOf(0L, 784L * 512 + 512, 0L, 1024L, 512L * 10 + 10), s.rows.map { it.params })
        assertEquals(model.numParameters(), s.totalParams)
        // parameters and the running mean/var (float32) and num_batches_tracked (int64) buffers
        assertEquals(model.numParameters() * 4 + 512 * 4 * 2 + 8, s.totalBytes)
        assertTrue(model.isTraining, "the summary must leave the training flag as it was")
    }

    @Test
    fun `frozen layers show as not trainable`() {
        val model = mlp()
        model.get(0).requiresGrad(false)
        val s = ModuleSummary.of(model, 1, 784)
        assertEquals("no", s.rows[1].trainable)
        assertEquals("yes", s.rows[4].trainable)
        assertEquals(model.numParameters() - (784L * 512 + 512), s.trainableParams)
        assertTrue(s.toString().contains("Non-trainable params: 401,920"), s.toString())
    }

    @Test
    fun `inside a custom module only the module's own output is known`() {
        class Net : Module() {
            val fc1 = Linear(4, 3)
            val fc2 = Linear(3, 2)
            override fun forward(input: Tensor): Tensor = fc2.forward(fc1.forward(input).relu())
        }
        val s = ModuleSummary.of(Net(), 5, 4)
        assertEquals(listOf(5, 2), s.rows[0].outputShape)
        assertNull(s.rows[1].outputShape)
        assertTrue(s.toString().lines()[2].contains("[5, 2]"))
        assertTrue(s.toString().contains("--"))
    }

    @Test
    fun `the HTML has the repr, a row per module and the totals`() {
        val html = ModuleSummary.of(mlp(), 1, 784).toHtml()
        assertTrue(html.contains("Linear(in_features=784, out_features=512, bias=True)"), html)
        assertEquals(1 + 5, Regex("<tr>").findAll(html).count())
        assertTrue(html.contains("408,074") && html.contains("[1, 512]") && html.contains("Total params"), html)
    }

    @Test
    fun `without an input shape there are no output shapes`() {
        val s = summary(mlp())
        assertTrue(s.rows.all { it.outputShape == null })
        assertNull(s.inputShape)
    }
}
