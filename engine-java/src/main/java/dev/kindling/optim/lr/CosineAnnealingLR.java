package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;

import java.util.Map;

/**
 * Cosine annealing from the base learning rate to {@code etaMin} over {@code tMax} epochs, then back up
 * ({@code torch.optim.lr_scheduler.CosineAnnealingLR}, recursive form).
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 100);
 * }</pre>
 */
public class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** A CosineAnnealingLR with the given options and PyTorch's defaults for the rest. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) { this(optimizer, tMax, 0); }

    /** A CosineAnnealingLR with the given options and PyTorch's defaults for the rest. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr();
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) {
                lrs[i] = lrs[i] + (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lrs;
        }
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                    * (lrs[i] - etaMin) + etaMin;
        }
        return lrs;
    }

    @Override protected double[] closedFormLr() {
        double[] lrs = baseLrs.clone();
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) {
        sd.put("T_max", tMax);
        sd.put("eta_min", etaMin);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        int t = integer(sd, "T_max", op);
        double eta = number(sd, "eta_min", op);
        checkPositive(op, "T_max", t);
        return () -> {
            tMax = t;
            etaMin = eta;
        };
    }
}
