@file:JvmName("Gradients")

package dev.kindling.dsl

import dev.kindling.Kindling
import dev.kindling.Tensor

/**
 * Scales the gradients of [parameters] in place so their global [normType]-norm is at most [maxNorm];
 * returns the norm before clipping, like `torch.nn.utils.clip_grad_norm_` (delegates to
 * `Kindling.clipGradNorm`). Parameters without a gradient are skipped.
 */
@JvmOverloads
fun clipGradNorm(parameters: Iterable<Tensor>, maxNorm: Double, normType: Double = 2.0): Double =
    Kindling.clipGradNorm(parameters, maxNorm, normType).item()
