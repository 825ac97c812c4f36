package dev.kindling.nn;

import dev.kindling.Tensor;

/** Zeroes whole channels of {@code [N, C, H, W]} with probability {@code p} in training ({@code torch.nn.Dropout2d}). */
public class Dropout2d extends Module {
    /** Probability of zeroing a whole channel during training. */
    public final double p;

    /** With PyTorch's default arguments: {@code nn.Dropout2d()}. */
    public Dropout2d() { this(0.5); }

    /** {@code nn.Dropout2d(p)}; arguments left out take PyTorch's defaults. */
    public Dropout2d(double p) {
        F.checkP("Dropout2d", p);
        this.p = p;
    }

    @Override public Tensor forward(Tensor x) {
        try {
            return F.dropout2d(x, p, isTraining());
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() { return "p=" + pyFloat(p) + ", inplace=False"; }
}
