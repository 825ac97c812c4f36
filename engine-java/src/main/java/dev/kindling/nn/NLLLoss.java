package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Negative log likelihood of log-probabilities ({@code torch.nn.NLLLoss}); pair it with {@link LogSoftmax}.
 * Targets are INT64 class indices; entries equal to {@code ignoreIndex} (-100) are skipped.
 */
public class NLLLoss extends Loss {
    /** Per-class rescaling weight of shape {@code [C]} ({@code weight=}), or null. */
    public final Tensor weight;
    /** Target class index that is ignored and does not contribute to the gradient ({@code ignore_index}). */
    public final int ignoreIndex;

    /** With PyTorch's default arguments: {@code nn.NLLLoss()}. */
    public NLLLoss() { this(null, -100, Reduction.MEAN); }

    /** {@code nn.NLLLoss(reduction)}; arguments left out take PyTorch's defaults. */
    public NLLLoss(Reduction reduction) { this(null, -100, reduction); }

    /** PyTorch order: weight (per class, may be null), ignore_index, reduction. */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
    }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.nllLoss(input, target, weight, ignoreIndex, reduction)); }
}
