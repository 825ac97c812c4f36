package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Binary cross entropy on probabilities ({@code torch.nn.BCELoss}); logs are clamped at -100 as in PyTorch.
 * {@code new BCELoss().forward(model.forward(x).sigmoid(), y)}; optional per-element {@code weight}.
 */
public class BCELoss extends Loss {
    /** Per-element rescaling weight broadcast against the input ({@code weight=}), or null. */
    public final Tensor weight;

    /** With PyTorch's default arguments: {@code nn.BCELoss()}. */
    public BCELoss() { this(null, Reduction.MEAN); }

    /** {@code nn.BCELoss(reduction)}; arguments left out take PyTorch's defaults. */
    public BCELoss(Reduction reduction) { this(null, reduction); }

    /** {@code nn.BCELoss(weight, reduction)}; arguments left out take PyTorch's defaults. */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
    }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.binaryCrossEntropy(input, target, weight, reduction)); }
}
