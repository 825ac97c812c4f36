package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * What BatchNorm1d and BatchNorm2d share: per-channel affine parameters, running statistics (buffers
 * {@code running_mean}, {@code running_var}, {@code num_batches_tracked}) and train/eval behaviour.
 */
public abstract class BatchNorm extends Module {
    /** Number of channels C of the expected {@code (N, C, ...)} input. */
    public final int numFeatures;
    /** {@code eps} added to the variance for stability; {@code momentum} of the running-statistics update. */
    public final double eps, momentum;
    /** {@code affine}: whether learnable weight and bias exist; {@code trackRunningStats}: whether running mean/var are kept. */
    public final boolean affine, trackRunningStats;
    /** Learnable per-channel scale (gamma) of shape {@code [C]}, initialised to ones; null unless {@code affine}. */
    public Parameter weight;
    /** Learnable per-channel shift (beta) of shape {@code [C]}, initialised to zeros; null unless {@code affine}. */
    public Parameter bias;

    BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        if (affine) {
            weight = new Parameter(Tensor.ones(numFeatures));
            bias = new Parameter(Tensor.zeros(numFeatures));
        }
        if (trackRunningStats) {
            registerBuffer("running_mean", Tensor.zeros(numFeatures));
            registerBuffer("running_var", Tensor.ones(numFeatures));
            registerBuffer("num_batches_tracked", Tensor.zeros(new int[0], DType.INT64));
        }
    }

    /** The running mean buffer ({@code running_mean}), updated in training mode. */
    public Tensor runningMean() { return buffer("running_mean"); }

    /** The running (unbiased) variance buffer ({@code running_var}). */
    public Tensor runningVar() { return buffer("running_var"); }

    /** The INT64 scalar buffer counting training batches ({@code num_batches_tracked}). */
    public Tensor numBatchesTracked() { return buffer("num_batches_tracked"); }

    /** Resets running mean to 0, variance to 1 and the batch count to 0. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var off = Kindling.noGrad()) {
            runningMean().zero_();
            runningVar().fill_(1);
            numBatchesTracked().zero_();
        }
    }

    abstract void checkInput(Tensor x);

    @Override public Tensor forward(Tensor x) {
        checkInput(x);
        if (x.size(1) != numFeatures) {
            throw error("expected input with " + numFeatures + " channels in dimension 1, got shape " + Arrays.toString(x.shape()));
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        if (isTraining() && trackRunningStats) {
            try (var off = Kindling.noGrad()) {
                numBatchesTracked().add_(1);
            }
        }
        try {
            return F.batchNorm(x, trackRunningStats ? runningMean() : null, trackRunningStats ? runningVar() : null,
                    weight, bias, useBatchStats, momentum, eps);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() {
        return numFeatures + ", eps=" + pyFloat(eps) + ", momentum=" + pyFloat(momentum) + ", affine=" + pyBool(affine)
                + ", track_running_stats=" + pyBool(trackRunningStats);
    }
}
