package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Mean squared error ({@code torch.nn.MSELoss}): {@code new MSELoss().forward(pred, y)}; {@code new MSELoss(Reduction.SUM)}.
 */
public class MSELoss extends Loss {
    /** With PyTorch's default arguments: {@code nn.MSELoss()}. */
    public MSELoss() { this(Reduction.MEAN); }

    /** {@code nn.MSELoss(reduction)}; arguments left out take PyTorch's defaults. */
    public MSELoss(Reduction reduction) { super(reduction); }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.mseLoss(input, target, reduction)); }
}
