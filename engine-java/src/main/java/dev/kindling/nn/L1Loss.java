package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Mean absolute error ({@code torch.nn.L1Loss}).
 */
public class L1Loss extends Loss {
    public L1Loss() { this(Reduction.MEAN); }

    public L1Loss(Reduction reduction) { super(reduction); }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.l1Loss(input, target, reduction)); }
}
