package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over {@code [N, C]} or {@code [N, C, L]} ({@code torch.nn.BatchNorm1d}).
 *
 * <pre>{@code var bn = new BatchNorm1d(64);   // eps 1e-5, momentum 0.1, affine, tracking running stats}</pre>
 */
public class BatchNorm1d extends BatchNorm {
    /** {@code nn.BatchNorm1d(num_features)}; arguments left out take PyTorch's defaults. */
    public BatchNorm1d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** {@code nn.BatchNorm1d(num_features, eps, momentum)}; arguments left out take PyTorch's defaults. */
    public BatchNorm1d(int numFeatures, double eps, double momentum) { this(numFeatures, eps, momentum, true, true); }

    /** {@code nn.BatchNorm1d(num_features, eps, momentum, affine, track_running_stats)}; arguments left out take PyTorch's defaults. */
    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override void checkInput(Tensor x) {
        if (x.dim() != 2 && x.dim() != 3) throw error("expected 2D or 3D input (got " + x.dim() + "D input of shape " + Arrays.toString(x.shape()) + ")");
    }
}
