package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ScalarMath;

import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs ({@code torch.optim.lr_scheduler.StepLR}).
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 */
public class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** A StepLR with the given options and PyTorch's defaults for the rest. */
    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1); }

    /** A StepLR with the given options and PyTorch's defaults for the rest. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * gamma;
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * ScalarMath.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) {
        sd.put("step_size", stepSize);
        sd.put("gamma", gamma);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        int size = integer(sd, "step_size", op);
        double g = number(sd, "gamma", op);
        checkPositive(op, "step_size", size);
        return () -> {
            stepSize = size;
            gamma = g;
        };
    }
}
