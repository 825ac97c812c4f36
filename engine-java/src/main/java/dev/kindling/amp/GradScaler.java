package dev.kindling.amp;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Tensor;
import dev.kindling.optim.Optimizer;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamic loss scaling for mixed precision training ({@code torch.cuda.amp.GradScaler}, PyTorch 1.13's
 * semantics). Gradients computed in float16 underflow to zero when they are small; multiplying the loss by a
 * large scale before {@code backward()} keeps them representable. {@link #step} divides the gradients by the
 * scale again and skips the optimizer step if any of them overflowed to Inf or NaN; {@link #update} multiplies
 * the scale by {@code backoffFactor} after such a step and by {@code growthFactor} after {@code growthInterval}
 * clean steps in a row.
 *
 * <pre>{@code
 * var scaler = new GradScaler();
 * for (Batch b : loader) {
 *     opt.zeroGrad();
 *     Tensor loss = lossFn.forward(net.forward(b.get(0)), b.get(1));
 *     scaler.scale(loss).backward();
 *     scaler.unscale_(opt);                              // optional: only to look at or clip the true gradients
 *     Kindling.clipGradNorm(net.parameters(), 1.0);
 *     scaler.step(opt);                                  // skipped when a gradient is Inf or NaN
 *     scaler.update();
 * }
 * }</pre>
 *
 * Unlike PyTorch 1.13 it works on every device, the CPU included (PyTorch 1.13 disables itself without CUDA).
 * A disabled scaler ({@code enabled(false)}) passes everything through: {@code scale} returns its argument,
 * {@code step} just steps, {@code unscale_} and {@code update} do nothing. Its state goes into a checkpoint
 * with {@link #stateDict()} and comes back with {@link #loadStateDict} or
 * {@code Checkpoint.restore(checkpoint, Map.of("scaler", scaler, ...))}.
 */
public final class GradScaler {
    /** Where an optimizer is in the current iteration (PyTorch's {@code OptState}). */
    private enum Stage { READY, UNSCALED, STEPPED }

    /** Per optimizer: its stage and, once unscaled, the found-Inf flags of its gradients' devices. */
    private static final class OptimizerState {
        Stage stage = Stage.READY;
        Map<Device, Tensor> foundInf = Map.of();
    }

    private final boolean enabled;
    /** The scale before the first {@link #scale}, as given (PyTorch's {@code _init_scale}). */
    private double initScale;
    /** The float32 scale, created from {@code initScale} by the first {@link #scale} as PyTorch does. */
    private float scale;
    private boolean initialized;
    private int growthTracker;
    private double growthFactor;
    private double backoffFactor;
    private int growthInterval;
    private final Map<Optimizer, OptimizerState> perOptimizer = new IdentityHashMap<>();

    /** PyTorch's defaults: scale 65536, growth factor 2, backoff factor 0.5, growth interval 2000, enabled. */
    public GradScaler() { this(builder()); }

    private GradScaler(Builder b) {
        String op = "GradScaler";
        if (!(b.initScale > 0) || Double.isInfinite(b.initScale)) {
            throw new IllegalArgumentException(op + ": initScale must be a positive finite number, got " + b.initScale);
        }
        checkGrowthFactor(op, b.growthFactor);
        checkBackoffFactor(op, b.backoffFactor);
        checkGrowthInterval(op, b.growthInterval);
        this.enabled = b.enabled;
        this.initScale = b.initScale;
        this.growthFactor = b.growthFactor;
        this.backoffFactor = b.backoffFactor;
        this.growthInterval = b.growthInterval;
    }

    /** A builder with PyTorch's defaults: {@code GradScaler.builder().initScale(1024).growthInterval(100).build()}. */
    public static Builder builder() { return new Builder(); }

    /**
     * Multiplies {@code outputs} (the loss) by the scale: {@code outputs * scale}, the scale being a one-element
     * FLOAT32 tensor on the output's device, so a 0-d loss gives a tensor of shape [1] as in PyTorch. Returns
     * {@code outputs} itself when disabled.
     */
    public Tensor scale(Tensor outputs) {
        if (!enabled) return outputs;
        if (outputs == null) throw new IllegalArgumentException("GradScaler.scale: outputs must be a Tensor or a list of Tensors, got null");
        if (!initialized) {
            scale = (float) initScale;
            initialized = true;
        }
        return outputs.mul(Tensor.zeros(new int[]{1}, DType.FLOAT32, outputs.device()).fill_(scale));
    }

    /** Scales each of several outputs (the losses of several heads); a list of the same tensors when disabled. */
    public List<Tensor> scale(List<? extends Tensor> outputs) {
        if (outputs == null) throw new IllegalArgumentException("GradScaler.scale: outputs must be a Tensor or a list of Tensors, got null");
        List<Tensor> out = new ArrayList<>(outputs.size());
        for (Tensor t : outputs) {
            if (t == null) throw new IllegalArgumentException("GradScaler.scale: outputs must be Tensors, got a null element");
            out.add(scale(t));
        }
        return out;
    }

    /**
     * Divides ("unscales") the gradients of {@code optimizer}'s parameters in place by the scale and records
     * whether any of them held an Inf or NaN. Optional: {@link #step} does it when it has not been done; call
     * it yourself to inspect or clip the true gradients between {@code backward()} and {@code step}. Once per
     * optimizer per iteration. Gradients are unscaled in their own dtype's compute precision (BFLOAT16 ones
     * in float32, rounded once); FLOAT16 gradients are refused as in PyTorch, since they mean float16
     * parameters. Does nothing when disabled.
     */
    public void unscale_(Optimizer optimizer) {
        if (!enabled) return;
        String op = "GradScaler.unscale_";
        requireOptimizer(op, optimizer);
        requireScaled(op);
        OptimizerState s = perOptimizer.computeIfAbsent(optimizer, k -> new OptimizerState());
        if (s.stage == Stage.UNSCALED) {
            throw new IllegalStateException(op + ": unscale_() has already been called on this optimizer since the last update()");
        }
        if (s.stage == Stage.STEPPED) throw new IllegalStateException(op + ": unscale_() is being called after step() (call update() first)");
        // the reciprocal in double, then rounded to float32, as PyTorch computes it
        s.foundInf = Unscale.gradsOf(optimizer, (float) (1.0 / (double) scale), op);
        s.stage = Stage.UNSCALED;
    }

    /**
     * Unscales the gradients (unless {@link #unscale_} already did) and calls {@code optimizer.step()} if they
     * are all finite. Returns whether the step ran: false when it was skipped because a gradient held an Inf
     * or NaN. (PyTorch returns {@code optimizer.step()}'s value, which is None without a closure; closures are
     * not supported with an enabled scaler there either.) When disabled, steps and returns true.
     */
    public boolean step(Optimizer optimizer) {
        String op = "GradScaler.step";
        requireOptimizer(op, optimizer);
        if (!enabled) {
            optimizer.step();
            return true;
        }
        requireScaled(op);
        OptimizerState s = perOptimizer.computeIfAbsent(optimizer, k -> new OptimizerState());
        if (s.stage == Stage.STEPPED) throw new IllegalStateException(op + ": step() has already been called since the last update()");
        if (s.stage == Stage.READY) unscale_(optimizer);
        if (s.foundInf.isEmpty()) {
            throw new IllegalStateException(op + ": no inf checks were recorded for this optimizer (none of its parameters"
                    + " has a gradient; did backward() reach them?)");
        }
        boolean finite = true;
        for (Tensor flag : s.foundInf.values()) finite &= flag.item() == 0;
        if (finite) optimizer.step();
        s.stage = Stage.STEPPED;
        return finite;
    }

    /**
     * Updates the scale from this iteration's checks: times {@code backoffFactor} if any optimizer's gradients
     * held an Inf or NaN, times {@code growthFactor} after {@code growthInterval} clean iterations in a row
     * (never past the float32 maximum, as PyTorch 2.1 guards). Call it once per iteration, after
     * {@link #step} for every optimizer. Does nothing when disabled.
     */
    public void update() {
        if (!enabled) return;
        String op = "GradScaler.update";
        requireScaled(op);
        boolean any = false, foundInf = false;
        for (OptimizerState s : perOptimizer.values()) {
            for (Tensor flag : s.foundInf.values()) {
                any = true;
                foundInf |= flag.item() != 0;
            }
        }
        if (!any) {
            throw new IllegalStateException(op + ": no inf checks were recorded prior to update() (call step() or unscale_()"
                    + " for an optimizer whose parameters have gradients first)");
        }
        ScaleUpdate next = ScaleUpdate.next(scale, growthTracker, foundInf, growthFactor, backoffFactor, growthInterval);
        scale = next.scale();
        growthTracker = next.growthTracker();
        endIteration();
    }

    /**
     * Sets the scale to {@code newScale} (rounded to float32) instead of updating it from the checks; the
     * growth tracker is left as it is, as in PyTorch. Does nothing when disabled.
     */
    public void update(double newScale) {
        if (!enabled) return;
        String op = "GradScaler.update";
        requireScaled(op);
        if (!(newScale > 0) || Double.isInfinite(newScale)) {
            throw new IllegalArgumentException(op + ": newScale must be a positive finite number, got " + newScale);
        }
        scale = (float) newScale;
        endIteration();
    }

    /** Forgets this iteration's per-optimizer stages and flags, freeing the flags at once. */
    private void endIteration() {
        for (OptimizerState s : perOptimizer.values()) s.foundInf.values().forEach(Tensor::close);
        perOptimizer.clear();
    }

    /** The current scale; before the first {@link #scale}, the initial scale as given; 1.0 when disabled. */
    public double getScale() {
        if (!enabled) return 1.0;
        return initialized ? scale : initScale;
    }

    /** The factor the scale grows by after {@code growthInterval} clean iterations. */
    public double getGrowthFactor() { return growthFactor; }

    /** Sets the growth factor (must be > 1). */
    public void setGrowthFactor(double growthFactor) {
        checkGrowthFactor("GradScaler.setGrowthFactor", growthFactor);
        this.growthFactor = growthFactor;
    }

    /** The factor the scale shrinks by after an iteration with Inf or NaN gradients. */
    public double getBackoffFactor() { return backoffFactor; }

    /** Sets the backoff factor (must be in (0, 1)). */
    public void setBackoffFactor(double backoffFactor) {
        checkBackoffFactor("GradScaler.setBackoffFactor", backoffFactor);
        this.backoffFactor = backoffFactor;
    }

    /** How many clean iterations in a row make the scale grow. */
    public int getGrowthInterval() { return growthInterval; }

    /** Sets the growth interval (must be >= 1). */
    public void setGrowthInterval(int growthInterval) {
        checkGrowthInterval("GradScaler.setGrowthInterval", growthInterval);
        this.growthInterval = growthInterval;
    }

    /** Whether this scaler scales at all. */
    public boolean isEnabled() { return enabled; }

    /**
     * PyTorch's {@code state_dict()}: {@code scale} (Double), {@code growth_factor} (Double),
     * {@code backoff_factor} (Double), {@code growth_interval} (Integer) and {@code _growth_tracker} (Integer,
     * the clean iterations since the scale last changed); an empty map when disabled. Take it after
     * {@link #update}, at the end of an iteration.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        if (!enabled) return sd;
        sd.put("scale", getScale());
        sd.put("growth_factor", growthFactor);
        sd.put("backoff_factor", backoffFactor);
        sd.put("growth_interval", growthInterval);
        sd.put("_growth_tracker", growthTracker);
        return sd;
    }

    /**
     * Restores a {@link #stateDict()} (also one saved by PyTorch, whose numbers may come as other Number
     * types). All or nothing: every entry is checked before the first field changes. Does nothing when disabled.
     */
    public void loadStateDict(Map<String, ?> stateDict) { prepareLoad(stateDict).run(); }

    /**
     * Checks that {@link #loadStateDict} would succeed, changing nothing: throws what it would throw.
     * {@code Checkpoint.restore} checks every part of a checkpoint this way before loading any.
     */
    public void checkStateDict(Map<String, ?> stateDict) { prepareLoad(stateDict); }

    private Runnable prepareLoad(Map<String, ?> sd) {
        String op = "GradScaler.loadStateDict";
        if (!enabled) return () -> { };
        if (sd == null) throw new IllegalArgumentException(op + ": state dict must not be null");
        if (sd.isEmpty()) {
            throw new IllegalArgumentException(op + ": the source state dict is empty, possibly because it was saved from a"
                    + " disabled GradScaler");
        }
        double s = number(sd, "scale", op);
        if (!(s >= 0) || Double.isInfinite(s)) throw new IllegalArgumentException(op + ": \"scale\" must be a finite number >= 0, got " + s);
        double growth = number(sd, "growth_factor", op);
        checkGrowthFactor(op, growth);
        double backoff = number(sd, "backoff_factor", op);
        checkBackoffFactor(op, backoff);
        int interval = integer(sd, "growth_interval", op);
        checkGrowthInterval(op, interval);
        int tracker = integer(sd, "_growth_tracker", op);
        if (tracker < 0) throw new IllegalArgumentException(op + ": \"_growth_tracker\" must be >= 0, got " + tracker);
        return () -> {
            initScale = s;
            if (initialized) scale = (float) s;
            growthFactor = growth;
            backoffFactor = backoff;
            growthInterval = interval;
            growthTracker = tracker;
        };
    }

    private void requireScaled(String op) {
        if (!initialized) {
            throw new IllegalStateException(op + ": the scale has not been created yet; call scaler.scale(loss) earlier in"
                    + " the iteration (and backward() on its result)");
        }
    }

    private static void requireOptimizer(String op, Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(op + ": optimizer must not be null");
    }

    private static void checkGrowthFactor(String op, double v) {
        if (!(v > 1.0) || Double.isInfinite(v)) throw new IllegalArgumentException(op + ": the growth factor must be > 1.0 and finite, got " + v);
    }

    private static void checkBackoffFactor(String op, double v) {
        if (!(v < 1.0 && v > 0)) throw new IllegalArgumentException(op + ": the backoff factor must be < 1.0 and > 0, got " + v);
    }

    private static void checkGrowthInterval(String op, int v) {
        if (v < 1) throw new IllegalArgumentException(op + ": the growth interval must be >= 1, got " + v);
    }

    private static double number(Map<String, ?> sd, String key, String op) {
        Object v = sd.get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(op + ": \"" + key + "\" must be a number, got "
                + (sd.containsKey(key) ? v : "nothing (the state dict has " + sd.keySet() + ")"));
    }

    private static int integer(Map<String, ?> sd, String key, String op) {
        Object v = sd.get(key);
        if ((v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte)
                && ((Number) v).longValue() == ((Number) v).intValue()) {
            return ((Number) v).intValue();
        }
        throw new IllegalArgumentException(op + ": \"" + key + "\" must be an integer, got "
                + (sd.containsKey(key) ? v : "nothing (the state dict has " + sd.keySet() + ")"));
    }

    @Override public String toString() {
        return "GradScaler(" + (enabled ? "scale=" + getScale() + ", growth_factor=" + growthFactor + ", backoff_factor="
                + backoffFactor + ", growth_interval=" + growthInterval + ", growth_tracker=" + growthTracker : "enabled=false") + ")";
    }

    /** Options with PyTorch's defaults: {@code GradScaler.builder().initScale(65536).growthInterval(2000).build()}. */
    public static final class Builder {
        private double initScale = 65536.0;
        private double growthFactor = 2.0;
        private double backoffFactor = 0.5;
        private int growthInterval = 2000;
        private boolean enabled = true;

        private Builder() {}

        /** The scale before the first update (default 2^16). */
        public Builder initScale(double v) { initScale = v; return this; }

        /** The factor the scale grows by (default 2, must be > 1). */
        public Builder growthFactor(double v) { growthFactor = v; return this; }

        /** The factor the scale shrinks by after Inf or NaN gradients (default 0.5, must be in (0, 1)). */
        public Builder backoffFactor(double v) { backoffFactor = v; return this; }

        /** Clean iterations in a row before the scale grows (default 2000, must be >= 1). */
        public Builder growthInterval(int v) { growthInterval = v; return this; }

        /** False makes every method a pass-through, so one loop serves with and without scaling (default true). */
        public Builder enabled(boolean v) { enabled = v; return this; }

        /** The scaler; throws IllegalArgumentException naming a bad option. */
        public GradScaler build() { return new GradScaler(this); }
    }
}
