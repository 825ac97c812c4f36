package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Sigmoid plus binary cross entropy in one stable formula ({@code torch.nn.BCEWithLogitsLoss}).
 * {@code posWeight} (per class) weighs positive examples: {@code new BCEWithLogitsLoss(null, Reduction.MEAN, Tensor.of(3f))}.
 */
public class BCEWithLogitsLoss extends Loss {
    /** {@code weight}: per-element rescaling weight, or null; {@code posWeight}: weight of positive examples per class ({@code pos_weight=}), or null. */
    public final Tensor weight, posWeight;

    /** With PyTorch's default arguments: {@code nn.BCEWithLogitsLoss()}. */
    public BCEWithLogitsLoss() { this(null, Reduction.MEAN, null); }

    /** {@code nn.BCEWithLogitsLoss(reduction)}; arguments left out take PyTorch's defaults. */
    public BCEWithLogitsLoss(Reduction reduction) { this(null, reduction, null); }

    /** PyTorch order: weight, reduction, pos_weight; either tensor may be null. */
    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.posWeight = posWeight == null ? null : registerBuffer("pos_weight", posWeight);
    }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction)); }
}
