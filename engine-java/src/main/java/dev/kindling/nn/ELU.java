package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code x} where positive, {@code alpha * (exp(x) - 1)} elsewhere ({@code torch.nn.ELU}). */
public class ELU extends Module {
    /** The {@code alpha} of {@code alpha * (exp(x) - 1)} for negative inputs. */
    public final double alpha;

    /** With PyTorch's default arguments: {@code nn.ELU()}. */
    public ELU() { this(1.0); }

    /** {@code nn.ELU(alpha)}; arguments left out take PyTorch's defaults. */
    public ELU(double alpha) { this.alpha = alpha; }

    @Override public Tensor forward(Tensor x) { return F.elu(x, alpha); }

    @Override protected String extraRepr() { return "alpha=" + pyFloat(alpha); }
}
