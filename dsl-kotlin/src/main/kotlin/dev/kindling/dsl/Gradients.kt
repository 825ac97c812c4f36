@file:JvmName("Gradients")

package dev.kindling.dsl

import dev.kindling.Tensor

/**
 * Scales the gradients of [parameters] in place so their global [normType]-norm is at most [maxNorm];
 * returns the norm before clipping, like `torch.nn.utils.clip_grad_norm_`. Parameters without a gradient
 * are skipped.
 */
@JvmOverloads
fun clipGradNorm(parameters: Iterable<Tensor>, maxNorm: Double, normType: Double = 2.0): Double {
    require(maxNorm > 0) { "clipGradNorm: maxNorm must be > 0, got $maxNorm" }
    val grads = parameters.mapNotNull { it.grad() }
    if (grads.isEmpty()) return 0.0
    val total = noGrad {
        scope {
            if (normType.isInfinite()) grads.maxOf { it.abs().max().item() }
            else Math.pow(grads.sumOf { Math.pow(it.norm(normType).item(), normType) }, 1.0 / normType)
        }
    }
    val coef = maxNorm / (total + 1e-6)
    if (coef < 1) noGrad { grads.forEach { it.mul_(coef) } }
    return total
}
