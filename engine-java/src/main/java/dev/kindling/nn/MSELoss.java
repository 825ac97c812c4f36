package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Mean squared error ({@code torch.nn.MSELoss}): {@code new MSELoss().forward(pred, y)}; {@code new MSELoss(Reduction.SUM)}.
 */
public class MSELoss extends Loss {
    public MSELoss() { this(Reduction.MEAN); }

    public MSELoss(Reduction reduction) { super(reduction); }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.mseLoss(input, target, reduction)); }
}
