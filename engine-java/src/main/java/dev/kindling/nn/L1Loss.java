package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Mean absolute error ({@code torch.nn.L1Loss}).
 */
public class L1Loss extends Loss {
    /** With PyTorch's default arguments: {@code nn.L1Loss()}. */
    public L1Loss() { this(Reduction.MEAN); }

    /** {@code nn.L1Loss(reduction)}; arguments left out take PyTorch's defaults. */
    public L1Loss(Reduction reduction) { super(reduction); }

    @Override public Tensor forward(Tensor input, Tensor target) { return named(() -> F.l1Loss(input, target, reduction)); }
}
