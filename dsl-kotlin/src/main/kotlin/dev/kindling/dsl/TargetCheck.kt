package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.*

/**
 * Checks once per run that the target suits the loss, so a wrong dtype or shape fails with a hint instead
 * of a kernel error or, worse, a silent broadcast (`[N, 1]` against `[N]` would become `[N, N]`).
 */
internal fun checkTarget(loss: Loss, out: Tensor, y: Tensor, who: String) {
    val name = loss.javaClass.simpleName
    val o = out.shape().contentToString()
    val t = y.shape().contentToString()
    when (loss) {
        is CrossEntropyLoss, is NLLLoss -> {
            val probabilities = loss is CrossEntropyLoss && y.dtype().isFloatingPoint && y.shape().contentEquals(out.shape())
            require(y.dtype() == dev.kindling.DType.INT64 || probabilities) {
                "$who: $name expects class indices of dtype INT64 as target (or, for CrossEntropyLoss, " +
                    "probabilities shaped like the output $o); got ${y.dtype()} $t. " +
                    "Convert with y.to(DType.INT64) or read the dataset with targetDType(DType.INT64)"
            }
        }
        is MSELoss, is L1Loss, is SmoothL1Loss, is BCELoss, is BCEWithLogitsLoss -> {
            require(y.dtype().isFloatingPoint) {
                "$who: $name expects a floating-point target like the output (${out.dtype()} $o); got ${y.dtype()} $t. " +
                    "Convert with y.to(DType.FLOAT32)"
            }
            require(y.shape().contentEquals(out.shape())) {
                "$who: $name output $o and target $t differ in shape and would broadcast; " +
                    "reshape the target (y.view(-1, 1)) or the output (squeeze(1))"
            }
        }
        else -> {}
    }
}
