package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * {@code y_k = x1^T W_k x2 + b_k} ({@code torch.nn.Bilinear}); weight is {@code [out, in1, in2]}.
 * Takes two inputs: call {@link #forward(Tensor, Tensor)}.
 */
public class Bilinear extends Module {
    /** Sizes of the two inputs' last dimensions and of the output's last dimension. */
    public final int in1Features, in2Features, outFeatures;
    /** Learnable weight of shape {@code [outFeatures, in1Features, in2Features]}. */
    public Parameter weight;
    /** Learnable bias of shape {@code [outFeatures]}, or null when built without bias. */
    public Parameter bias;

    /** {@code nn.Bilinear(in1_features, in2_features, out_features)}; arguments left out take PyTorch's defaults. */
    public Bilinear(int in1Features, int in2Features, int outFeatures) { this(in1Features, in2Features, outFeatures, true); }

    /** {@code nn.Bilinear(in1_features, in2_features, out_features, bias)}; arguments left out take PyTorch's defaults. */
    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        if (in1Features < 0 || in2Features < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Bilinear: features must be non-negative, got in1=" + in1Features + ", in2="
                    + in2Features + ", out=" + outFeatures);
        }
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        this.weight = new Parameter(Tensor.empty(outFeatures, in1Features, in2Features));
        this.bias = bias ? new Parameter(Tensor.empty(outFeatures)) : null;
        resetParameters();
    }

    /** PyTorch's init: U(±1/sqrt(in1)) for weight and bias. */
    public void resetParameters() {
        double bound = 1 / Math.sqrt(in1Features);
        init.uniform_(weight, -bound, bound);
        if (bias != null) init.uniform_(bias, -bound, bound);
    }

    /** The bilinear form of {@code x1 [..., in1]} and {@code x2 [..., in2]}: {@code [..., out]}. */
    public Tensor forward(Tensor x1, Tensor x2) {
        if (x1.dim() == 0 || x2.dim() == 0 || x1.size(-1) != in1Features || x2.size(-1) != in2Features) {
            throw error("expected inputs with last dimensions " + in1Features + " and " + in2Features + ", got shapes "
                    + java.util.Arrays.toString(x1.shape()) + " and " + java.util.Arrays.toString(x2.shape()));
        }
        return F.bilinear(x1, x2, weight, bias);
    }

    /** Bilinear needs two inputs; this one-input form is {@code forward(x, x)}. */
    @Override public Tensor forward(Tensor x) { return forward(x, x); }

    @Override protected String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures + ", bias=" + pyBool(bias != null);
    }
}
