package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Inverted dropout ({@code torch.nn.Dropout}): in training zeroes elements with probability {@code p} and
 * scales the rest by {@code 1/(1-p)}; the identity in eval mode.
 *
 * <pre>{@code var drop = new Dropout(0.2);}</pre>
 */
public class Dropout extends Module {
    /** Probability of zeroing an element during training. */
    public final double p;

    /** With PyTorch's default arguments: {@code nn.Dropout()}. */
    public Dropout() { this(0.5); }

    /** {@code nn.Dropout(p)}; arguments left out take PyTorch's defaults. */
    public Dropout(double p) {
        F.checkP("Dropout", p);
        this.p = p;
    }

    @Override public Tensor forward(Tensor x) { return F.dropout(x, p, isTraining()); }

    @Override protected String extraRepr() { return "p=" + pyFloat(p) + ", inplace=False"; }
}
