package dev.kindling.jupyter

import dev.kindling.DType
import dev.kindling.Tensor
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

class TensorViewTest {
    private fun cells(html: String) = Regex("<td[^>]*>([^<]*)</td>").findAll(html).map { it.groupValues[1] }.toList()

    @Test
    fun `a small matrix is a table under a header naming shape, dtype, device and grad`() {
        val x = Tensor.of(arrayOf(floatArrayOf(1f, 2f, 3f), floatArrayOf(4f, 5f, 6.5f))).requiresGrad(true)
        val html = TensorView.html(x.mul(2.0))
        assertTrue(html.contains("shape [2, 3] · float32 · cpu · requires_grad=True · grad_fn=&lt;MulBackward0&gt;"), html)
        // row label, then the values with PyTorch's 4 decimals
        assertEquals(listOf("0", "2.0000", "4.0000", "6.0000", "1", "8.0000", "10.0000", "13.0000"), cells(html))
    }

    @Test
    fun `integers, booleans and scalars keep their own formats`() {
        assertEquals(listOf("", "0", "2", "1"), cells(TensorView.html(Tensor.of(0L, 2L, 1L))))
        assertTrue(TensorView.html(Tensor.of(0L, 2L, 1L)).contains("int64"))
        assertEquals(listOf("", "True", "False"), cells(TensorView.html(Tensor.of(true, false))))
        assertEquals(listOf("3.5000"), cells(TensorView.html(Tensor.scalar(3.5))))
    }

    @Test
    fun `a large tensor is PyTorch's abbreviated text, not a table`() {
        val big = Tensor.zeros(50, 40)
        assertFalse(TensorView.isTable(big))
        val html = TensorView.html(big)
        assertFalse(html.contains("<table"))
        assertTrue(html.contains("<pre") && html.contains("...") && html.contains("shape [50, 40]"), html)
        assertEquals("shape [50, 40] · float32 · cpu · requires_grad=False\n$big", TensorView.text(big))
    }

    @Test
    fun `a 3-d tensor is text even when small`() {
        assertFalse(TensorView.isTable(Tensor.zeros(2, 2, 2)))
        assertTrue(TensorView.html(Tensor.zeros(2, 2, 2).to(DType.FLOAT64)).contains("float64"))
    }

    @Test
    fun `markup in values cannot leak`() {
        assertEquals("&lt;b&gt; &amp; &quot;", escapeHtml("<b> & \""))
    }
}
