@file:JvmName("Fit")

package dev.kindling.dsl

import dev.kindling.Device
import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.Batch
import dev.kindling.data.DataLoader
import dev.kindling.nn.Loss
import dev.kindling.nn.Module
import dev.kindling.optim.Optimizer

/**
 * Trains [model] for [epochs] epochs on [trainLoader] (batches `(x, y)`) and returns the [History].
 * Each step runs in its own `Kindling.scope()`, so its temporaries are freed at once. After each epoch
 * the model is evaluated on [validation] (if given), then callbacks see the epoch's row.
 * [progress] adds the console progress callback.
 *
 * ```
 * val history = fit(model, trainLoader, epochs = 20, optimizer = adam(model.parameters()),
 *                   loss = CrossEntropyLoss(), validation = testLoader, metrics = listOf(Metrics.accuracy()))
 * ```
 * @throws IllegalArgumentException for an empty loader or a target whose dtype/shape does not suit the loss
 * @throws TrainingException for a NaN loss (with [NanPolicy.THROW]) naming epoch and batch
 */
@JvmOverloads
fun fit(
    model: Module,
    trainLoader: Iterable<Batch>,
    epochs: Int,
    optimizer: Optimizer,
    loss: Loss,
    validation: Iterable<Batch>? = null,
    metrics: List<Metric> = emptyList(),
    callbacks: List<Callback> = emptyList(),
    device: Device? = null,
    progress: Boolean = true,
    nanPolicy: NanPolicy = NanPolicy.THROW,
): History {
    require(epochs >= 1) { "fit: epochs must be >= 1, got $epochs" }
    requireDistinctNames(metrics)
    if (device != null) model.to(device)
    val all = if (progress && callbacks.none { it is ProgressCallback }) listOf(Callbacks.defaultProgress()) + callbacks else callbacks
    val history = History()
    val ctx = TrainContext(model, optimizer, epochs, sizeOf(trainLoader), history, metrics)
    try {
        all.forEach { it.onTrainBegin(ctx) }
        for (epoch in 0 until epochs) {
            ctx.epoch = epoch
            ctx.epochStartNanos = System.nanoTime()
            val lr = ctx.lr
            model.train()
            metrics.forEach { it.reset() }
            all.forEach { it.onEpochBegin(ctx) }
            val trainLoss = trainEpoch(ctx, trainLoader, loss, metrics, all, device, nanPolicy)
            val row = LinkedHashMap<String, Double>()
            row["loss"] = trainLoss
            metrics.forEach { row.putAll(it.values()) }
            if (validation != null && !ctx.stopRequested) {
                evaluate(model, validation, loss, metrics, device).forEach { (k, v) -> row["val_$k"] = v }
            }
            row["lr"] = lr
            row["time_s"] = (System.nanoTime() - ctx.epochStartNanos) / 1e9
            history.record(row)
            ctx.logs = row
            all.forEach { it.onEpochEnd(ctx) }
            if (ctx.stopRequested) break
        }
    } finally {
        model.train()
        all.forEach { it.onTrainEnd(ctx) }
    }
    return history
}

/** [fit] as an extension: `model.fit(trainLoader, epochs = 5, optimizer = opt, loss = CrossEntropyLoss())`. */
@JvmName("fitModule")
fun Module.fit(
    trainLoader: Iterable<Batch>,
    epochs: Int,
    optimizer: Optimizer,
    loss: Loss,
    validation: Iterable<Batch>? = null,
    metrics: List<Metric> = emptyList(),
    callbacks: List<Callback> = emptyList(),
    device: Device? = null,
    progress: Boolean = true,
    nanPolicy: NanPolicy = NanPolicy.THROW,
): History = fit(this, trainLoader, epochs, optimizer, loss, validation, metrics, callbacks, device, progress, nanPolicy)

private fun trainEpoch(ctx: TrainContext, loader: Iterable<Batch>, loss: Loss, metrics: List<Metric>,
                       callbacks: List<Callback>, device: Device?, nanPolicy: NanPolicy): Double {
    var lossSum = 0.0
    var seen = 0L
    var b = 0
    val closeBatches = loader is DataLoader
    for (batch in loader) {
        ctx.batch = b
        try {
            Kindling.scope().use {
                val (x, y) = inputs(batch, device, "fit")
                ctx.optimizer.zeroGrad()
                val out = at(ctx) { ctx.model.forward(x) }
                if (b == 0 && ctx.epoch == 0) checkTarget(loss, out, y, "fit")
                val l = at(ctx) { loss.forward(out, y) }
                val value = l.item()
                ctx.batchLoss = value
                if (!value.isFinite() && nanPolicy != NanPolicy.IGNORE) {
                    val msg = "loss is $value at epoch ${ctx.epoch + 1}, batch ${b + 1}" +
                        " (check the learning rate, the inputs for NaN/Inf, and log() of zero)"
                    if (nanPolicy == NanPolicy.THROW) throw TrainingException("fit: $msg")
                    ctx.stop(msg)
                    return if (seen == 0L) value else lossSum / seen
                }
                at(ctx) { l.backward() }
                callbacks.forEach { it.afterBackward(ctx) }
                at(ctx) { ctx.optimizer.step() }
                val n = x.size(0).toLong()
                lossSum += value * n
                seen += n
                noGrad { metrics.forEach { it.update(out.detach(), y) } }
            }
        } finally {
            if (closeBatches) batch.close()
        }
        ctx.runningLoss = lossSum / seen
        ctx.runningMetrics = metrics.fold(LinkedHashMap()) { m, it -> m.putAll(it.values()); m }
        callbacks.forEach { it.onBatchEnd(ctx) }
        b++
    }
    require(b > 0) { "fit: the training loader produced no batches in epoch ${ctx.epoch + 1} (empty dataset, or dropLast with fewer samples than batchSize)" }
    return lossSum / seen
}

