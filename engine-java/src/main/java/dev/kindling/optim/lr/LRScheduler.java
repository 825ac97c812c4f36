package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the epoch-driven learning-rate schedulers ({@code torch.optim.lr_scheduler._LRScheduler}): a
 * scheduler sets every group's {@code "lr"} on each {@link #step()} using PyTorch 1.13's recursive
 * (chainable) formulas, so sequences match PyTorch exactly and schedulers can be chained.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) { train(); sched.step(); }
 * }</pre>
 */
public abstract class LRScheduler {
    /** The optimizer whose groups this scheduler drives. */
    protected final Optimizer optimizer;
    /** Each group's {@code initial_lr}. */
    protected double[] baseLrs;
    /** Epochs stepped so far ({@code last_epoch}). */
    protected int lastEpoch = -1;
    /** Calls to step ({@code _step_count}). */
    protected int stepCount;
    private double[] lastLr;

    /** Records {@code "initial_lr"} in each group (if absent) and the base learning rates. */
    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer must not be null");
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.getDouble("initial_lr");
        }
    }

    /** The first step (epoch 0), taken at the end of each subclass constructor once its fields are set. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** The learning rates for {@link #lastEpoch} from the current ones (the chainable form). */
    protected abstract double[] computeLr();

    /** The learning rates for {@link #lastEpoch} from the base ones; chainable-only schedulers reuse {@link #computeLr}. */
    protected double[] closedFormLr() { return computeLr(); }

    /** Advances one epoch and sets the groups' learning rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to {@code epoch} using the closed form where one exists (PyTorch's deprecated {@code step(epoch)}). */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) groups.get(i).setLr(lrs[i]);
        recordLastLr();
    }

    /** Remembers the groups' current learning rates as {@link #getLastLr()}. */
    protected final void recordLastLr() { lastLr = currentLrs(); }

    /** The groups' current learning rates. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) lrs[i] = groups.get(i).lr();
        return lrs;
    }

    /** The learning rates set by the last step, one per group ({@code get_last_lr()}). */
    public List<Double> getLastLr() {
        List<Double> l = new ArrayList<>();
        for (double v : lastLr) l.add(v);
        return l;
    }

    /** The epoch of the last step ({@code last_epoch}). */
    public int lastEpoch() { return lastEpoch; }

    /** The optimizer whose rates this scheduler sets. */
    public Optimizer optimizer() { return optimizer; }

    /** PyTorch's keys: {@code last_epoch}, {@code base_lrs}, {@code _step_count}, {@code _last_lr} and the scheduler's own. */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("last_epoch", lastEpoch);
        sd.put("base_lrs", toList(baseLrs));
        sd.put("_step_count", stepCount);
        sd.put("_last_lr", toList(lastLr));
        saveState(sd);
        return sd;
    }

    /**
     * Restores a {@link #stateDict()} of the same scheduler type. All or nothing: every entry is read and
     * checked before the first field changes.
     */
    public void loadStateDict(Map<String, ?> sd) { prepareLoad(sd).run(); }

    /**
     * Checks that {@link #loadStateDict} would succeed, changing nothing: throws what it would throw.
     * {@code Checkpoint.restore} checks every part of a checkpoint this way before loading any.
     */
    public void checkStateDict(Map<String, ?> sd) { prepareLoad(sd); }

    /** Reads and checks {@code sd} completely; the returned assignment applies it and cannot fail. */
    Runnable prepareLoad(Map<String, ?> sd) {
        String op = getClass().getSimpleName() + ".loadStateDict";
        Map<String, Object> probe = new LinkedHashMap<>();
        saveState(probe);
        for (String key : List.of("last_epoch", "base_lrs", "_step_count", "_last_lr")) require(sd, key, op);
        for (String key : probe.keySet()) require(sd, key, op);
        double[] base = toArray(sd.get("base_lrs"), op), last = toArray(sd.get("_last_lr"), op);
        if (base.length != baseLrs.length || last.length != baseLrs.length) {
            throw new IllegalArgumentException(op + ": state has " + base.length + " base_lrs and " + last.length
                    + " _last_lr but the optimizer has " + baseLrs.length + " param groups");
        }
        int epoch = integer(sd, "last_epoch", op), steps = integer(sd, "_step_count", op);
        Runnable own = loadState(sd, op);
        return () -> {
            baseLrs = base;
            lastEpoch = epoch;
            stepCount = steps;
            lastLr = last;
            own.run();
        };
    }

    /** Adds this scheduler's own fields to a state dict. */
    protected void saveState(Map<String, Object> sd) {}

    /**
     * Reads and checks the fields {@link #saveState} wrote, changing nothing; returns the assignment of the
     * values read, which must not fail (so a bad entry leaves the scheduler as it was).
     */
    protected Runnable loadState(Map<String, ?> sd, String op) { return () -> {}; }

    static void require(Map<String, ?> sd, String key, String op) {
        if (sd == null || !sd.containsKey(key)) {
            throw new IllegalArgumentException(op + ": state dict lacks \"" + key + "\" (has "
                    + (sd == null ? "nothing" : sd.keySet()) + "); is it from another scheduler?");
        }
    }

    static List<Double> toList(double[] a) {
        List<Double> l = new ArrayList<>();
        for (double v : a) l.add(v);
        return l;
    }

    static double[] toArray(Object o, String op) {
        if (o instanceof double[] d) return d.clone();
        if (o instanceof List<?> l) {
            double[] d = new double[l.size()];
            for (int i = 0; i < d.length; i++) {
                if (!(l.get(i) instanceof Number n)) throw new IllegalArgumentException(op + ": expected numbers, got " + l);
                d[i] = n.doubleValue();
            }
            return d;
        }
        throw new IllegalArgumentException(op + ": expected a list of numbers, got " + o);
    }

    /** A numeric entry of a state dict; throws naming {@code op} and the key when it is not a number. */
    static double number(Map<String, ?> sd, String key, String op) {
        if (sd.get(key) instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(op + ": \"" + key + "\" must be a number, got " + sd.get(key));
    }

    /** An integer entry of a state dict; throws naming {@code op} and the key when it is not an int. */
    static int integer(Map<String, ?> sd, String key, String op) {
        Object v = sd.get(key);
        if (v instanceof Number n && n.doubleValue() == n.intValue()) return n.intValue();
        throw new IllegalArgumentException(op + ": \"" + key + "\" must be an integer, got " + v);
    }

    static void checkPositive(String op, String what, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(op + ": " + what + " must be positive, got " + v);
    }
}
