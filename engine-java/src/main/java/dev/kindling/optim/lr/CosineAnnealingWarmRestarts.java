package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;

import java.util.Map;

/**
 * Cosine annealing with warm restarts (SGDR): the cycle restarts after {@code t0} epochs, each next
 * cycle {@code tMult} times longer ({@code torch.optim.lr_scheduler.CosineAnnealingWarmRestarts}).
 * {@link #step(double)} accepts fractional epochs for per-batch stepping.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingWarmRestarts(opt, 10, 2);
 * }</pre>
 */
public class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0;
    private final int tMult;
    private final double etaMin;
    private double tI;
    private double tCur;

    /** A CosineAnnealingWarmRestarts with the given options and PyTorch's defaults for the rest. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) { this(optimizer, t0, 1, 0); }

    /** A CosineAnnealingWarmRestarts with the given options and PyTorch's defaults for the rest. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult) { this(optimizer, t0, tMult, 0); }

    /** A CosineAnnealingWarmRestarts with the given options and PyTorch's defaults for the rest. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        super(optimizer);
        if (t0 <= 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = -1;
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        }
        return lrs;
    }

    @Override public void step() {
        if (lastEpoch < 0) {
            step(0.0);
            return;
        }
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch = lastEpoch + 1;
        setLrs();
    }

    @Override public void step(int epoch) { step((double) epoch); }

    /** Jumps to a possibly fractional epoch ({@code scheduler.step(epoch + i / iters)}). */
    public void step(double epoch) {
        if (epoch < 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: expected non-negative epoch, but got " + epoch);
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        setLrs();
    }

    private void setLrs() {
        stepCount++;
        double[] lrs = computeLr();
        for (int i = 0; i < lrs.length; i++) optimizer.paramGroups().get(i).setLr(lrs[i]);
        super.recordLastLr();
    }

    @Override protected void saveState(Map<String, Object> sd) {
        sd.put("T_0", t0);
        sd.put("T_i", tI);
        sd.put("T_mult", tMult);
        sd.put("eta_min", etaMin);
        sd.put("T_cur", tCur);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        double i = number(sd, "T_i", op), cur = number(sd, "T_cur", op);
        checkPositive(op, "T_i", i);
        return () -> {
            tI = i;
            tCur = cur;
        };
    }
}
