package dev.kindling.dsl

/**
 * Hooks into a [fit] run; override only what you need. Order per step: forward, loss, backward,
 * [afterBackward] (gradient clipping goes here), optimizer step, [onBatchEnd].
 *
 * From Java, extend it or use the functional factories in [Callbacks] (`Callbacks.onEpochEnd(ctx -> ...)`).
 */
abstract class Callback {
    open fun onTrainBegin(ctx: TrainContext) {}
    open fun onEpochBegin(ctx: TrainContext) {}
    /** After `loss.backward()` and before `optimizer.step()`. */
    open fun afterBackward(ctx: TrainContext) {}
    open fun onBatchEnd(ctx: TrainContext) {}
    /** After validation; [TrainContext.logs] holds the epoch's row, already in the history. */
    open fun onEpochEnd(ctx: TrainContext) {}
    /** Always runs, also when training stopped early or failed. */
    open fun onTrainEnd(ctx: TrainContext) {}
}

/** A Java-friendly single-method callback: `ctx -> System.out.println(ctx.getLogs())`. */
fun interface TrainListener {
    fun accept(ctx: TrainContext)
}

/** Whether a monitored value should go down or up; AUTO asks the metric (losses go down). */
enum class Mode { MIN, MAX, AUTO }

/** When a learning-rate scheduler steps. */
enum class StepInterval { EPOCH, BATCH }

/** What [fit] does when a batch's loss is NaN or infinite. */
enum class NanPolicy {
    /** Throw [TrainingException] naming the epoch and batch (default). */
    THROW,
    /** Stop after the current batch, set [History.stopReason] and return the history so far. */
    STOP,
    /** Keep going (the optimizer will see NaN gradients). */
    IGNORE
}

/** A training failure with the epoch and batch it happened in. */
class TrainingException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)

/** Resolves [mode] for [monitor]: true when larger is better. */
internal fun maximize(mode: Mode, monitor: String, ctx: TrainContext): Boolean = when (mode) {
    Mode.MAX -> true
    Mode.MIN -> false
    Mode.AUTO -> ctx.higherIsBetter(monitor)
}

/** The monitored value from the epoch's row, with a clear error when it is missing. */
internal fun monitored(monitor: String, ctx: TrainContext, who: String): Double =
    ctx.logs[monitor] ?: throw IllegalArgumentException(
        "$who: monitored value '$monitor' is not logged; available: ${ctx.logs.keys}" +
            if (monitor.startsWith("val_")) " (pass validation = ... to fit)" else "")

/** True when [value] beats [best] by more than [minDelta] in the direction [max]. */
internal fun improved(value: Double, best: Double, minDelta: Double, max: Boolean): Boolean =
    if (best.isNaN()) !value.isNaN() else if (max) value > best + minDelta else value < best - minDelta
