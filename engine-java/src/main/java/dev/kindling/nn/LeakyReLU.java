package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code x} where positive, {@code negativeSlope * x} elsewhere ({@code torch.nn.LeakyReLU}): {@code new LeakyReLU(0.2)}. */
public class LeakyReLU extends Module {
    public final double negativeSlope;

    public LeakyReLU() { this(0.01); }

    public LeakyReLU(double negativeSlope) { this.negativeSlope = negativeSlope; }

    @Override public Tensor forward(Tensor x) { return F.leakyRelu(x, negativeSlope); }

    @Override protected String extraRepr() { return "negative_slope=" + pyFloat(negativeSlope); }
}
