@file:JvmName("LossFunctions")

package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.*

// Two forms per loss, as in PyTorch: a module factory with keyword arguments (nn.CrossEntropyLoss(...)),
// and a functional form taking (input, target) first (F.cross_entropy(input, target, ...)).

/** `nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)`. */
fun crossEntropyLoss(weight: Tensor? = null, ignoreIndex: Int = -100, reduction: Reduction = Reduction.MEAN,
                     labelSmoothing: Double = 0.0): CrossEntropyLoss = CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing)

/** `F.cross_entropy(input, target, ...)`. */
fun crossEntropy(input: Tensor, target: Tensor, weight: Tensor? = null, ignoreIndex: Int = -100,
                 reduction: Reduction = Reduction.MEAN, labelSmoothing: Double = 0.0): Tensor =
    F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing)

/** `nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')`. */
fun nllLoss(weight: Tensor? = null, ignoreIndex: Int = -100, reduction: Reduction = Reduction.MEAN): NLLLoss =
    NLLLoss(weight, ignoreIndex, reduction)

/** `F.nll_loss(input, target, ...)`: input holds log-probabilities. */
fun nllLoss(input: Tensor, target: Tensor, weight: Tensor? = null, ignoreIndex: Int = -100,
            reduction: Reduction = Reduction.MEAN): Tensor = F.nllLoss(input, target, weight, ignoreIndex, reduction)

/** `nn.MSELoss(reduction='mean')`. */
fun mseLoss(reduction: Reduction = Reduction.MEAN): MSELoss = MSELoss(reduction)

/** `F.mse_loss(input, target)`. */
fun mseLoss(input: Tensor, target: Tensor, reduction: Reduction = Reduction.MEAN): Tensor = F.mseLoss(input, target, reduction)

/** `nn.L1Loss(reduction='mean')`. */
fun l1Loss(reduction: Reduction = Reduction.MEAN): L1Loss = L1Loss(reduction)

/** `F.l1_loss(input, target)`. */
fun l1Loss(input: Tensor, target: Tensor, reduction: Reduction = Reduction.MEAN): Tensor = F.l1Loss(input, target, reduction)

/** `nn.SmoothL1Loss(reduction='mean', beta=1.0)`. */
fun smoothL1Loss(reduction: Reduction = Reduction.MEAN, beta: Double = 1.0): SmoothL1Loss = SmoothL1Loss(reduction, beta)

/** `nn.BCELoss(weight=None, reduction='mean')`: input holds probabilities. */
fun bceLoss(weight: Tensor? = null, reduction: Reduction = Reduction.MEAN): BCELoss = BCELoss(weight, reduction)

/** `F.binary_cross_entropy(input, target, ...)`. */
fun binaryCrossEntropy(input: Tensor, target: Tensor, weight: Tensor? = null, reduction: Reduction = Reduction.MEAN): Tensor =
    F.binaryCrossEntropy(input, target, weight, reduction)

/** `nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)`. */
fun bceWithLogitsLoss(weight: Tensor? = null, reduction: Reduction = Reduction.MEAN, posWeight: Tensor? = null): BCEWithLogitsLoss =
    BCEWithLogitsLoss(weight, reduction, posWeight)

/** `F.binary_cross_entropy_with_logits(input, target, ...)`. */
fun binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, weight: Tensor? = null, posWeight: Tensor? = null,
                                 reduction: Reduction = Reduction.MEAN): Tensor =
    F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction)

/** `nn.KLDivLoss(reduction='mean', log_target=False)`. */
fun klDivLoss(reduction: Reduction = Reduction.MEAN, logTarget: Boolean = false): KLDivLoss = KLDivLoss(reduction, logTarget)

/**
 * A loss from a lambda, usable wherever a [Loss] is (`fit(..., loss = lossOf("hinge") { out, y -> ... })`).
 */
fun lossOf(name: String = "LambdaLoss", fn: (Tensor, Tensor) -> Tensor): Loss = LambdaLoss(name, fn)

private class LambdaLoss(private val name: String, private val fn: (Tensor, Tensor) -> Tensor) : Loss(Reduction.MEAN) {
    override fun forward(input: Tensor, target: Tensor): Tensor = fn(input, target)
    override fun toString(): String = "$name()"
}
