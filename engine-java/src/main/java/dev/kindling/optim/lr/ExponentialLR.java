package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ScalarMath;

import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} every epoch ({@code torch.optim.lr_scheduler.ExponentialLR}).
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.95);
 * }</pre>
 */
public class ExponentialLR extends LRScheduler {
    private double gamma;

    /** A ExponentialLR with the given options and PyTorch's defaults for the rest. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * gamma;
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) lrs[i] = lrs[i] * ScalarMath.pow(gamma, lastEpoch);
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) { sd.put("gamma", gamma); }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        double g = number(sd, "gamma", op);
        return () -> gamma = g;
    }
}
