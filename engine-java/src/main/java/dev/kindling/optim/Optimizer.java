package dev.kindling.optim;

import dev.kindling.FusedOptim;
import dev.kindling.Kindling;
import dev.kindling.Scope;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Base of all optimizers ({@code torch.optim.Optimizer}): parameter groups, lazily created per-parameter
 * state, {@link #zeroGrad()}, {@link #step()} and a PyTorch-shaped {@link #stateDict()}. A subclass only
 * declares its defaults, validates options and implements {@link #update} (the math, under no-grad).
 *
 * <pre>{@code
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * }</pre>
 */
public abstract class Optimizer {
    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    /** @param params tensors (or {@link ParamGroup}s) to optimize */
    protected Optimizer(String name, Iterable<?> params, Map<String, Object> defaults) {
        this.name = name;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        validate(this.defaults, name);
        if (params == null) throw new IllegalArgumentException(name + ": params must not be null");
        List<Tensor> loose = new ArrayList<>();
        List<ParamGroup> given = new ArrayList<>();
        for (Object o : params) {
            if (o instanceof ParamGroup g) given.add(g);
            else if (o instanceof Tensor t) loose.add(t);
            else throw new IllegalArgumentException(name + ": optimizer can only optimize Tensors or ParamGroups, but got "
                    + (o == null ? "null" : o.getClass().getSimpleName()));
        }
        if (!loose.isEmpty() && !given.isEmpty()) {
            throw new IllegalArgumentException(name + ": params mixes tensors and ParamGroups; wrap the tensors in a ParamGroup");
        }
        if (loose.isEmpty() && given.isEmpty()) throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        if (given.isEmpty()) given.add(ParamGroup.of(loose));
        for (ParamGroup g : given) addParamGroup(g);
    }

    /** Checks one group's options (lr >= 0, valid betas, ...); throws IllegalArgumentException naming {@code op}. */
    protected abstract void validate(Map<String, Object> options, String op);

    /** Applies one step to every parameter of {@code group} that has a gradient; runs under no-grad. */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state);

    /** The per-parameter state keys a state dict of this optimizer must hold for these options. */
    protected abstract Set<String> stateKeys(ParamGroup group);

    /** The option keys that identify this optimizer type in a state dict. */
    protected abstract Set<String> identifyingKeys();

    /** How many parameter groups this optimizer supports. */
    protected int maxParamGroups() { return Integer.MAX_VALUE; }

    /** The state of {@code param} for an optimizer that updates outside {@link #update}; created empty. */
    protected final Map<String, Object> mutableState(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    /** The defaults (PyTorch's {@code optimizer.defaults}). */
    public final Map<String, Object> defaults() { return defaults; }

    /** The parameter groups; their options can be changed (schedulers set {@code "lr"}). */
    public final List<ParamGroup> paramGroups() { return Collections.unmodifiableList(groups); }

    /** Per-parameter state ({@code optimizer.state[p]}), empty until the first step that touches {@code p}. */
    public final Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** Adds a group; options it lacks take this optimizer's defaults ({@code add_param_group}). */
    public final void addParamGroup(ParamGroup group) {
        if (group == null) throw new IllegalArgumentException(name + ".addParamGroup: group must not be null");
        if (groups.size() >= maxParamGroups()) {
            throw new IllegalArgumentException(name + ": doesn't support per-parameter options (more than "
                    + maxParamGroups() + " parameter group)");
        }
        for (Tensor p : group.params()) {
            if (p == null) throw new IllegalArgumentException(name + ": a parameter is null");
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name + ": can only optimize floating point tensors, got " + p.dtype());
            }
            if (!p.isLeaf()) throw new IllegalArgumentException(name + ": can't optimize a non-leaf Tensor");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : group.params()) {
            if (!seen.add(p)) {
                throw new IllegalArgumentException(name + ": parameter group contains the same parameter twice (shape "
                        + Arrays.toString(p.shape()) + ")");
            }
        }
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                if (seen.contains(p)) {
                    throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group (shape "
                            + Arrays.toString(p.shape()) + ")");
                }
            }
        }
        for (Map.Entry<String, Object> e : defaults.entrySet()) {
            if (!group.has(e.getKey())) group.set(e.getKey(), e.getValue());
        }
        validate(group.options(), name);
        groups.add(group);
    }

    /** Sets every gradient to null, like PyTorch 2's {@code zero_grad()}. */
    public final void zeroGrad() { zeroGrad(true); }

    /** With {@code setToNone == false}, zeroes the gradients in place instead. */
    public final void zeroGrad(boolean setToNone) {
        try (var off = Kindling.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor gr = FusedOptim.gradForStep(p);
                    if (gr == null) continue;
                    if (setToNone) p.setGrad(null);
                    else {
                        if (gr.gradFn() != null) gr.detach_();
                        gr.zero_();
                    }
                }
            }
        }
    }

    /** One optimization step over every parameter that has a gradient. */
    public final void step() { step(null); }

    /**
     * Calls {@code closure} (which re-evaluates the model and returns the loss) with grad enabled, then
     * steps; returns the closure's loss, or null without a closure.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss = null;
        if (closure != null) {
            try (var on = Kindling.enableGrad()) {
                loss = closure.get();
            }
        }
        try (var off = Kindling.noGrad()) {
            for (ParamGroup g : groups) {
                for (Tensor p : g.params()) {
                    Tensor grad = FusedOptim.gradForStep(p);
                    if (grad == null) continue;
                    Map<String, Object> s = state.computeIfAbsent(p, k -> new LinkedHashMap<>());
                    // the step's temporaries (scalars, denominators) are freed per parameter, not at GC time
                    try (Scope scope = Kindling.scope()) {
                        update(g, p, grad, s);
                    }
                }
            }
        }
        return loss;
    }

    /** State to keep across a step: {@code t}'s data taken out of the step's scope. */
    protected static Tensor keep(Tensor t) { return Scope.escape(t); }

    /**
     * PyTorch's {@code state_dict()}: {@code {"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}},
     * parameters numbered in group order. The state tensors are the live ones, not copies.
     */
    public Map<String, Object> stateDict() {
        Map<Integer, Object> packed = new LinkedHashMap<>();
        List<Object> packedGroups = new ArrayList<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> pg = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : g.options().entrySet()) {
                Object v = e.getValue();
                pg.put(e.getKey(), v instanceof double[] d ? List.of(d[0], d[1]) : v);
            }
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                Map<String, Object> s = state.get(p);
                if (s != null && !s.isEmpty()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : s.entrySet()) {
                        out.put(e.getKey(), "step".equals(e.getKey()) ? exportStep((Long) e.getValue()) : e.getValue());
                    }
                    packed.put(index, out);
                }
                ids.add(index++);
            }
            pg.put("params", ids);
            packedGroups.add(pg);
        }
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", packed);
        sd.put("param_groups", packedGroups);
        return sd;
    }

    /** How this optimizer writes its step count: a 0-d FLOAT32 tensor like PyTorch 1.13's Adam. */
    protected Object exportStep(long step) { return keep(Tensor.scalar(step, dev.kindling.DType.FLOAT32)); }

    /**
     * Restores a {@link #stateDict()} (of this optimizer type, for parameters of the same shapes); state
     * tensors are copied and cast to each parameter's dtype. All or nothing: the whole state dict is checked
     * before the first option or state changes.
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        Checked c = check(stateDict);
        Map<Tensor, Map<String, Object>> restored = new IdentityHashMap<>();
        try {
            for (Map.Entry<Tensor, Map<String, Object>> e : c.states().entrySet()) {
                Map<String, Object> s = new LinkedHashMap<>();
                for (Map.Entry<String, Object> kv : e.getValue().entrySet()) s.put(kv.getKey(), copyState(kv.getValue(), e.getKey()));
                restored.put(e.getKey(), s);
            }
        } catch (RuntimeException | Error ex) {
            // a copy failed (out of memory): drop the copies made so far, keep the current state
            restored.values().forEach(s -> s.values().forEach(Optimizer::closeCopies));
            throw ex;
        }
        // everything checked and copied: commit
        for (int gi = 0; gi < groups.size(); gi++) {
            for (Map.Entry<String, Object> e : c.options().get(gi).entrySet()) groups.get(gi).set(e.getKey(), e.getValue());
        }
        state.clear();
        state.putAll(restored);
    }

    /**
     * Checks that {@link #loadStateDict} would succeed, changing nothing: throws what it would throw.
     * {@code Checkpoint.restore} checks every part of a checkpoint this way before loading any.
     */
    public void checkStateDict(Map<String, ?> stateDict) { check(stateDict); }

    /** A checked state dict: each group's new options, each parameter's saved state ("step" already a Long). */
    private record Checked(List<Map<String, Object>> options, Map<Tensor, Map<String, Object>> states) {}

    private Checked check(Map<String, ?> stateDict) {
        String op = name + ".loadStateDict";
        if (stateDict == null || !(stateDict.get("param_groups") instanceof List<?> savedGroups)
                || !(stateDict.get("state") instanceof Map<?, ?> savedState)) {
            throw new IllegalArgumentException(op + ": expected a map with \"state\" and \"param_groups\", got "
                    + (stateDict == null ? "null" : stateDict.keySet()));
        }
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(op + ": loaded state dict has " + savedGroups.size()
                    + " parameter groups but the optimizer has " + groups.size());
        }
        Map<Integer, Tensor> byIndex = new LinkedHashMap<>();
        Map<Tensor, Integer> groupOf = new IdentityHashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            if (!(savedGroups.get(gi) instanceof Map<?, ?> sg) || !(sg.get("params") instanceof List<?> ids)) {
                throw new IllegalArgumentException(op + ": parameter group " + gi + " is not a map with \"params\"");
            }
            if (ids.size() != g.params().size()) {
                throw new IllegalArgumentException(op + ": loaded state dict contains a parameter group of " + ids.size()
                        + " parameters that doesn't match the size of optimizer's group " + gi + " (" + g.params().size() + ")");
            }
            for (String key : identifyingKeys()) {
                if (!sg.containsKey(key)) {
                    throw new IllegalArgumentException(op + ": parameter group " + gi + " has no \"" + key + "\"; the state dict"
                            + " is from another optimizer type (options " + sg.keySet() + ")");
                }
            }
            Map<String, Object> opts = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : sg.entrySet()) {
                if (!"params".equals(e.getKey())) opts.put(String.valueOf(e.getKey()), e.getValue());
            }
            validate(opts, op);
            newOptions.add(opts);
            for (int k = 0; k < ids.size(); k++) {
                int id = toIndex(ids.get(k), op);
                if (byIndex.put(id, g.params().get(k)) != null) {
                    throw new IllegalArgumentException(op + ": parameter index " + id + " appears twice in \"param_groups\"");
                }
                groupOf.put(g.params().get(k), gi);
            }
        }
        Map<Tensor, Map<String, Object>> states = new IdentityHashMap<>();
        for (Map.Entry<?, ?> e : savedState.entrySet()) {
            int id = toIndex(e.getKey(), op);
            Tensor p = byIndex.get(id);
            if (p == null) throw new IllegalArgumentException(op + ": state for parameter " + id + " matches no parameter");
            if (!(e.getValue() instanceof Map<?, ?> ps)) throw new IllegalArgumentException(op + ": state of parameter " + id + " is not a map");
            if (states.put(p, checkParamState(op, id, p, ps, newOptions.get(groupOf.get(p)))) != null) {
                throw new IllegalArgumentException(op + ": state of parameter " + id + " is given twice");
            }
        }
        return new Checked(newOptions, states);
    }

    private Map<String, Object> checkParamState(String op, int id, Tensor p, Map<?, ?> saved, Map<String, Object> opts) {
        ParamGroup probe = ParamGroup.of(List.of());
        for (Map.Entry<String, Object> e : opts.entrySet()) probe.set(e.getKey(), e.getValue());
        for (String key : stateKeys(probe)) {
            if (!saved.containsKey(key)) {
                throw new IllegalArgumentException(op + ": state of parameter " + id + " lacks \"" + key + "\" (has "
                        + saved.keySet() + "); the state dict is from another optimizer type or other options");
            }
        }
        Set<String> perElement = tensorStateKeys(probe);
        Map<String, Object> s = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : saved.entrySet()) {
            String key = String.valueOf(e.getKey());
            String what = "\"" + key + "\" of parameter " + id;
            Object v = e.getValue();
            if ("step".equals(key)) {
                if (v instanceof Tensor t) {
                    checkOpen(op, what, t, p);
                    if (t.numel() != 1) throw new IllegalArgumentException(op + ": " + what + " has " + t.numel() + " elements, expected 1");
                    s.put(key, (long) t.item());
                } else if (v instanceof Number n) {
                    s.put(key, n.longValue());
                } else {
                    throw new IllegalArgumentException(op + ": " + what + " is not a number: " + v);
                }
                continue;
            }
            if (perElement.contains(key)) {
                if (!(v instanceof Tensor t)) {
                    throw new IllegalArgumentException(op + ": " + what + " must be a tensor of shape " + Arrays.toString(p.shape())
                            + ", got " + (v == null ? "null" : v.getClass().getSimpleName()));
                }
                if (!Arrays.equals(t.shape(), p.shape())) {
                    throw new IllegalArgumentException(op + ": " + what + " has shape "
                            + Arrays.toString(t.shape()) + " but the parameter has shape " + Arrays.toString(p.shape()));
                }
            }
            checkTensors(op, what, v, p);
            s.put(key, v);
        }
        return s;
    }

    /** The state keys whose values are tensors of the parameter's shape; {@link #stateKeys} less "step" unless overridden. */
    protected Set<String> tensorStateKeys(ParamGroup group) {
        Set<String> keys = new java.util.HashSet<>(stateKeys(group));
        keys.remove("step");
        return keys;
    }

    /** Checks every tensor of a state value (also inside lists) can be copied for {@code p}. */
    private static void checkTensors(String op, String what, Object v, Tensor p) {
        if (v instanceof Tensor t) checkOpen(op, what, t, p);
        else if (v instanceof List<?> l) for (Object o : l) checkTensors(op, what, o, p);
    }

    private static void checkOpen(String op, String what, Tensor t, Tensor p) {
        if (t.isClosed()) throw new IllegalArgumentException(op + ": " + what + " is a closed tensor");
        if (!t.device().equals(p.device())) {
            throw new IllegalArgumentException(op + ": " + what + " is on " + t.device() + " but the parameter is on " + p.device());
        }
    }

    /** A deep copy of a state value: tensors (also inside lists) cloned in the parameter's dtype. */
    private static Object copyState(Object v, Tensor p) {
        if (v instanceof Tensor t) {
            try (var off = Kindling.noGrad()) {
                return keep(t.to(p.dtype()).clone());
            }
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(copyState(o, p));
            return out;
        }
        return v;
    }

    private static void closeCopies(Object v) {
        if (v instanceof Tensor t) t.close();
        else if (v instanceof List<?> l) l.forEach(Optimizer::closeCopies);
    }

    private static int toIndex(Object o, String op) {
        if (o instanceof Number n) return n.intValue();
        if (o instanceof String str) {
            try {
                return Integer.parseInt(str);
            } catch (NumberFormatException ex) {
                // reported below
            }
        }
        throw new IllegalArgumentException(op + ": parameter index " + o + " is not an integer");
    }

    // ------------------------------------------------------------------ helpers for subclasses' validate()

    /** A numeric option for validate(); throws naming the key otherwise. */
    protected static double number(Map<String, Object> options, String key, String op) {
        Object v = options.get(key);
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException(op + ": option \"" + key + "\" must be a number, got " + v);
    }

    /** Checks that a numeric option is >= 0 for validate(). */
    protected static void nonNegative(Map<String, Object> options, String key, String what, String op) {
        double v = number(options, key, op);
        if (!(v >= 0)) throw new IllegalArgumentException(op + ": invalid " + what + " value: " + v + " (must be >= 0)");
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            for (Map.Entry<String, Object> e : groups.get(i).options().entrySet()) {
                Object v = e.getValue();
                sb.append("\n    ").append(e.getKey()).append(": ").append(v instanceof double[] d ? Arrays.toString(d) : v);
            }
        }
        return sb.append("\n)").toString();
    }
}
