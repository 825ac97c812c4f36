package dev.kindling.dsl

import dev.kindling.Scope
import dev.kindling.Tensor
import dev.kindling.optim.lr.LRScheduler
import dev.kindling.optim.lr.ReduceLROnPlateau
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path

/**
 * The built-in callbacks, callable from Kotlin and Java:
 * ```
 * callbacks = listOf(Callbacks.earlyStopping(patience = 10, restoreBestWeights = true),
 *                    Callbacks.modelCheckpoint(Path.of("best.safetensors")), Callbacks.reduceLrOnPlateau(sched))
 * ```
 */
object Callbacks {
    /** Per-epoch progress: a live bar in a terminal, one plain line per epoch otherwise. */
    @JvmStatic @JvmOverloads
    fun progress(out: PrintStream = System.out, terminal: Boolean = System.console() != null): Callback = ProgressCallback(out, terminal)

    /**
     * Makes the progress callback that `fit(progress = true)` adds: [progress] unless a front end installed its
     * own. The notebook integration (kindling-jupyter) installs a live display updated in place, because a
     * notebook is neither a terminal nor a log.
     */
    @JvmStatic @Volatile
    var defaultProgress: () -> Callback = { progress() }

    /**
     * Stops when [monitor] has not improved by more than [minDelta] for [patience] epochs in a row (Keras's
     * EarlyStopping: with patience 2, the second epoch without improvement is the last). With
     * [restoreBestWeights] the model ends with the weights of its best epoch.
     */
    @JvmStatic @JvmOverloads
    fun earlyStopping(monitor: String = "val_loss", patience: Int = 5, minDelta: Double = 0.0, mode: Mode = Mode.AUTO,
                      restoreBestWeights: Boolean = false): Callback =
        EarlyStopping(monitor, patience, minDelta, mode, restoreBestWeights)

    /** Saves the model's state dict to [path] each time [monitor] improves (keep-best). */
    @JvmStatic @JvmOverloads
    fun modelCheckpoint(path: Path, monitor: String = "val_loss", mode: Mode = Mode.AUTO,
                        saver: StateSaver = StateSaver.DEFAULT): Callback = ModelCheckpoint(path, monitor, mode, saver)

    /** Steps [scheduler] after every epoch, or after every batch (OneCycleLR, warmup). */
    @JvmStatic @JvmOverloads
    fun scheduler(scheduler: LRScheduler, interval: StepInterval = StepInterval.EPOCH): Callback = SchedulerStep(scheduler, interval)

    /** Steps [scheduler] with the monitored value after every epoch. */
    @JvmStatic @JvmOverloads
    fun reduceLrOnPlateau(scheduler: ReduceLROnPlateau, monitor: String = "val_loss"): Callback = object : Callback() {
        override fun onEpochEnd(ctx: TrainContext) = scheduler.step(monitored(monitor, ctx, "reduceLrOnPlateau"))
    }

    /** Clips the global gradient norm to [maxNorm] before each optimizer step. */
    @JvmStatic @JvmOverloads
    fun gradientClipping(maxNorm: Double, normType: Double = 2.0): Callback = object : Callback() {
        override fun afterBackward(ctx: TrainContext) { clipGradNorm(ctx.model.parameters(), maxNorm, normType) }
    }

    /** Rewrites [path] with the history as CSV after every epoch, so a crash keeps what was done. */
    @JvmStatic fun csvLogger(path: Path): Callback = object : Callback() {
        override fun onEpochEnd(ctx: TrainContext) {
            path.toAbsolutePath().parent?.let { Files.createDirectories(it) }
            Files.writeString(path, ctx.history.toCsv())
        }
    }

    /** Runs [fn] at the end of every epoch. */
    @JvmStatic fun onEpochEnd(fn: TrainListener): Callback = object : Callback() {
        override fun onEpochEnd(ctx: TrainContext) = fn.accept(ctx)
    }

    /** Runs [fn] after every batch. */
    @JvmStatic fun onBatchEnd(fn: TrainListener): Callback = object : Callback() {
        override fun onBatchEnd(ctx: TrainContext) = fn.accept(ctx)
    }

    /** Runs [fn] between backward and the optimizer step (inspect or edit gradients). */
    @JvmStatic fun afterBackward(fn: TrainListener): Callback = object : Callback() {
        override fun afterBackward(ctx: TrainContext) = fn.accept(ctx)
    }
}

private class SchedulerStep(private val scheduler: LRScheduler, private val interval: StepInterval) : Callback() {
    override fun onBatchEnd(ctx: TrainContext) { if (interval == StepInterval.BATCH) scheduler.step() }
    override fun onEpochEnd(ctx: TrainContext) { if (interval == StepInterval.EPOCH) scheduler.step() }
}

private class EarlyStopping(
    private val monitor: String, private val patience: Int, private val minDelta: Double,
    private val mode: Mode, private val restoreBestWeights: Boolean,
) : Callback() {
    init { require(patience >= 1) { "earlyStopping: patience must be >= 1, got $patience" } }
    private var best = Double.NaN
    private var bestEpoch = -1
    private var wait = 0
    private var bestState: Map<String, Tensor>? = null

    override fun onTrainBegin(ctx: TrainContext) { best = Double.NaN; bestEpoch = -1; wait = 0; bestState = null }

    override fun onEpochEnd(ctx: TrainContext) {
        val value = monitored(monitor, ctx, "earlyStopping")
        if (improved(value, best, minDelta, maximize(mode, monitor, ctx))) {
            best = value; bestEpoch = ctx.epoch; wait = 0
            if (restoreBestWeights) bestState = snapshot(ctx)
        } else if (++wait >= patience) {
            ctx.stop("early stopping: $monitor did not improve for $patience epochs; best %.4f at epoch ${bestEpoch + 1}".format(java.util.Locale.ROOT, best))
        }
    }

    override fun onTrainEnd(ctx: TrainContext) {
        val state = bestState ?: return
        if (ctx.stopRequested || bestEpoch != ctx.epoch) ctx.model.loadStateDict(state)
        state.values.forEach { it.close() }
        bestState = null
    }

    // copies outlive the step scopes: they are owned by no scope and closed in onTrainEnd
    private fun snapshot(ctx: TrainContext): Map<String, Tensor> {
        bestState?.values?.forEach { it.close() }
        return noGrad { ctx.model.stateDict().mapValues { (_, t) -> Scope.escape(t.detach().clone()) } }
    }
}

private class ModelCheckpoint(private val path: Path, private val monitor: String, private val mode: Mode,
                              private val saver: StateSaver) : Callback() {
    private var best = Double.NaN
    override fun onTrainBegin(ctx: TrainContext) { best = Double.NaN }
    override fun onEpochEnd(ctx: TrainContext) {
        val value = monitored(monitor, ctx, "modelCheckpoint")
        if (improved(value, best, 0.0, maximize(mode, monitor, ctx))) {
            best = value
            path.toAbsolutePath().parent?.let { Files.createDirectories(it) }
            saver.save(path, ctx.model.stateDict())
        }
    }
}
