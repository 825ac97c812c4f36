package dev.kindling.dsl

import dev.kindling.nn.Module
import dev.kindling.optim.Optimizer

/**
 * What callbacks see of a [fit] run. Counters are 0-based; [epochs] and [batchesPerEpoch] are totals
 * ([batchesPerEpoch] is -1 when the loader cannot tell). A callback ends training with [stop].
 */
class TrainContext internal constructor(
    val model: Module,
    val optimizer: Optimizer,
    val epochs: Int,
    val batchesPerEpoch: Int,
    val history: History,
    private val metrics: List<Metric>,
) {
    var epoch = 0; internal set
    var batch = 0; internal set
    /** The last batch's loss. */
    var batchLoss = Double.NaN; internal set
    /** Mean loss over this epoch's batches so far (weighted by batch size). */
    var runningLoss = Double.NaN; internal set
    /** Training metrics over this epoch's batches so far. */
    var runningMetrics: Map<String, Double> = emptyMap(); internal set
    /** This epoch's row once it ends: `loss`, metrics, `val_*`, `lr`, `time_s`. */
    var logs: Map<String, Double> = emptyMap(); internal set
    /** System.nanoTime() when this epoch began. */
    var epochStartNanos = 0L; internal set
    var stopRequested = false; private set

    /** Ends training after the current epoch; [reason] goes to [History.stopReason]. */
    fun stop(reason: String) {
        stopRequested = true
        if (history.stopReason == null) history.stopReason = reason
    }

    /** The learning rate of the first param group. */
    val lr: Double get() = (optimizer.paramGroups()[0].lr())

    /** Whether larger values of [key] are better: false for losses, the metric's own sense otherwise. */
    fun higherIsBetter(key: String): Boolean {
        val base = key.removePrefix("val_")
        if (base == "loss" || base == "time_s" || base == "lr") return false
        return metrics.firstOrNull { base == it.name || base in it.values().keys }?.higherIsBetter
            ?: throw IllegalArgumentException("no metric or column named '$key' (metrics: ${metrics.map { it.name }})")
    }
}
