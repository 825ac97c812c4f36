package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Huber-like loss ({@code torch.nn.SmoothL1Loss}): quadratic below {@code beta}, linear above. {@code new SmoothL1Loss(Reduction.MEAN, 0.5)}.
 */
public class SmoothL1Loss extends Loss {
    /** Threshold at which the loss changes from quadratic to L1 ({@code beta}). */
    public final double beta;

    /** With PyTorch's default arguments: {@code nn.SmoothL1Loss()}. */
    public SmoothL1Loss() { this(Reduction.MEAN, 1.0); }

    /** {@code nn.SmoothL1Loss(reduction, beta)}; arguments left out take PyTorch's defaults. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (beta < 0) throw new IllegalArgumentException("SmoothL1Loss: beta must be non-negative, got " + beta);
        this.beta = beta;
    }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.smoothL1Loss(input, target, reduction, beta)); }
}
