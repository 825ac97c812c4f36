package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Normalises groups of channels of {@code [N, C, ...]} ({@code torch.nn.GroupNorm}).
 *
 * <pre>{@code var gn = new GroupNorm(4, 32);   // 4 groups of 8 channels}</pre>
 */
public class GroupNorm extends Module {
    /** Number of groups the channels are split into, and the number of channels C (divisible by it). */
    public final int numGroups, numChannels;
    /** Value added to the variance for numerical stability. */
    public final double eps;
    /** Whether learnable per-channel weight and bias exist. */
    public final boolean affine;
    /** Learnable per-channel scale of shape {@code [C]}, initialised to ones; null unless {@code affine}. */
    public Parameter weight;
    /** Learnable per-channel shift of shape {@code [C]}, initialised to zeros; null unless {@code affine}. */
    public Parameter bias;

    /** {@code nn.GroupNorm(num_groups, num_channels)}; arguments left out take PyTorch's defaults. */
    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5, true); }

    /** {@code nn.GroupNorm(num_groups, num_channels, eps, affine)}; arguments left out take PyTorch's defaults. */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels (" + numChannels + ") must be divisible by num_groups (" + numGroups + ")");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        if (affine) {
            weight = new Parameter(Tensor.ones(numChannels));
            bias = new Parameter(Tensor.zeros(numChannels));
        }
    }

    @Override public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != numChannels) {
            throw error("expected input [N, " + numChannels + ", ...], got shape " + Arrays.toString(x.shape()));
        }
        return F.groupNorm(x, numGroups, weight, bias, eps);
    }

    @Override protected String extraRepr() { return numGroups + ", " + numChannels + ", eps=" + pyFloat(eps) + ", affine=" + pyBool(affine); }
}
