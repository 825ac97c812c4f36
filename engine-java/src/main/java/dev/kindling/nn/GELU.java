package dev.kindling.nn;

import dev.kindling.Tensor;

/** Gaussian error linear unit ({@code torch.nn.GELU}): exact by default, {@code new GELU("tanh")} for the approximation. */
public class GELU extends Module {
    /** {@code "none"} for the exact erf form or {@code "tanh"} for the tanh approximation. */
    public final String approximate;

    /** With PyTorch's default arguments: {@code nn.GELU()}. */
    public GELU() { this("none"); }

    /** {@code nn.GELU(approximate)}; arguments left out take PyTorch's defaults. */
    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        }
        this.approximate = approximate;
    }

    @Override public Tensor forward(Tensor x) { return F.gelu(x, approximate); }

    @Override protected String extraRepr() { return "approximate='" + approximate + "'"; }
}
