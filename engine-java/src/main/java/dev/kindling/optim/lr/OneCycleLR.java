package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;

import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy ({@code torch.optim.lr_scheduler.OneCycleLR}): the learning rate rises from
 * {@code maxLr / divFactor} to {@code maxLr}, then anneals far below it, while momentum (or Adam's beta1)
 * cycles the other way. Step it after every batch, {@code totalSteps} times.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, 0.1, epochs * batchesPerEpoch);
 * var lin = OneCycleLR.builder(opt, 0.1, 1000).annealStrategy(OneCycleLR.Anneal.LINEAR).threePhase(true).build();
 * }</pre>
 */
public class OneCycleLR extends LRScheduler {
    /** How the rate moves within a phase. */
    public enum Anneal { COS, LINEAR }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {}

    private final int totalSteps;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final boolean useBeta1;
    private final Phase[] phases;

    /** A OneCycleLR with the given options and PyTorch's defaults for the rest. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) { this(builder(optimizer, maxLr, totalSteps)); }

    private OneCycleLR(Builder b) {
        super(prepare(b));
        this.totalSteps = b.totalSteps;
        this.anneal = b.anneal;
        this.cycleMomentum = b.cycleMomentum;
        this.useBeta1 = b.optimizer.defaults().containsKey("betas");
        double pct = b.pctStart;
        this.phases = b.threePhase
                ? new Phase[]{
                    new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pct * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum")}
                : new Phase[]{
                    new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum")};
        initialStep();
    }

    /** Checks the options and writes the per-group rates and momenta before the base class reads them. */
    private static Optimizer prepare(Builder b) {
        String op = "OneCycleLR";
        if (b.optimizer == null) throw new IllegalArgumentException(op + ": optimizer must not be null");
        if (b.totalSteps <= 0) throw new IllegalArgumentException(op + ": expected positive integer total_steps, but got " + b.totalSteps);
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) throw new IllegalArgumentException(op + ": expected float between 0 and 1 pct_start, but got " + b.pctStart);
        if (!(b.maxLr >= 0)) throw new IllegalArgumentException(op + ": max_lr must be >= 0, got " + b.maxLr);
        Map<String, Object> defaults = b.optimizer.defaults();
        if (b.cycleMomentum && !defaults.containsKey("momentum") && !defaults.containsKey("betas")) {
            throw new IllegalArgumentException(op + ": optimizer must support momentum or betas with `cycle_momentum` option enabled");
        }
        for (ParamGroup g : b.optimizer.paramGroups()) {
            g.set("initial_lr", b.maxLr / b.divFactor);
            g.set("max_lr", b.maxLr);
            g.set("min_lr", g.getDouble("initial_lr") / b.finalDivFactor);
            if (b.cycleMomentum) {
                if (defaults.containsKey("betas")) g.set("betas", List.of(b.maxMomentum, g.getPair("betas")[1]));
                else g.set("momentum", b.maxMomentum);
                g.set("max_momentum", b.maxMomentum);
                g.set("base_momentum", b.baseMomentum);
            }
        }
        return b.optimizer;
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + stepNum + " times; the specified number of total steps is "
                    + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < lrs.length; gi++) {
            ParamGroup g = groups.get(gi);
            double startStep = 0;
            for (int i = 0; i < phases.length; i++) {
                Phase p = phases[i];
                if (stepNum <= p.endStep || i == phases.length - 1) {
                    double pct = (stepNum - startStep) / (p.endStep - startStep);
                    lrs[gi] = anneal(g.getDouble(p.startLr), g.getDouble(p.endLr), pct);
                    if (cycleMomentum) {
                        double m = anneal(g.getDouble(p.startMomentum), g.getDouble(p.endMomentum), pct);
                        if (useBeta1) g.set("betas", List.of(m, g.getPair("betas")[1]));
                        else g.set("momentum", m);
                    }
                    break;
                }
                startStep = p.endStep;
            }
        }
        return lrs;
    }

    @Override protected void saveState(Map<String, Object> sd) {
        sd.put("total_steps", totalSteps);
    }

    @Override protected Runnable loadState(Map<String, ?> sd, String op) {
        int saved = integer(sd, "total_steps", op);
        if (saved != totalSteps) throw new IllegalArgumentException(op + ": state has total_steps " + saved + " but this scheduler " + totalSteps);
        return () -> {};
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Optimizer optimizer, double maxLr, int totalSteps) { return new Builder(optimizer, maxLr, totalSteps); }

    /** The options of {@link OneCycleLR}, PyTorch's defaults preset. */
    public static final class Builder {
        private final Optimizer optimizer;
        private final double maxLr;
        private final int totalSteps;
        private double pctStart = 0.3, baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true, threePhase;

        Builder(Optimizer optimizer, double maxLr, int totalSteps) {
            this.optimizer = optimizer;
            this.maxLr = maxLr;
            this.totalSteps = totalSteps;
        }

        /** Fraction of the cycle spent increasing the rate ({@code pct_start}). */
        public Builder pctStart(double v) { pctStart = v; return this; }

        /** Cosine or linear annealing ({@code anneal_strategy}). */
        public Builder annealStrategy(Anneal v) { anneal = v; return this; }

        /** Cycles momentum (or beta1) inversely to the rate ({@code cycle_momentum}). */
        public Builder cycleMomentum(boolean v) { cycleMomentum = v; return this; }

        /** Lowest momentum of the cycle ({@code base_momentum}). */
        public Builder baseMomentum(double v) { baseMomentum = v; return this; }

        /** Highest momentum of the cycle ({@code max_momentum}). */
        public Builder maxMomentum(double v) { maxMomentum = v; return this; }

        /** The initial rate is {@code maxLr / divFactor} ({@code div_factor}). */
        public Builder divFactor(double v) { divFactor = v; return this; }

        /** The final rate is the initial rate over this ({@code final_div_factor}). */
        public Builder finalDivFactor(double v) { finalDivFactor = v; return this; }

        /** Uses a third phase that anneals below the initial rate ({@code three_phase}). */
        public Builder threePhase(boolean v) { threePhase = v; return this; }

        /** The configured instance. */
        public OneCycleLR build() { return new OneCycleLR(this); }
    }
}
