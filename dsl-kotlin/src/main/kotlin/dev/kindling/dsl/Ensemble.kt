@file:JvmName("Ensembles")

package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.Module

/** How [ensemblePredict] combines its members. */
enum class EnsembleMode {
    /** Mean of `softmax(output, dim = 1)`: class probabilities, as in the seed tutorial (default). */
    SOFTMAX_MEAN,
    /** Mean of the raw outputs (regression, or members that already output probabilities). */
    OUTPUT_MEAN
}

/**
 * Averages the predictions of [models] on [x], in eval mode and without gradients; each model's
 * training flag is restored afterwards. With [EnsembleMode.SOFTMAX_MEAN] (default) the result is the mean
 * class probability `[N, C]`; take `argmax(1)` for labels.
 *
 * ```
 * val probs = ensemblePredict(listOf(m1, m2, m3), xTest); val labels = probs.argmax(1)
 * ```
 */
@JvmOverloads
fun ensemblePredict(models: List<Module>, x: Tensor, mode: EnsembleMode = EnsembleMode.SOFTMAX_MEAN): Tensor {
    require(models.isNotEmpty()) { "ensemblePredict: no models given" }
    return noGrad {
        scope {
            var sum: Tensor? = null
            for ((i, m) in models.withIndex()) {
                val wasTraining = m.isTraining
                m.eval()
                val out = try { m.forward(x) } finally { m.train(wasTraining) }
                if (mode == EnsembleMode.SOFTMAX_MEAN) require(out.dim() == 2) {
                    "ensemblePredict: model $i returned ${out.shape().contentToString()}; SOFTMAX_MEAN needs [N, C]"
                }
                val p = if (mode == EnsembleMode.SOFTMAX_MEAN) out.softmax(1) else out
                if (sum != null) require(sum.shape().contentEquals(p.shape())) {
                    "ensemblePredict: model $i returned ${p.shape().contentToString()}, model 0 ${sum.shape().contentToString()}"
                }
                sum = if (sum == null) p else sum.add(p)
            }
            sum!!.div(models.size.toDouble())
        }
    }
}
