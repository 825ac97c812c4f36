package dev.kindling.nn;

/**
 * How a loss reduces its per-element values: PyTorch's {@code reduction} argument. {@code BATCHMEAN}
 * (sum divided by the batch size) is accepted by {@link KLDivLoss} only.
 */
public enum Reduction { MEAN, SUM, NONE, BATCHMEAN }
