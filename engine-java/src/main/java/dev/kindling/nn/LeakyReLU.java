package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere ({@code torch.nn.LeakyReLU}): {@code new LeakyReLU(0.2)}. */
public class LeakyReLU extends Module {
    /** Slope applied to negative inputs ({@code negative_slope}). */
    public final double negativeSlope;

    /** With PyTorch's default arguments: {@code nn.LeakyReLU()}. */
    public LeakyReLU() { this(0.01); }

    /** {@code nn.LeakyReLU(negative_slope)}; arguments left out take PyTorch's defaults. */
    public LeakyReLU(double negativeSlope) { this.negativeSlope = negativeSlope; }

    @Override public Tensor forward(Tensor x) { return F.leakyRelu(x, negativeSlope); }

    @Override protected String extraRepr() { return "negative_slope=" + pyFloat(negativeSlope); }
}
