package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Batch normalisation over {@code [N, C, H, W]} ({@code torch.nn.BatchNorm2d}), per channel.
 *
 * <pre>{@code var bn = new BatchNorm2d(32);}</pre>
 */
public class BatchNorm2d extends BatchNorm {
    /** {@code nn.BatchNorm2d(num_features)}; arguments left out take PyTorch's defaults. */
    public BatchNorm2d(int numFeatures) { this(numFeatures, 1e-5, 0.1, true, true); }

    /** {@code nn.BatchNorm2d(num_features, eps, momentum)}; arguments left out take PyTorch's defaults. */
    public BatchNorm2d(int numFeatures, double eps, double momentum) { this(numFeatures, eps, momentum, true, true); }

    /** {@code nn.BatchNorm2d(num_features, eps, momentum, affine, track_running_stats)}; arguments left out take PyTorch's defaults. */
    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override void checkInput(Tensor x) {
        if (x.dim() != 4) throw error("expected 4D input (got " + x.dim() + "D input of shape " + Arrays.toString(x.shape()) + ")");
    }
}
