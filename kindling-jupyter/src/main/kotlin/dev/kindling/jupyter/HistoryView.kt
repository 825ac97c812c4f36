package dev.kindling.jupyter

import dev.kindling.dsl.History
import java.nio.file.Files
import java.util.Locale

/**
 * A training [History] in a notebook: the chart `History.plot` draws (loss curves left, metrics right), inline
 * as a PNG, above the per-epoch table.
 *
 * ```
 * HistoryView.png(history)   // the bytes History.plot would write to a file
 * ```
 */
object HistoryView {
    /** The PNG that `history.plot(path)` writes; the DSL draws it, so notebook and file always agree. */
    @JvmStatic
    fun png(history: History): ByteArray {
        val file = Files.createTempFile("kindling-history", ".png")
        try {
            history.plot(file)
            return Files.readAllBytes(file)
        } finally {
            Files.deleteIfExists(file)
        }
    }

    /** One row per epoch, the history's columns (loss, metrics, val_*, lr, time_s) in their order. */
    @JvmStatic
    fun tableHtml(history: History): String {
        val keys = history.keys
        val rows = (0 until history.epochs).map { e ->
            listOf((e + 1).toString()) + keys.map { k -> history.row(e)[k]?.let(::fmt) ?: "" }
        }
        val stop = history.stopReason?.let { "<div style=\"font-family:monospace;font-size:12px\">Stopped: ${escapeHtml(it)}</div>" } ?: ""
        return htmlTable(listOf("epoch") + keys, rows) + stop
    }

    /** The chart above the table; a history with no epochs shows the table header only. */
    @JvmStatic
    fun html(history: History): String {
        val chart = if (history.epochs == 0) "" else
            "<img alt=\"training history\" src=\"data:image/png;base64,${pngBase64(png(history))}\"/>"
        return chart + tableHtml(history)
    }

    private fun fmt(v: Double): String = when {
        v.isNaN() -> ""
        v != 0.0 && (kotlin.math.abs(v) < 1e-3 || kotlin.math.abs(v) >= 1e5) -> "%.4e".format(Locale.ROOT, v)
        else -> "%.4f".format(Locale.ROOT, v)
    }
}
