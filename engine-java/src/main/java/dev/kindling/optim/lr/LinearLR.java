package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;

import java.util.Map;

/**
 * Scales the learning rate linearly from {@code startFactor} to {@code endFactor} over {@code totalIters}
 * epochs, the usual warmup ({@code torch.optim.lr_scheduler.LinearLR}).
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * }</pre>
 */
public class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5); }

    /** A LinearLR with the given options and PyTorch's defaults for the rest. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (startFactor > 1.0 || startFactor < 0 || !(startFactor == startFactor)) {
            throw new IllegalArgumentException("LinearLR: starting multiplicative factor expected to be between 0 and 1, got " + startFactor);
        }
        if (endFactor > 1.0 || endFactor < 0 || !(endFactor == endFactor)) {
            throw new IllegalArgumentException("LinearLR: ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        }
        if (totalIters <= 0) throw new IllegalArgumentException("LinearLR: totalIters must be positive, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lrs[i] * (1. + (endFactor - startFactor)
                    / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
        }
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs[i] * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters);
        }
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) {
        sd.put("start_factor", startFactor);
        sd.put("end_factor", endFactor);
        sd.put("total_iters", totalIters);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        double start = number(sd, "start_factor", op), end = number(sd, "end_factor", op);
        int total = integer(sd, "total_iters", op);
        checkPositive(op, "total_iters", total);
        return () -> {
            startFactor = start;
            endFactor = end;
            totalIters = total;
        };
    }
}
