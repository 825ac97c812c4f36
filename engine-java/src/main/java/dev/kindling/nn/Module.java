package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Scope;
import dev.kindling.Tensor;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The base of every layer and model ({@code torch.nn.Module}). Fields holding a {@link Parameter} or a
 * {@code Module} are registered under their field names, in declaration order (superclass fields first),
 * followed by anything registered explicitly; buffers are registered with {@link #registerBuffer}.
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = new Linear(784, 512), fc2 = new Linear(512, 10);
 *     @Override public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x.flatten(1)))); }
 * }
 * }</pre>
 * Modules whose forward takes other arguments (losses, {@link Bilinear}) define their own {@code forward}
 * overloads.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> registeredParameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> registeredBuffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> registeredModules = new LinkedHashMap<>();
    private boolean training = true;
    // set when a parent first lists this module among its children: gives error messages the module's path
    private Module parent;
    private String nameInParent;

    /** Computes the output for one input; called by the user, by containers and by the DSL's invoke. */
    public abstract Tensor forward(Tensor input);

    // ------------------------------------------------------------------ registration

    /** Registers {@code module} as a child called {@code name} ({@code add_module}); returns it. */
    public <M extends Module> M registerModule(String name, M module) {
        checkName("registerModule", name);
        if (module == this) throw new IllegalArgumentException("registerModule: a module cannot be its own child");
        registeredModules.put(name, module);
        return module;
    }

    /** Registers {@code param} as a parameter called {@code name}; null removes it. Returns it. */
    public Parameter registerParameter(String name, Parameter param) {
        checkName("registerParameter", name);
        if (param == null) registeredParameters.remove(name);
        else registeredParameters.put(name, param);
        return param;
    }

    /**
     * Registers a buffer: state saved in {@link #stateDict()} but not trained (BatchNorm's running mean).
     * Returns the stored tensor, an alias of {@code tensor} owned by no scope: keep that one in a field.
     * <pre>{@code final Tensor mask = registerBuffer("mask", Tensor.ones(3));}</pre>
     */
    public Tensor registerBuffer(String name, Tensor tensor) {
        checkName("registerBuffer", name);
        if (tensor == null) {
            registeredBuffers.remove(name);
            return null;
        }
        Tensor stored = Scope.escape(tensor.detach());
        registeredBuffers.put(name, stored);
        return stored;
    }

    /** The buffer registered under {@code name}, or null. */
    protected final Tensor buffer(String name) { return registeredBuffers.get(name); }

    private void checkName(String op, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(op + ": name must be non-empty and contain no '.', got \"" + name + "\"");
        }
    }

    // ------------------------------------------------------------------ discovery

    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override protected Field[] computeValue(Class<?> type) {
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> c = type; c != null && c != Module.class; c = c.getSuperclass()) chain.add(c);
            Collections.reverse(chain);
            List<Field> out = new ArrayList<>();
            for (Class<?> c : chain) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) continue;
                    Class<?> t = f.getType();
                    if (Tensor.class.isAssignableFrom(t) || Module.class.isAssignableFrom(t)) {
                        try {
                            f.setAccessible(true);
                        } catch (RuntimeException e) {
                            // a class in a named module that does not open its package: register explicitly instead
                            continue;
                        }
                        out.add(f);
                    }
                }
            }
            return out.toArray(new Field[0]);
        }
    };

    private Object read(Field f) {
        try {
            return f.get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(typeName() + ": cannot read field " + f.getName(), e);
        }
    }

    /** This module's own parameters (not its children's), fields first. */
    private LinkedHashMap<String, Parameter> ownParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        for (Field f : FIELDS.get(getClass())) {
            if (read(f) instanceof Parameter p) out.put(f.getName(), p);
        }
        registeredParameters.forEach(out::putIfAbsent);
        return out;
    }

    /** The direct children with their names ({@code named_children}), fields first. */
    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        for (Field f : FIELDS.get(getClass())) {
            if (read(f) instanceof Module m && m != this) out.put(f.getName(), m);
        }
        registeredModules.forEach(out::putIfAbsent);
        for (Map.Entry<String, Module> e : out.entrySet()) {
            if (e.getValue().parent == null) {
                e.getValue().parent = this;
                e.getValue().nameInParent = e.getKey();
            }
        }
        return out;
    }

    /** The direct children. */
    public List<Module> children() { return new ArrayList<>(namedChildren().values()); }

    /** This module and all below it, pre-order, each once, keyed by dotted path ("" for this one). */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.namedChildren().entrySet()) {
            collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
        }
    }

    /** This module and all below it ({@code modules()}). */
    public List<Module> modules() { return new ArrayList<>(namedModules().values()); }

    /** Every parameter with its dotted name ({@code fc1.weight}), each object once. */
    public LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            for (Map.Entry<String, Parameter> p : m.getValue().ownParameters().entrySet()) {
                if (seen.add(p.getValue())) out.put(join(m.getKey(), p.getKey()), p.getValue());
            }
        }
        return out;
    }

    /** Every parameter, for an optimizer: {@code new SGD(net.parameters(), 0.01)}. */
    public List<Tensor> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Every buffer with its dotted name ({@code bn.running_mean}). */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            for (Map.Entry<String, Tensor> b : m.getValue().registeredBuffers.entrySet()) {
                if (seen.add(b.getValue())) out.put(join(m.getKey(), b.getKey()), b.getValue());
            }
        }
        return out;
    }

    /** Every buffer (running statistics and the like), each once. */
    public List<Tensor> buffers() { return new ArrayList<>(namedBuffers().values()); }

    private static String join(String prefix, String name) { return prefix.isEmpty() ? name : prefix + "." + name; }

    /** Number of parameter elements; {@code trainableOnly} counts only those that require grad. */
    public long numParameters(boolean trainableOnly) {
        long n = 0;
        for (Tensor p : parameters()) if (!trainableOnly || p.requiresGrad()) n += p.numel();
        return n;
    }

    /** Number of parameter elements ({@code sum(p.numel() for p in model.parameters())}). */
    public long numParameters() { return numParameters(false); }

    // ------------------------------------------------------------------ modes and bulk changes

    /** Sets training mode on this module and all below it; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) m.training = mode;
        return this;
    }

    /** Training mode for this module and all below it; returns this. */
    public Module train() { return train(true); }

    /** Evaluation mode: Dropout off, BatchNorm uses its running statistics. Returns this. */
    public Module eval() { return train(false); }

    /** Whether this module is in training mode. */
    public boolean isTraining() { return training; }

    /** Calls {@code fn} on every child (recursively) and then on this module, like {@code apply}. Returns this. */
    public Module apply(Consumer<Module> fn) {
        for (Module c : children()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    /** Clears every parameter's gradient (sets it to null, as PyTorch 2 does). */
    public void zeroGrad() {
        for (Tensor p : parameters()) p.setGrad(null);
    }

    /** Freezes ({@code false}) or unfreezes every parameter; returns this. */
    public Module requiresGrad(boolean value) {
        for (Tensor p : parameters()) p.requiresGrad(value);
        return this;
    }

    /** Converts floating point parameters and buffers (and their grads) to {@code dtype}; returns this. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("Module.to: only floating point dtypes are allowed, got " + dtype);
        }
        return convert(t -> t.dtype().isFloatingPoint() && t.dtype() != dtype ? t.to(dtype) : t);
    }

    /** {@code net.half()}: floating point parameters and buffers to FLOAT16; returns this. */
    public Module half() { return to(DType.FLOAT16); }

    /** {@code net.bfloat16()}: floating point parameters and buffers to BFLOAT16; returns this. */
    public Module bfloat16() { return to(DType.BFLOAT16); }

    /** {@code net.float()}: floating point parameters and buffers to FLOAT32; returns this. */
    public Module float_() { return to(DType.FLOAT32); }

    /** {@code net.double()}: floating point parameters and buffers to FLOAT64; returns this. */
    public Module double_() { return to(DType.FLOAT64); }

    /** Moves parameters and buffers to {@code device}; returns this. */
    public Module to(Device device) { return convert(t -> t.to(device)); }

    private Module convert(UnaryOperator<Tensor> fn) {
        // one conversion per tensor object, so that weights shared between modules stay shared
        Map<Tensor, Tensor> done = new IdentityHashMap<>();
        for (Module m : modules()) {
            for (Parameter p : m.ownParameters().values()) {
                Tensor np = done.get(p);
                if (np == null) {
                    Tensor moved;
                    try (var off = Kindling.noGrad()) {
                        moved = fn.apply(p);
                    }
                    if (moved == p) {
                        done.put(p, p);
                        continue;
                    }
                    Parameter fresh = new Parameter(moved, p.requiresGrad());
                    if (p.grad() != null) fresh.setGrad(fn.apply(p.grad()));
                    done.put(p, fresh);
                    np = fresh;
                }
                if (np != p) m.replace(p, np);
            }
            for (Tensor b : new ArrayList<>(m.registeredBuffers.values())) {
                Tensor nb = done.get(b);
                if (nb == null) {
                    Tensor moved = fn.apply(b);
                    nb = moved == b ? b : Scope.escape(moved.detach());
                    done.put(b, nb);
                }
                if (nb != b) m.replace(b, nb);
            }
        }
        return this;
    }

    /** Points every field and registration that holds {@code old} at {@code neu}. */
    private void replace(Tensor old, Tensor neu) {
        for (Field f : FIELDS.get(getClass())) {
            if (read(f) == old) {
                try {
                    f.set(this, neu);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(typeName() + ": cannot update field " + f.getName(), e);
                }
            }
        }
        registeredParameters.replaceAll((k, v) -> v == old ? (Parameter) neu : v);
        registeredBuffers.replaceAll((k, v) -> v == old ? neu : v);
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and buffers by dotted name, with PyTorch's keys and layouts, sharing this module's memory.
     * <pre>{@code Safetensors.save(net.stateDict(), path);}</pre>
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        collectState("", out);
        return out;
    }

    // no de-duplication here, as in PyTorch: a module reachable under two names is saved under both
    private void collectState(String prefix, Map<String, Tensor> out) {
        ownParameters().forEach((k, v) -> out.put(prefix + k, Scope.escape(v.detach())));
        registeredBuffers.forEach((k, v) -> out.put(prefix + k, Scope.escape(v.detach())));
        namedChildren().forEach((k, m) -> m.collectState(prefix + k + ".", out));
    }

    /** Keys that {@link #loadStateDict(Map, boolean)} found missing or unexpected (non-strict mode). */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {}

    /** Copies {@code stateDict}'s values into this module's parameters and buffers, strictly. */
    public LoadResult loadStateDict(Map<String, Tensor> stateDict) { return loadStateDict(stateDict, true); }

    /**
     * Copies values in place. Strict: every key must match; otherwise missing and unexpected keys are
     * returned. A shape mismatch, a null or closed tensor, or a tensor on another device always throws.
     * Nothing is copied when an error is thrown: every entry is checked before the first one is copied.
     */
    public LoadResult loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        Map<String, Tensor> own = stateDict();
        LoadResult result = check(own, stateDict, strict);
        try (var off = Kindling.noGrad()) {
            for (Map.Entry<String, Tensor> e : own.entrySet()) {
                Tensor src = stateDict.get(e.getKey());
                if (src != null) e.getValue().copy_(src);
            }
        }
        return result;
    }

    /**
     * Checks that {@link #loadStateDict(Map, boolean)} would succeed, changing nothing: throws what it would
     * throw, otherwise returns its result. {@code Checkpoint.restore} checks every part of a checkpoint this way
     * before loading any.
     */
    public LoadResult checkStateDict(Map<String, Tensor> stateDict, boolean strict) {
        return check(stateDict(), stateDict, strict);
    }

    private LoadResult check(Map<String, Tensor> own, Map<String, Tensor> stateDict, boolean strict) {
        if (stateDict == null) throw new IllegalArgumentException("loadStateDict: state_dict must not be null");
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (String k : own.keySet()) if (!stateDict.containsKey(k)) missing.add(k);
        for (String k : stateDict.keySet()) if (!own.containsKey(k)) unexpected.add(k);
        for (Map.Entry<String, Tensor> e : own.entrySet()) {
            if (!stateDict.containsKey(e.getKey())) continue;
            // read untyped: a map cast without checks (Kotlin's `as Map<String, Tensor>`) may hold anything
            Object value = ((Map<String, ?>) stateDict).get(e.getKey());
            Tensor dst = e.getValue();
            // everything copy_ could refuse is refused here, before the first parameter is overwritten
            if (!(value instanceof Tensor src)) {
                errors.add("value for " + e.getKey() + " is " + (value == null ? "null" : "a " + value.getClass().getSimpleName()
                        + ", not a Tensor") + ".");
            } else if (src.isClosed()) {
                errors.add("tensor for " + e.getKey() + " was closed (shape " + Arrays.toString(src.shape()) + ").");
            } else if (!Arrays.equals(src.shape(), dst.shape())) {
                errors.add("size mismatch for " + e.getKey() + ": copying a param with shape " + Arrays.toString(src.shape())
                        + " from checkpoint, the shape in current model is " + Arrays.toString(dst.shape()) + ".");
            } else if (!src.device().equals(dst.device())) {
                errors.add("device mismatch for " + e.getKey() + ": the tensor in state_dict is on " + src.device()
                        + ", the parameter in current model is on " + dst.device() + ".");
            }
        }
        if (strict && !unexpected.isEmpty()) errors.add(0, "Unexpected key(s) in state_dict: " + quoted(unexpected) + ".");
        if (strict && !missing.isEmpty()) errors.add(0, "Missing key(s) in state_dict: " + quoted(missing) + ".");
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: Error(s) in loading state_dict for " + typeName() + ":\n\t"
                    + String.join("\n\t", errors));
        }
        return new LoadResult(missing, unexpected);
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (String k : keys) sb.append(sb.length() == 0 ? "" : ", ").append('"').append(k).append('"');
        return sb.toString();
    }

    // ------------------------------------------------------------------ naming and printing

    /** The class name shown by {@link #toString()} and in error messages. */
    protected String typeName() {
        String n = getClass().getSimpleName();
        return n.isEmpty() ? "Module" : n;
    }

    /** The dotted path of this module inside the model it was attached to ("" for a root). */
    public String path() {
        if (parent == null) return "";
        String p = parent.path();
        return p.isEmpty() ? nameInParent : p + "." + nameInParent;
    }

    /** {@code fc2 (Linear)} once attached to a model, {@code Linear} on its own: the prefix of error messages. */
    protected String where() {
        String p = path();
        return p.isEmpty() ? typeName() : p + " (" + typeName() + ")";
    }

    /** An error naming this module: {@code fc2 (Linear): <message>}. */
    protected IllegalArgumentException error(String message) { return new IllegalArgumentException(where() + ": " + message); }

    /** The text between the parentheses of {@link #toString()}, e.g. {@code in_features=784, out_features=512, bias=True}. */
    protected String extraRepr() { return ""; }

    static String pyBool(boolean b) { return b ? "True" : "False"; }

    /** A double as Python's {@code repr} writes it: {@code 1e-05}, {@code 0.1}, {@code 1.0}. */
    static String pyFloat(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e16) return (long) v + ".0";
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e16) return java.math.BigDecimal.valueOf(v).toPlainString();
        String s = Double.toString(v);
        if (s.contains("E")) {
            // Python prints 1e-05, Java 1.0E-5
            String[] parts = s.split("E");
            String mant = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exp = Integer.parseInt(parts[1]);
            return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
        return s;
    }

    static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** The module tree, printed exactly like PyTorch's {@code repr(model)}. */
    @Override public String toString() {
        List<String> extraLines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) extraLines.addAll(Arrays.asList(extra.split("\n", -1)));
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> e : namedChildren().entrySet()) {
            childLines.add("(" + e.getKey() + "): " + e.getValue().toString().replace("\n", "\n  "));
        }
        List<String> lines = new ArrayList<>(extraLines);
        lines.addAll(childLines);
        StringBuilder sb = new StringBuilder(typeName()).append('(');
        if (!lines.isEmpty()) {
            if (extraLines.size() == 1 && childLines.isEmpty()) sb.append(extraLines.get(0));
            else sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }
}
