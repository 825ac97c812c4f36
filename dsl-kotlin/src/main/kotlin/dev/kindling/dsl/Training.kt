package dev.kindling.dsl

import dev.kindling.Device
import dev.kindling.Tensor
import dev.kindling.data.Batch
import dev.kindling.nn.Loss
import dev.kindling.nn.Module
import dev.kindling.optim.Optimizer

/**
 * The training helpers for Java, with the Kotlin functions' names:
 * ```java
 * History h = Training.builder(model, trainLoader).epochs(5).optimizer(opt).loss(new CrossEntropyLoss())
 *     .validation(testLoader).metrics(Metrics.accuracy()).callbacks(Callbacks.earlyStopping()).fit();
 * ```
 */
object Training {
    /** Starts configuring a [fit] run of [model] on [trainLoader]. */
    @JvmStatic fun builder(model: Module, trainLoader: Iterable<Batch>): Builder = Builder(model, trainLoader)

    /** See the top-level [dev.kindling.dsl.fit]. */
    @JvmStatic @JvmOverloads
    fun fit(model: Module, trainLoader: Iterable<Batch>, epochs: Int, optimizer: Optimizer, loss: Loss,
            validation: Iterable<Batch>? = null, metrics: List<Metric> = emptyList(),
            callbacks: List<Callback> = emptyList(), device: Device? = null): History =
        dev.kindling.dsl.fit(model, trainLoader, epochs, optimizer, loss, validation, metrics, callbacks, device)

    /** See the top-level [dev.kindling.dsl.evaluate]. */
    @JvmStatic @JvmOverloads
    fun evaluate(model: Module, loader: Iterable<Batch>, loss: Loss? = null, metrics: List<Metric> = emptyList(),
                 device: Device? = null): Map<String, Double> = dev.kindling.dsl.evaluate(model, loader, loss, metrics, device)

    /** See the top-level [dev.kindling.dsl.predict]. */
    @JvmStatic @JvmOverloads
    fun predict(model: Module, loader: Iterable<Batch>, device: Device? = null): Tensor = dev.kindling.dsl.predict(model, loader, device)

    /** See the top-level [dev.kindling.dsl.ensemblePredict]. */
    @JvmStatic @JvmOverloads
    fun ensemblePredict(models: List<Module>, x: Tensor, mode: EnsembleMode = EnsembleMode.OUTPUT_MEAN): Tensor =
        dev.kindling.dsl.ensemblePredict(models, x, mode)

    /** Options of one [fit] run; [fit] checks that an optimizer and a loss were given. */
    class Builder internal constructor(private val model: Module, private val trainLoader: Iterable<Batch>) {
        private var epochs = 1
        private var optimizer: Optimizer? = null
        private var loss: Loss? = null
        private var validation: Iterable<Batch>? = null
        private val metrics = mutableListOf<Metric>()
        private val callbacks = mutableListOf<Callback>()
        private var device: Device? = null
        private var progress = true
        private var nanPolicy = NanPolicy.THROW

        fun epochs(n: Int) = apply { epochs = n }
        fun optimizer(o: Optimizer) = apply { optimizer = o }
        fun loss(l: Loss) = apply { loss = l }
        fun validation(loader: Iterable<Batch>) = apply { validation = loader }
        fun metrics(vararg m: Metric) = apply { metrics.addAll(m) }
        fun callbacks(vararg c: Callback) = apply { callbacks.addAll(c) }
        fun device(d: Device) = apply { device = d }
        /** Whether to print progress (default true). */
        fun progress(show: Boolean) = apply { progress = show }
        fun nanPolicy(p: NanPolicy) = apply { nanPolicy = p }

        fun fit(): History = dev.kindling.dsl.fit(model, trainLoader, epochs,
            optimizer ?: throw IllegalStateException("Training.builder: call optimizer(...) before fit()"),
            loss ?: throw IllegalStateException("Training.builder: call loss(...) before fit()"),
            validation, metrics.toList(), callbacks.toList(), device, progress, nanPolicy)
    }
}
