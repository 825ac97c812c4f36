package dev.kindling.jupyter

import dev.kindling.dsl.History
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

class HistoryViewTest {
    private fun history() = History().apply {
        record(mapOf("loss" to 0.9, "accuracy" to 0.61, "val_loss" to 1.0, "val_accuracy" to 0.6, "lr" to 1e-3))
        record(mapOf("loss" to 0.5, "accuracy" to 0.82, "val_loss" to 0.7, "val_accuracy" to 0.78, "lr" to 1e-3))
    }

    @Test
    fun `the PNG is the chart History plot writes`(@TempDir dir: Path) {
        val h = history()
        val png = HistoryView.png(h)
        assertArrayEquals(byteArrayOf(0x89.toByte(), 'P'.code.toByte(), 'N'.code.toByte(), 'G'.code.toByte()), png.copyOf(4))
        val file = dir.resolve("h.png")
        h.plot(file)
        val a = ImageIO.read(png.inputStream())
        val b = ImageIO.read(file.toFile())
        assertEquals(b.width to b.height, a.width to a.height)
        assertEquals(1280, a.width)   // loss chart and metrics chart side by side
        assertTrue(Files.exists(file))
    }

    @Test
    fun `the HTML embeds the chart above a row per epoch`() {
        val html = HistoryView.html(history())
        assertTrue(html.startsWith("<img alt=\"training history\" src=\"data:image/png;base64,iVBOR"), html.take(80))
        assertEquals(1 + 2, Regex("<tr>").findAll(html).count())
        assertTrue(html.contains(">val_accuracy</th>") && html.contains(">0.7800</td>") && html.contains(">0.0010</td>"), html)
    }

    @Test
    fun `an empty history has a table and no chart`() {
        assertTrue(!HistoryView.html(History()).contains("<img"))
    }
}
