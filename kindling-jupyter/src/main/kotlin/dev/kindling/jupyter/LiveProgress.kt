package dev.kindling.jupyter

import dev.kindling.dsl.Callback
import dev.kindling.dsl.Callbacks
import dev.kindling.dsl.TrainContext
import java.util.Locale
import java.util.UUID

/**
 * `fit`'s progress in a notebook: one output area, updated in place (at most every [intervalMillis] and at
 * each epoch's end) with a bar for the running epoch, its running loss and metrics, and a row per finished
 * epoch, like tqdm.notebook or Keras in Jupyter. Outside a notebook it falls back to the console callback.
 */
class LiveProgress @JvmOverloads constructor(private val intervalMillis: Long = 250) : Callback() {
    private val id = "kindling-fit-" + UUID.randomUUID()
    private var sink: OutputSink? = null
    private var fallback: Callback? = null
    private var lastUpdate = 0L
    private var startNanos = 0L

    override fun onTrainBegin(ctx: TrainContext) {
        startNanos = System.nanoTime()
        lastUpdate = 0L
        sink = NotebookOutput.sink()
        if (sink == null) fallback = Callbacks.progress().also { it.onTrainBegin(ctx) }
        else sink!!.display(render(ctx, running = false, done = false), id)
    }

    override fun onEpochBegin(ctx: TrainContext) { fallback?.onEpochBegin(ctx) }

    override fun onBatchEnd(ctx: TrainContext) {
        fallback?.onBatchEnd(ctx)
        val s = sink ?: return
        val now = System.currentTimeMillis()
        if (now - lastUpdate < intervalMillis) return
        lastUpdate = now
        s.update(render(ctx, running = true, done = false), id)
    }

    override fun onEpochEnd(ctx: TrainContext) {
        fallback?.onEpochEnd(ctx)
        sink?.update(render(ctx, running = false, done = false), id)
    }

    override fun onTrainEnd(ctx: TrainContext) {
        fallback?.onTrainEnd(ctx)
        sink?.update(render(ctx, running = false, done = true), id)
    }

    private fun render(ctx: TrainContext, running: Boolean, done: Boolean): Map<String, String> {
        val h = ctx.history
        val keys = h.keys.filter { it != "lr" }
        val rows = (0 until h.epochs).map { e -> listOf((e + 1).toString()) + keys.map { k -> h.row(e)[k]?.let(::fmt) ?: "" } }
        val status = status(ctx, running, done)
        val html = buildString {
            append("<div style=\"font-family:monospace;font-size:12px\">")
            if (running && ctx.batchesPerEpoch > 0) {
                append("<progress value=\"${ctx.batch + 1}\" max=\"${ctx.batchesPerEpoch}\" style=\"width:240px;vertical-align:middle\"></progress> ")
            }
            append(escapeHtml(status)).append("</div>")
            if (rows.isNotEmpty()) append(htmlTable(listOf("epoch") + keys, rows))
        }
        val text = (listOf(status) + rows.map { r -> (listOf("epoch") + keys).zip(r).joinToString(" ") { (k, v) -> "$k $v" } })
            .joinToString("\n")
        return mapOf("text/html" to html, "text/plain" to text)
    }

    private fun status(ctx: TrainContext, running: Boolean, done: Boolean): String {
        val elapsed = "%.1fs".format(Locale.ROOT, (System.nanoTime() - startNanos) / 1e9)
        val epoch = "Epoch ${ctx.epoch + 1}/${ctx.epochs}"
        return when {
            done -> "Trained ${ctx.history.epochs} epoch(s) in $elapsed" + (ctx.history.stopReason?.let { " · stopped: $it" } ?: "")
            running -> {
                val total = if (ctx.batchesPerEpoch > 0) "/${ctx.batchesPerEpoch}" else ""
                val metrics = (mapOf("loss" to ctx.runningLoss) + ctx.runningMetrics).entries
                    .joinToString(" ") { (k, v) -> "$k ${fmt(v)}" }
                "$epoch · batch ${ctx.batch + 1}$total · $elapsed · $metrics"
            }
            ctx.history.epochs == 0 -> "Starting: ${ctx.epochs} epoch(s)"
            else -> "$epoch done · $elapsed"
        }
    }

    private fun fmt(v: Double) = if (v.isNaN()) "" else "%.4f".format(Locale.ROOT, v)
}
