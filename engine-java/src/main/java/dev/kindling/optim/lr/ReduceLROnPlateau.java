package dev.kindling.optim.lr;

import dev.kindling.Tensor;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts the learning rate by {@code factor} when a metric has stopped improving for {@code patience}
 * epochs ({@code torch.optim.lr_scheduler.ReduceLROnPlateau}).
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, 5);          // mode min, factor 0.1, patience 5
 * for (...) { train(); sched.step(validationLoss); }
 * var s = ReduceLROnPlateau.builder(opt).mode(Mode.MAX).factor(0.5).patience(3).cooldown(2).minLr(1e-5).build();
 * }</pre>
 */
public class ReduceLROnPlateau {
    /** Whether the metric should fall (a loss) or rise (an accuracy). */
    public enum Mode { MIN, MAX }

    /** Whether {@code threshold} is relative to the best value or absolute. */
    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** Mode min, factor 0.1, the given patience. */
    public ReduceLROnPlateau(Optimizer optimizer, int patience) { this(builder(optimizer).patience(patience)); }

    /** A ReduceLROnPlateau with the given options and PyTorch's defaults for the rest. */
    public ReduceLROnPlateau(Optimizer optimizer) { this(builder(optimizer)); }

    private ReduceLROnPlateau(Builder b) {
        String op = "ReduceLROnPlateau";
        if (b.optimizer == null) throw new IllegalArgumentException(op + ": optimizer must not be null");
        if (!(b.factor < 1.0)) throw new IllegalArgumentException(op + ": factor should be < 1.0, got " + b.factor);
        if (!(b.factor >= 0)) throw new IllegalArgumentException(op + ": factor should be >= 0, got " + b.factor);
        if (b.patience < 0) throw new IllegalArgumentException(op + ": patience should be >= 0, got " + b.patience);
        if (b.cooldown < 0) throw new IllegalArgumentException(op + ": cooldown should be >= 0, got " + b.cooldown);
        if (!(b.threshold >= 0)) throw new IllegalArgumentException(op + ": threshold should be >= 0, got " + b.threshold);
        if (b.mode == null || b.thresholdMode == null) throw new IllegalArgumentException(op + ": mode and thresholdMode must not be null");
        int n = b.optimizer.paramGroups().size();
        double[] mins = b.minLrs != null ? b.minLrs.clone() : new double[n];
        if (b.minLrs == null) java.util.Arrays.fill(mins, b.minLr);
        if (mins.length != n) throw new IllegalArgumentException(op + ": expected " + n + " min_lrs, got " + mins.length);
        this.optimizer = b.optimizer;
        this.mode = b.mode;
        this.factor = b.factor;
        this.patience = b.patience;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.cooldown = b.cooldown;
        this.minLrs = mins;
        this.eps = b.eps;
        this.lastEpoch = 0;
        reset();
        lastLr = currentLrs();
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] l = new double[groups.size()];
        for (int i = 0; i < l.length; i++) l[i] = groups.get(i).lr();
        return l;
    }

    /** Records one epoch's metric and reduces the rates if it has plateaued. */
    public void step(double metric) {
        double current = metric;
        lastEpoch = lastEpoch + 1;
        if (isBetter(current, best)) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    /** {@link #step(double)} with a one-element tensor (a validation loss). */
    public void step(Tensor metric) { step(metric.item()); }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double oldLr = groups.get(i).lr();
            double newLr = Math.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) groups.get(i).setLr(newLr);
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN && thresholdMode == ThresholdMode.REL) return a < best * (1. - threshold);
        if (mode == Mode.MIN) return a < best - threshold;
        if (thresholdMode == ThresholdMode.REL) return a > best * (threshold + 1.);
        return a > best + threshold;
    }

    /** The learning rates after the last step, one per group ({@code get_last_lr()}). */
    public List<Double> getLastLr() { return LRScheduler.toList(lastLr); }

    /** The best metric seen so far. */
    public double best() { return best; }

    /** Epochs since the metric last improved. */
    public int numBadEpochs() { return numBadEpochs; }

    /** PyTorch's fields: {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_epoch}, the options. */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("factor", factor);
        sd.put("min_lrs", LRScheduler.toList(minLrs));
        sd.put("patience", patience);
        sd.put("cooldown", cooldown);
        sd.put("cooldown_counter", cooldownCounter);
        sd.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        sd.put("threshold", threshold);
        sd.put("threshold_mode", thresholdMode.name().toLowerCase(java.util.Locale.ROOT));
        sd.put("best", best);
        sd.put("num_bad_epochs", numBadEpochs);
        sd.put("mode_worse", mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY);
        sd.put("eps", eps);
        sd.put("last_epoch", lastEpoch);
        sd.put("_last_lr", LRScheduler.toList(lastLr));
        return sd;
    }

    /**
     * Restores the counters and best value of a {@link #stateDict()} (the options stay this scheduler's).
     * All or nothing: every entry is read and checked before the first field changes.
     */
    public void loadStateDict(Map<String, ?> sd) { prepareLoad(sd).run(); }

    /**
     * Checks that {@link #loadStateDict} would succeed, changing nothing: throws what it would throw.
     * {@code Checkpoint.restore} checks every part of a checkpoint this way before loading any.
     */
    public void checkStateDict(Map<String, ?> sd) { prepareLoad(sd); }

    private Runnable prepareLoad(Map<String, ?> sd) {
        String op = "ReduceLROnPlateau.loadStateDict";
        for (String key : List.of("best", "num_bad_epochs", "cooldown_counter", "last_epoch", "mode")) LRScheduler.require(sd, key, op);
        if (!mode.name().equalsIgnoreCase(String.valueOf(sd.get("mode")))) {
            throw new IllegalArgumentException(op + ": state is for mode " + sd.get("mode") + " but this scheduler's mode is " + mode);
        }
        double b = LRScheduler.number(sd, "best", op);
        int bad = LRScheduler.integer(sd, "num_bad_epochs", op), cool = LRScheduler.integer(sd, "cooldown_counter", op);
        int epoch = LRScheduler.integer(sd, "last_epoch", op);
        double[] last = sd.get("_last_lr") == null ? lastLr : LRScheduler.toArray(sd.get("_last_lr"), op);
        if (last.length != lastLr.length) {
            throw new IllegalArgumentException(op + ": state has " + last.length + " _last_lr but the optimizer has "
                    + lastLr.length + " param groups");
        }
        return () -> {
            best = b;
            numBadEpochs = bad;
            cooldownCounter = cool;
            lastEpoch = epoch;
            lastLr = last;
        };
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Optimizer optimizer) { return new Builder(optimizer); }

    /** The options of {@link ReduceLROnPlateau}, PyTorch's defaults preset. */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1, threshold = 1e-4, minLr, eps = 1e-8;
        private int patience = 10, cooldown;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private double[] minLrs;

        Builder(Optimizer optimizer) { this.optimizer = optimizer; }

        /** Whether the metric should fall (MIN) or rise (MAX). */
        public Builder mode(Mode v) { mode = v; return this; }

        /** Multiplier applied to the rate on a plateau ({@code factor}). */
        public Builder factor(double v) { factor = v; return this; }

        /** Epochs without improvement tolerated before cutting the rate ({@code patience}). */
        public Builder patience(int v) { patience = v; return this; }

        /** Smallest change counted as an improvement ({@code threshold}). */
        public Builder threshold(double v) { threshold = v; return this; }

        /** Whether the threshold is relative or absolute ({@code threshold_mode}). */
        public Builder thresholdMode(ThresholdMode v) { thresholdMode = v; return this; }

        /** Epochs to wait after a cut before counting again ({@code cooldown}). */
        public Builder cooldown(int v) { cooldown = v; return this; }

        /** One floor for every group. */
        public Builder minLr(double v) { minLr = v; minLrs = null; return this; }

        /** One floor per group. */
        public Builder minLrs(double... v) { minLrs = v.clone(); return this; }

        /** Term added to the denominator for numerical stability ({@code eps}). */
        public Builder eps(double v) { eps = v; return this; }

        /** The configured instance. */
        public ReduceLROnPlateau build() { return new ReduceLROnPlateau(this); }
    }
}
