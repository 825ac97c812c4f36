package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Log-softmax plus negative log likelihood ({@code torch.nn.CrossEntropyLoss}) on raw logits {@code [N, C, ...]}.
 * Targets are INT64 class indices or class probabilities of the input's shape.
 *
 * <pre>{@code
 * var criterion = new CrossEntropyLoss();
 * var smoothed = CrossEntropyLoss.builder().labelSmoothing(0.1).ignoreIndex(0).build();
 * }</pre>
 */
public class CrossEntropyLoss extends Loss {
    /** Per-class rescaling weight of shape {@code [C]} ({@code weight=}), or null. */
    public final Tensor weight;
    /** Target class index that is ignored and does not contribute to the gradient ({@code ignore_index}, default -100). */
    public final int ignoreIndex;
    /** Amount of label smoothing in {@code [0, 1]} ({@code label_smoothing}, default 0). */
    public final double labelSmoothing;

    /** With PyTorch's default arguments: {@code nn.CrossEntropyLoss()}. */
    public CrossEntropyLoss() { this(null, -100, Reduction.MEAN, 0); }

    /** {@code nn.CrossEntropyLoss(reduction)}; arguments left out take PyTorch's defaults. */
    public CrossEntropyLoss(Reduction reduction) { this(null, -100, reduction, 0); }

    /** PyTorch order: weight (per class, may be null), ignore_index, reduction, label_smoothing. */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        super(reduction);
        if (labelSmoothing < 0 || labelSmoothing > 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        this.weight = weight == null ? null : registerBuffer("weight", weight);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    /** A builder for the options by name: {@code CrossEntropyLoss.builder().labelSmoothing(0.1).build()}. */
    public static Builder builder() { return new Builder(); }

    /** Options by name: weight, ignoreIndex, reduction, labelSmoothing. */
    public static final class Builder {
        private Tensor weight;
        private int ignoreIndex = -100;
        private Reduction reduction = Reduction.MEAN;
        private double labelSmoothing;

        private Builder() {}

        /** PyTorch's {@code weight} argument. */
        public Builder weight(Tensor w) { weight = w; return this; }

        /** PyTorch's {@code ignore_index} argument. */
        public Builder ignoreIndex(int i) { ignoreIndex = i; return this; }

        /** PyTorch's {@code reduction} argument. */
        public Builder reduction(Reduction r) { reduction = r; return this; }

        /** PyTorch's {@code label_smoothing} argument. */
        public Builder labelSmoothing(double s) { labelSmoothing = s; return this; }

        /** The configured loss. */
        public CrossEntropyLoss build() { return new CrossEntropyLoss(weight, ignoreIndex, reduction, labelSmoothing); }
    }

    @Override public Tensor forward(Tensor input, Tensor target) {
        return named(() -> F.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing));
    }
}
