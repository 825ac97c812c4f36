package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Kullback-Leibler divergence of log-probability inputs ({@code torch.nn.KLDivLoss}); use
 * {@code Reduction.BATCHMEAN} for the mathematical KL. {@code logTarget} says the target is log-probabilities too.
 */
public class KLDivLoss extends Loss {
    /** True when the target is given as log-probabilities ({@code log_target}). */
    public final boolean logTarget;

    /** With PyTorch's default arguments: {@code nn.KLDivLoss()}. */
    public KLDivLoss() { this(Reduction.MEAN, false); }

    /** {@code nn.KLDivLoss(reduction)}; arguments left out take PyTorch's defaults. */
    public KLDivLoss(Reduction reduction) { this(reduction, false); }

    /** {@code nn.KLDivLoss(reduction, log_target)}; arguments left out take PyTorch's defaults. */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.klDiv(input, target, reduction, logTarget)); }
}
