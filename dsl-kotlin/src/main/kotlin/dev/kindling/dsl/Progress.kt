package dev.kindling.dsl

import me.tongfei.progressbar.ConsoleProgressBarConsumer
import me.tongfei.progressbar.ProgressBar
import me.tongfei.progressbar.ProgressBarBuilder
import me.tongfei.progressbar.ProgressBarStyle
import java.io.PrintStream
import java.util.Locale

/**
 * Progress of each epoch. In a terminal: a live bar (me.tongfei:progressbar) with batches, elapsed time,
 * ETA, running loss and metrics, then the epoch's summary line. Elsewhere (logs, CI, IDE test runners)
 * only the summary line per epoch, because carriage-return redraws turn into noise there.
 */
internal class ProgressCallback(private val out: PrintStream, private val terminal: Boolean) : Callback() {
    private var bar: ProgressBar? = null

    override fun onEpochBegin(ctx: TrainContext) {
        if (!terminal) return
        bar = ProgressBarBuilder()
            .setTaskName(epochLabel(ctx))
            .setInitialMax(ctx.batchesPerEpoch.toLong())
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(ConsoleProgressBarConsumer(out))
            .setUpdateIntervalMillis(200)
            .build()
    }

    override fun onBatchEnd(ctx: TrainContext) {
        val b = bar ?: return
        b.stepTo((ctx.batch + 1).toLong())
        b.extraMessage = format(mapOf("loss" to ctx.runningLoss) + ctx.runningMetrics)
    }

    override fun onEpochEnd(ctx: TrainContext) {
        bar?.close()
        bar = null
        val batches = ctx.batch + 1
        val seconds = (System.nanoTime() - ctx.epochStartNanos) / 1e9
        val total = if (ctx.batchesPerEpoch > 0) "/${ctx.batchesPerEpoch}" else ""
        val train = ctx.logs.filterKeys { !it.startsWith("val_") && it != "lr" && it != "time_s" }
        val valid = ctx.logs.filterKeys { it.startsWith("val_") }
        val parts = mutableListOf(epochLabel(ctx), "$batches$total batches", "%.1fs".format(Locale.ROOT, seconds), format(train))
        if (valid.isNotEmpty()) parts.add(format(valid))
        ctx.logs["lr"]?.let { parts.add("lr %.2e".format(Locale.ROOT, it)) }
        out.println(parts.joinToString(" | "))
    }

    override fun onTrainEnd(ctx: TrainContext) {
        bar?.close()
        bar = null
        ctx.history.stopReason?.let { out.println("Stopped: $it") }
    }

    private fun epochLabel(ctx: TrainContext): String {
        val w = ctx.epochs.toString().length
        return "Epoch ${(ctx.epoch + 1).toString().padStart(w)}/${ctx.epochs}"
    }

    private fun format(values: Map<String, Double>) =
        values.entries.joinToString(" ") { (k, v) -> "$k %.4f".format(Locale.ROOT, v) }
}
