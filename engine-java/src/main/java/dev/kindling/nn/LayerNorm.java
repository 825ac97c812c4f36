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
    /** Value added to the variance for numerical stability. */
    public final double eps;
    /** Whether learnable elementwise weight and bias exist ({@code elementwise_affine}). */
    public final boolean elementwiseAffine;
    /** Learnable scale of the normalized shape, initialised to ones; null unless {@code elementwiseAffine}. */
    public Parameter weight;
    /** Learnable shift of the normalized shape, initialised to zeros; null unless {@code elementwiseAffine}. */
    public Parameter bias;

    /** {@code nn.LayerNorm(normalized_shape)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int normalizedShape) { this(new int[]{normalizedShape}, 1e-5, true); }

    /** {@code nn.LayerNorm(normalized_shape)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int[] normalizedShape) { this(normalizedShape, 1e-5, true); }

    /** {@code nn.LayerNorm(normalized_shape, eps, elementwise_affine)}; arguments left out take PyTorch's defaults. */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape == null) throw new IllegalArgumentException("LayerNorm: normalized_shape must not be null");
        for (int s : normalizedShape) {
            if (s < 0) {
                throw new IllegalArgumentException("LayerNorm: normalized_shape " + Arrays.toString(normalizedShape)
                        + " has a negative size " + s);
            }
        }
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
