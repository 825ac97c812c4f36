package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Normalises over the trailing {@code normalizedShape} dimensions ({@code torch.nn.LayerNorm}).
 *
 * <pre>{@code var ln = new LayerNorm(512);}</pre>
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;
    public Parameter weight;
    public Parameter bias;

    /** {@code nn.LayerNorm(normalized_shape)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int normalizedShape) { this(new int[]{normalizedShape}, 1e-5, true); }

    /** {@code nn.LayerNorm(normalized_shape)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int[] normalizedShape) { this(normalizedShape, 1e-5, true); }

    /** {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        if (elementwiseAffine) {
            weight = new Parameter(Tensor.ones(normalizedShape));
            bias = new Parameter(Tensor.zeros(normalizedShape));
        }
    }

    /** The trailing shape that is normalised. */
    public int[] normalizedShape() { return normalizedShape.clone(); }

    @Override public Tensor forward(Tensor x) {
        int k = normalizedShape.length, d = x.dim();
        if (d < k || !Arrays.equals(Arrays.copyOfRange(x.shape(), d - k, d), normalizedShape)) {
            throw error("expected input with trailing shape " + Arrays.toString(normalizedShape) + ", got shape " + Arrays.toString(x.shape()));
        }
        return F.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override protected String extraRepr() {
        return tuple(normalizedShape) + ", eps=" + pyFloat(eps) + ", elementwise_affine=" + pyBool(elementwiseAffine);
    }
}