/**
 * Mean loss (if [loss] is given) and [metrics] of [model] over [loader], in eval mode and without gradients;
 * the model's training flag is restored. Keys are `loss` and the metric names.
 */
@JvmOverloads
fun evaluate(model: Module, loader: Iterable<Batch>, loss: Loss? = null, metrics: List<Metric> = emptyList(),
             device: Device? = null): Map<String, Double> {
    val wasTraining = model.isTraining
    model.eval()
    metrics.forEach { it.reset() }
    var lossSum = 0.0
    var seen = 0L
    val closeBatches = loader is DataLoader
    try {
        noGrad {
            for (batch in loader) {
                try {
                    Kindling.scope().use {
                        val (x, y) = inputs(batch, device, "evaluate")
                        val out = model.forward(x)
                        if (loss != null) {
                            if (seen == 0L) checkTarget(loss, out, y, "evaluate")
                            lossSum += loss.forward(out, y).item() * x.size(0)
                        }
                        seen += x.size(0)
                        metrics.forEach { it.update(out, y) }
                    }
                } finally {
                    if (closeBatches) batch.close()
                }
            }
        }
    } finally {
        model.train(wasTraining)
    }
    require(seen > 0) { "evaluate: the loader produced no batches" }
    val result = LinkedHashMap<String, Double>()
    if (loss != null) result["loss"] = lossSum / seen
    metrics.forEach { result.putAll(it.values()) }
    return result
}

/** [model]'s outputs for every batch's first item, concatenated along dim 0 (eval mode, no gradients). */
@JvmOverloads
fun predict(model: Module, loader: Iterable<Batch>, device: Device? = null): Tensor {
    val wasTraining = model.isTraining
    model.eval()
    val parts = mutableListOf<Tensor>()
    val closeBatches = loader is DataLoader
    try {
        noGrad {
            for (batch in loader) {
                try {
                    Kindling.scope().use { s ->
                        val x = batch.get(0).let { if (device != null) it.to(device) else it }
                        parts.add(s.keep(model.forward(x)))
                    }
                } finally {
                    if (closeBatches) batch.close()
                }
            }
        }
    } finally {
        model.train(wasTraining)
    }
    require(parts.isNotEmpty()) { "predict: the loader produced no batches" }
    if (parts.size == 1) return parts[0]
    return Tensor.cat(parts, 0).also { parts.forEach(Tensor::close) }
}

/** [model]'s output for one tensor, in eval mode and without gradients. */
fun predict(model: Module, x: Tensor): Tensor {
    val wasTraining = model.isTraining
    model.eval()
    try { return noGrad { model.forward(x) } } finally { model.train(wasTraining) }
}

/** Runs [step], prefixing an engine error (shape, dtype) with the epoch and batch it happened in. */
private inline fun <T> at(ctx: TrainContext, step: () -> T): T =
    try { step() } catch (e: RuntimeException) {
        if (e is TrainingException) throw e
        throw TrainingException("fit: epoch ${ctx.epoch + 1}, batch ${ctx.batch + 1}: ${e.message}", e)
    }

private fun inputs(batch: Batch, device: Device?, who: String): Pair<Tensor, Tensor> {
    require(batch.size() >= 2) { "$who: a batch needs (input, target), got ${batch.size()} item(s): $batch" }
    var x = batch.get(0)
    var y = batch.get(1)
    if (device != null) { x = x.to(device); y = y.to(device) }
    return x to y
}

private fun sizeOf(loader: Iterable<Batch>): Int = when (loader) {
    is DataLoader -> runCatching { loader.size() }.getOrDefault(-1)
    is Collection<*> -> loader.size
    else -> -1
}

private fun requireDistinctNames(metrics: List<Metric>) {
    val dup = metrics.groupBy { it.name }.filterValues { it.size > 1 }.keys
    require(dup.isEmpty()) { "fit: metrics $dup appear more than once" }
}
