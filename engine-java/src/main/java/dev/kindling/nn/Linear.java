package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * {@code y = x W^T + b} over the last dimension ({@code torch.nn.Linear}); weight is {@code [out, in]}.
 *
 * <pre>{@code var fc = new Linear(784, 512); Tensor y = fc.forward(x);   // x: [N, 784]}</pre>
 */
public class Linear extends Module {
    /** Size of each input sample's last dimension and of each output sample's last dimension. */
    public final int inFeatures, outFeatures;
    /** Learnable weight of shape {@code [outFeatures, inFeatures]}; the module computes {@code x @ weight.T + bias}. */
    public Parameter weight;
    /** Learnable bias of shape {@code [outFeatures]}, or null when built without bias. */
    public Parameter bias;

    /** {@code nn.Linear(in_features, out_features)}; arguments left out take PyTorch's defaults. */
    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, true); }

    /** {@code nn.Linear(in_features, out_features, bias)}; arguments left out take PyTorch's defaults. */
    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: features must be non-negative, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = new Parameter(Tensor.empty(outFeatures, inFeatures));
        this.bias = bias ? new Parameter(Tensor.empty(outFeatures)) : null;
        resetParameters();
    }

    /** Re-draws the weights with PyTorch's default initialisation. */
    public void resetParameters() { init.defaultLayerInit(weight, bias); }

    @Override public Tensor forward(Tensor x) {
        if (x.dim() == 0 || x.size(-1) != inFeatures) {
            throw error("expected input with last dimension " + inFeatures + ", got shape " + Arrays.toString(x.shape()));
        }
        return F.linear(x, weight, bias);
    }

    @Override protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + pyBool(bias != null);
    }
}
