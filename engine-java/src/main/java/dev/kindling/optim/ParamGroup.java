package dev.kindling.optim;

import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters with their own options (PyTorch's {@code param_groups} entries): the keys are
 * PyTorch's ({@code "lr"}, {@code "weight_decay"}, {@code "betas"}, {@code "momentum"}, ...). Options left
 * unset take the optimizer's defaults when the group is added.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(ParamGroup.of(net.fc1.parameters()).lr(1e-2),
 *                           ParamGroup.of(net.fc2.parameters())), 1e-3, 0.9);
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) {
        this.params = params;
    }

    /** A group of {@code params} with no options of its own yet. */
    public static ParamGroup of(Iterable<? extends Tensor> params) {
        if (params == null) throw new IllegalArgumentException("ParamGroup: params must not be null");
        List<Tensor> list = new ArrayList<>();
        for (Tensor t : params) list.add(t);
        return new ParamGroup(list);
    }

    /** The parameters, in order (unmodifiable). */
    public List<Tensor> params() { return Collections.unmodifiableList(params); }

    /** The options (PyTorch keys), unmodifiable; use {@link #set} to change one. */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    /** Sets an option ({@code group["momentum"] = 0.9}); returns this. */
    public ParamGroup set(String key, Object value) {
        if ("params".equals(key)) throw new IllegalArgumentException("ParamGroup.set: \"params\" is not an option");
        options.put(key, value);
        return this;
    }

    /** Whether the option is set. */
    public boolean has(String key) { return options.containsKey(key); }

    /** The option's value, or null. */
    public Object get(String key) { return options.get(key); }

    /** Sets this group's learning rate; returns this. */
    public ParamGroup lr(double lr) { return set("lr", lr); }

    /** Sets this group's weight decay; returns this. */
    public ParamGroup weightDecay(double weightDecay) { return set("weight_decay", weightDecay); }

    /** The learning rate ({@code group["lr"]}). */
    public double lr() { return getDouble("lr"); }

    /** Sets the learning rate ({@code group["lr"] = lr}). */
    public void setLr(double lr) { options.put("lr", lr); }

    /** This group's weight decay ({@code group["weight_decay"]}). */
    public double weightDecay() { return getDouble("weight_decay"); }

    /** A numeric option; throws naming the key when it is missing or not a number. */
    public double getDouble(String key) {
        Object v = options.get(key);
        if (v instanceof Number n) return n.doubleValue();
        if (v instanceof Tensor t) return t.item();
        throw new IllegalStateException("param group option \"" + key + "\" is " + (v == null ? "missing" : "not a number: " + v));
    }

    /** A boolean option; throws naming the key when it is missing or not a boolean. */
    public boolean getBoolean(String key) {
        Object v = options.get(key);
        if (v instanceof Boolean b) return b;
        throw new IllegalStateException("param group option \"" + key + "\" is " + (v == null ? "missing" : "not a boolean: " + v));
    }

    /** A pair option such as {@code "betas"}, from a {@code double[]} or a list of numbers. */
    public double[] getPair(String key) {
        Object v = options.get(key);
        if (v instanceof double[] d && d.length == 2) return d.clone();
        if (v instanceof List<?> l && l.size() == 2 && l.get(0) instanceof Number a && l.get(1) instanceof Number b) {
            return new double[]{a.doubleValue(), b.doubleValue()};
        }
        throw new IllegalStateException("param group option \"" + key + "\" is " + (v == null ? "missing" : "not a pair of numbers: " + v));
    }

    @Override public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
