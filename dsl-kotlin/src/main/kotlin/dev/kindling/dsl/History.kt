package dev.kindling.dsl

import org.knowm.xchart.BitmapEncoder
import org.knowm.xchart.XYChart
import org.knowm.xchart.XYChartBuilder
import org.knowm.xchart.style.markers.SeriesMarkers
import java.awt.Color
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import javax.imageio.ImageIO

/**
 * What [fit] measured, one row per epoch: `loss`, each metric, `val_loss`, `val_<metric>`, `lr`, `time_s`
 * (Keras's names). `history["val_loss"]` is a column; `println(history)` prints an aligned table.
 *
 * ```
 * val h = model.fit(train, epochs = 20, optimizer = opt, loss = CrossEntropyLoss(), validation = test)
 * h.plot("training_history.png"); Files.writeString(Path.of("h.csv"), h.toCsv())
 * ```
 */
class History {
    private val rows = mutableListOf<Map<String, Double>>()

    /** Why training ended early (early stopping, NaN loss), or null when it ran all epochs. */
    var stopReason: String? = null
        internal set

    /** Appends one epoch's values. */
    fun record(values: Map<String, Double>) { rows.add(LinkedHashMap(values)) }

    /** Number of epochs recorded. */
    val epochs: Int get() = rows.size

    /** Every column name, in first-seen order. */
    val keys: List<String> get() = rows.flatMap { it.keys }.distinct()

    /** The column [key], NaN where an epoch lacks it; throws naming the known keys when no epoch has it. */
    operator fun get(key: String): List<Double> {
        require(rows.isEmpty() || rows.any { key in it }) { "History: no column '$key'; columns are $keys" }
        return rows.map { it[key] ?: Double.NaN }
    }

    /** Epoch [epoch]'s values (0-based). */
    fun row(epoch: Int): Map<String, Double> = rows[epoch]

    /** The last value of [key], or null when there is none. */
    fun last(key: String): Double? = rows.lastOrNull()?.get(key)

    /** The 0-based epoch with the best [key]: smallest when [higherIsBetter] is false. */
    @JvmOverloads
    fun bestEpoch(key: String, higherIsBetter: Boolean = false): Int {
        val col = get(key).withIndex().filter { !it.value.isNaN() }
        require(col.isNotEmpty()) { "History: column '$key' has no values" }
        return (if (higherIsBetter) col.maxByOrNull { it.value } else col.minByOrNull { it.value })!!.index
    }

    /** Comma-separated values with a header line `epoch,loss,...`. */
    fun toCsv(): String = buildString {
        append((listOf("epoch") + keys).joinToString(",")).append('\n')
        rows.forEachIndexed { i, r -> append((listOf((i + 1).toString()) + keys.map { fmt(r[it]) }).joinToString(",")).append('\n') }
    }

    /** An aligned table, one row per epoch. */
    override fun toString(): String {
        val head = listOf("epoch") + keys
        val body = rows.mapIndexed { i, r -> listOf((i + 1).toString()) + keys.map { fmt(r[it]) } }
        val widths = head.indices.map { c -> maxOf(head[c].length, body.maxOfOrNull { it[c].length } ?: 0) }
        return (listOf(head) + body).joinToString("\n") { line ->
            line.mapIndexed { c, s -> s.padStart(widths[c]) }.joinToString("  ")
        }
    }

    /** Writes a PNG: loss curves (train, validation) on the left, metric curves on the right. */
    fun plot(path: String) = plot(Paths.get(path))

    /** Writes a PNG of the loss and metric curves to [path]; works without a display (headless AWT). */
    fun plot(path: Path) {
        require(rows.isNotEmpty()) { "History.plot: no epochs recorded" }
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true")
        val lossKeys = keys.filter { it == "loss" || it == "val_loss" }
        val metricKeys = keys.filter { it !in lossKeys && it != "lr" && it != "time_s" }
        val charts = mutableListOf(chart("Loss", "loss", lossKeys))
        if (metricKeys.isNotEmpty()) charts.add(chart("Metrics", "value", metricKeys))
        val images = charts.map { BitmapEncoder.getBufferedImage(it) }
        val out = BufferedImage(images.sumOf { it.width }, images.maxOf { it.height }, BufferedImage.TYPE_INT_RGB)
        val g = out.createGraphics()
        g.color = Color.WHITE
        g.fillRect(0, 0, out.width, out.height)
        var x = 0
        for (img in images) { g.drawImage(img, x, 0, null); x += img.width }
        g.dispose()
        path.toAbsolutePath().parent?.let { Files.createDirectories(it) }
        check(ImageIO.write(out, "png", path.toFile())) { "History.plot: no PNG writer available" }
    }

    private fun chart(title: String, yTitle: String, series: List<String>): XYChart {
        val chart = XYChartBuilder().width(640).height(420).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build()
        chart.styler.isLegendVisible = true
        chart.styler.chartBackgroundColor = Color.WHITE
        val x = (1..rows.size).map { it.toDouble() }
        for (key in series) {
            val pts = x.zip(get(key)).filter { !it.second.isNaN() && !it.second.isInfinite() }
            if (pts.isEmpty()) continue
            val s = chart.addSeries(key, pts.map { it.first }, pts.map { it.second })
            s.marker = if (pts.size <= 30) SeriesMarkers.CIRCLE else SeriesMarkers.NONE
        }
        return chart
    }

    private fun fmt(v: Double?): String = when {
        v == null || v.isNaN() -> ""
        v != 0.0 && (kotlin.math.abs(v) < 1e-3 || kotlin.math.abs(v) >= 1e5) -> "%.4e".format(java.util.Locale.ROOT, v)
        else -> "%.4f".format(java.util.Locale.ROOT, v)
    }
}
