package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code log(1 + exp(beta x)) / beta}, linear above {@code threshold} ({@code torch.nn.Softplus}). */
public class Softplus extends Module {
    /** {@code beta} of {@code log(1 + exp(beta * x)) / beta}; above {@code threshold} (of {@code beta * x}) the input is returned as is. */
    public final double beta, threshold;

    /** With PyTorch's default arguments: {@code nn.Softplus()}. */
    public Softplus() { this(1, 20); }

    /** {@code nn.Softplus(beta, threshold)}; arguments left out take PyTorch's defaults. */
    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override public Tensor forward(Tensor x) { return F.softplus(x, beta, threshold); }

    // PyTorch's defaults are the ints 1 and 20 and print without a decimal point
    private static String num(double v) { return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : pyFloat(v); }

    @Override protected String extraRepr() { return "beta=" + num(beta) + ", threshold=" + num(threshold); }
}
