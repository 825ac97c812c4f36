@file:JvmName("Ensembles")

package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.Module

/** How [ensemblePredict] combines its members. */
enum class EnsembleMode {
    /** Mean of the raw outputs, `torch.stack(preds).mean(dim=0)` as in the seed tutorial (default). */
    OUTPUT_MEAN,
    /** Mean of `softmax(output, dim = 1)`: class probabilities, for members that output logits. */
    SOFTMAX_MEAN
}

/**
 * Averages the predictions of [models] on [x], in eval mode and without gradients; each model's
 * training flag is restored afterwards. By default ([EnsembleMode.OUTPUT_MEAN]) the outputs are averaged as
 * the seed tutorial does; [EnsembleMode.SOFTMAX_MEAN] averages class probabilities `[N, C]` instead, which
 * keeps one over-confident member from dominating. Take `argmax(1)` for labels either way.
 *
 * ```
 * val probs = ensemblePredict(listOf(m1, m2, m3), xTest, EnsembleMode.SOFTMAX_MEAN); val labels = probs.argmax(1)
 * ```
 */
@JvmOverloads
fun ensemblePredict(models: List<Module>, x: Tensor, mode: EnsembleMode = EnsembleMode.OUTPUT_MEAN): Tensor {
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
