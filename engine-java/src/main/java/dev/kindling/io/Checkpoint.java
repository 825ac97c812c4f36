package dev.kindling.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.Tensor;
import dev.kindling.amp.GradScaler;
import dev.kindling.nn.Module;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.lr.LRScheduler;
import dev.kindling.optim.lr.ReduceLROnPlateau;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and restores a whole training checkpoint (epoch, model and optimizer state dicts, scheduler state,
 * loss, ...) in one file, with atomic replacement so a crash never leaves a broken checkpoint behind.
 *
 * <pre>{@code
 * Checkpoint.save(Path.of("ckpt.safetensors"), Map.of("epoch", 5, "model", net.stateDict(),
 *         "optimizer", opt.stateDict(), "loss", 0.4));
 * Map<String, Object> c = Checkpoint.load(Path.of("ckpt.safetensors"));
 * net.loadStateDict((Map<String, Tensor>) c.get("model"));
 * int epoch = (Integer) c.get("epoch");
 * }</pre>
 *
 * <h2>Values</h2>
 * Maps (keys String, Integer or Long; order kept), Lists, {@link Tensor}s, Integer, Long, Float, Double,
 * Boolean, String, null, and {@code int[]}, {@code long[]}, {@code float[]}, {@code double[]},
 * {@code boolean[]}, nested freely. Loading gives back the same structure with the same Java types
 * (LinkedHashMap, ArrayList, Integer stays Integer, ...). A tensor object that appears twice is stored once
 * and comes back as one tensor object in both places.
 *
 * <h2>File format</h2>
 * A plain {@link Safetensors} file, so any safetensors reader sees every tensor. Each tensor is named by
 * its path in the structure, keys joined with {@code /} ({@code model/fc1.weight},
 * {@code optimizer/state/0/exp_avg}; a {@code #n} suffix keeps names unique). The header's
 * {@code __metadata__} holds {@code "format": "kindling.checkpoint"}, {@code "version": "1"} and
 * {@code "structure"}: the rest of the structure as JSON, each value encoded as
 * <pre>
 *   null, true, false, "text"          themselves
 *   {"int": 5}  {"long": 5}  {"float": 0.5}  {"double": 0.4}  ("NaN", "Infinity", "-Infinity" as strings)
 *   {"tensor": "model/fc1.weight"}     a tensor of the file
 *   {"list": [v, ...]}                 a List
 *   {"map": [[k, v], ...]}             a Map; keys encoded like values, order kept
 *   {"int[]": [..]} {"long[]": [..]} {"float[]": [..]} {"double[]": [..]} {"boolean[]": [..]}
 * </pre>
 * e.g. {@code {"map":[["epoch",{"int":5}],["model",{"map":[["fc1.weight",{"tensor":"model/fc1.weight"}]]}]]}}.
 */
public final class Checkpoint {
    private Checkpoint() {}

    static final String FORMAT = "kindling.checkpoint";
    static final String VERSION = "1";

    /** Writes {@code state} to {@code path}, replacing any previous file atomically. */
    public static void save(Path path, Map<String, ?> state) {
        Objects.requireNonNull(path, "Checkpoint.save: path");
        Objects.requireNonNull(state, "Checkpoint.save: state");
        Encoder enc = new Encoder();
        JsonNode structure = enc.encode(state, "");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("structure", structure.toString());
        Safetensors.save(enc.tensors, path, meta);
    }

    /** Reads a checkpoint written by {@link #save}, tensors on the CPU. */
    public static Map<String, Object> load(Path path) { return load(path, LoadOptions.defaults()); }

    /** Reads a checkpoint written by {@link #save}, as {@code options} say (device, memory-mapped reads). */
    public static Map<String, Object> load(Path path, LoadOptions options) {
        Safetensors.Contents c = Safetensors.read(path, options);
        try {
            return structure(path, c);
        } catch (RuntimeException e) {
            c.tensors().values().forEach(Tensor::close);
            throw e;
        }
    }

    /**
     * Loads the state dicts of a checkpoint into their owners, all or nothing: every part is checked before
     * any is loaded, so a bad optimizer state never leaves the model half restored. Each key of {@code targets}
     * names the checkpoint entry holding the state of its value: a {@link Module} (loaded strictly), an
     * {@link Optimizer}, an {@link LRScheduler}, a {@link ReduceLROnPlateau} or a {@link GradScaler}.
     * <pre>{@code
     * Checkpoint.restore(Checkpoint.load(path), Map.of("model", net, "optimizer", opt, "scheduler", sched, "scaler", scaler));
     * }</pre>
     */
    @SuppressWarnings("unchecked")
    public static void restore(Map<String, ?> checkpoint, Map<String, ?> targets) {
        Objects.requireNonNull(checkpoint, "Checkpoint.restore: checkpoint");
        Objects.requireNonNull(targets, "Checkpoint.restore: targets");
        List<Runnable> loads = new ArrayList<>();
        for (Map.Entry<String, ?> e : targets.entrySet()) {
            String key = e.getKey();
            Object target = e.getValue();
            if (!(checkpoint.get(key) instanceof Map<?, ?> part)) {
                throw new IllegalArgumentException("Checkpoint.restore: entry \"" + key + "\" is "
                        + (checkpoint.containsKey(key) ? "not a state dict: " + describe(checkpoint.get(key)) : "missing")
                        + " (the checkpoint has " + checkpoint.keySet() + ")");
            }
            try {
                if (target instanceof Module m) {
                    Map<String, Tensor> sd = (Map<String, Tensor>) part;
                    m.checkStateDict(sd, true);
                    loads.add(() -> m.loadStateDict(sd));
                } else if (target instanceof Optimizer o) {
                    Map<String, ?> sd = (Map<String, ?>) part;
                    o.checkStateDict(sd);
                    loads.add(() -> o.loadStateDict(sd));
                } else if (target instanceof LRScheduler s) {
                    Map<String, ?> sd = (Map<String, ?>) part;
                    s.checkStateDict(sd);
                    loads.add(() -> s.loadStateDict(sd));
                } else if (target instanceof ReduceLROnPlateau s) {
                    Map<String, ?> sd = (Map<String, ?>) part;
                    s.checkStateDict(sd);
                    loads.add(() -> s.loadStateDict(sd));
                } else if (target instanceof GradScaler s) {
                    Map<String, ?> sd = (Map<String, ?>) part;
                    s.checkStateDict(sd);
                    loads.add(() -> s.loadStateDict(sd));
                } else {
                    throw new IllegalArgumentException("target for \"" + key + "\" is " + describe(target)
                            + "; expected a Module, an Optimizer, an LRScheduler, a ReduceLROnPlateau or a GradScaler");
                }
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("Checkpoint.restore: \"" + key + "\": " + ex.getMessage(), ex);
            }
        }
        // every part passed its checks: loading cannot fail now
        loads.forEach(Runnable::run);
    }

    private static String describe(Object o) { return o == null ? "null" : "a " + o.getClass().getSimpleName(); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structure(Path path, Safetensors.Contents c) {
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format")) || meta.get("structure") == null) {
            throw new FileFormatException(path, "is a safetensors file but not a Kindling checkpoint (no \"format\": \""
                    + FORMAT + "\" metadata); use Safetensors.load for plain state dicts");
        }
        if (!VERSION.equals(meta.get("version"))) {
            throw new FileFormatException(path, "checkpoint format version " + meta.get("version") + " is not supported (expected " + VERSION + ")");
        }
        try {
            JsonNode root = SafetensorsHeader.JSON.readTree(meta.get("structure"));
            Object value = new Decoder(path, c.tensors()).decode(root);
            if (!(value instanceof Map<?, ?> m)) throw new FileFormatException(path, "checkpoint structure is not a map");
            return (Map<String, Object>) m;
        } catch (JsonProcessingException e) {
            throw new FileFormatException(path, "checkpoint structure is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Turns a structure into its JSON skeleton, collecting the tensors under their path names. */
    private static final class Encoder {
        final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        private final IdentityHashMap<Tensor, String> seen = new IdentityHashMap<>();

        JsonNode encode(Object v, String path) {
            if (v == null) return NODES.nullNode();
            if (v instanceof Boolean b) return NODES.booleanNode(b);
            if (v instanceof String s) return NODES.textNode(s);
            if (v instanceof Integer i) return tagged("int", NODES.numberNode(i));
            if (v instanceof Long l) return tagged("long", NODES.numberNode(l));
            if (v instanceof Float f) return tagged("float", number(f));
            if (v instanceof Double d) return tagged("double", number(d));
            if (v instanceof Tensor t) return tagged("tensor", NODES.textNode(tensorName(t, path)));
            if (v instanceof Map<?, ?> m) {
                ArrayNode entries = NODES.arrayNode();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    Object k = e.getKey();
                    if (!(k instanceof String) && !(k instanceof Integer) && !(k instanceof Long)) {
                        throw new IllegalArgumentException("Checkpoint.save: map key " + k + " at '" + path + "' is a "
                                + (k == null ? "null" : k.getClass().getSimpleName()) + "; keys must be String, Integer or Long");
                    }
                    entries.add(NODES.arrayNode().add(encode(k, path)).add(encode(e.getValue(), join(path, k))));
                }
                return tagged("map", entries);
            }
            if (v instanceof List<?> list) {
                ArrayNode items = NODES.arrayNode();
                for (int i = 0; i < list.size(); i++) items.add(encode(list.get(i), join(path, i)));
                return tagged("list", items);
            }
            if (v instanceof int[] a) { ArrayNode n = NODES.arrayNode(); for (int x : a) n.add(x); return tagged("int[]", n); }
            if (v instanceof long[] a) { ArrayNode n = NODES.arrayNode(); for (long x : a) n.add(x); return tagged("long[]", n); }
            if (v instanceof float[] a) { ArrayNode n = NODES.arrayNode(); for (float x : a) n.add(number(x)); return tagged("float[]", n); }
            if (v instanceof double[] a) { ArrayNode n = NODES.arrayNode(); for (double x : a) n.add(number(x)); return tagged("double[]", n); }
            if (v instanceof boolean[] a) { ArrayNode n = NODES.arrayNode(); for (boolean x : a) n.add(x); return tagged("boolean[]", n); }
            throw new IllegalArgumentException("Checkpoint.save: value at '" + path + "' is a " + v.getClass().getName()
                    + "; supported: Map, List, Tensor, Integer, Long, Float, Double, Boolean, String, null and primitive arrays");
        }

        private String tensorName(Tensor t, String path) {
            String known = seen.get(t);
            if (known != null) return known;
            String name = path.isEmpty() ? "tensor" : path;
            for (int n = 2; tensors.containsKey(name) || name.equals(SafetensorsHeader.METADATA_KEY); n++) name = path + "#" + n;
            tensors.put(name, t);
            seen.put(t, name);
            return name;
        }

        private static String join(String path, Object key) { return path.isEmpty() ? String.valueOf(key) : path + "/" + key; }

        private static JsonNode number(double d) {
            if (Double.isNaN(d)) return NODES.textNode("NaN");
            if (Double.isInfinite(d)) return NODES.textNode(d > 0 ? "Infinity" : "-Infinity");
            return NODES.numberNode(d);
        }

        private static JsonNode number(float f) {
            return Float.isFinite(f) ? NODES.numberNode(f) : number((double) f);
        }

        private static ObjectNode tagged(String tag, JsonNode value) {
            ObjectNode o = NODES.objectNode();
            o.set(tag, value);
            return o;
        }
    }

    /** Rebuilds the structure from its skeleton and the file's tensors. */
    private static final class Decoder {
        private final Path file;
        private final Map<String, Tensor> tensors;

        Decoder(Path file, Map<String, Tensor> tensors) {
            this.file = file;
            this.tensors = tensors;
        }

        Object decode(JsonNode n) {
            if (n.isNull()) return null;
            if (n.isBoolean()) return n.booleanValue();
            if (n.isTextual()) return n.textValue();
            if (!n.isObject() || n.size() != 1) throw bad("unexpected node " + abbreviate(n));
            Map.Entry<String, JsonNode> e = n.fields().next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "int": {
                    if (!integral(v).canConvertToInt()) throw bad("int " + v + " is out of range");
                    return v.intValue();
                }
                case "long": return integral(v).longValue();
                case "float": return (float) real(v);
                case "double": return real(v);
                case "tensor": {
                    Tensor t = tensors.get(v.asText());
                    if (!v.isTextual() || t == null) throw bad("tensor '" + v.asText() + "' is named in the structure but missing from the file");
                    return t;
                }
                case "list": {
                    List<Object> out = new ArrayList<>(array(v).size());
                    for (JsonNode item : v) out.add(decode(item));
                    return out;
                }
                case "map": {
                    Map<Object, Object> out = new LinkedHashMap<>();
                    for (JsonNode kv : array(v)) {
                        if (!kv.isArray() || kv.size() != 2) throw bad("map entry " + abbreviate(kv) + " is not [key, value]");
                        out.put(decode(kv.get(0)), decode(kv.get(1)));
                    }
                    return out;
                }
                case "int[]": { int[] a = new int[array(v).size()]; for (int i = 0; i < a.length; i++) a[i] = integral(v.get(i)).intValue(); return a; }
                case "long[]": { long[] a = new long[array(v).size()]; for (int i = 0; i < a.length; i++) a[i] = integral(v.get(i)).longValue(); return a; }
                case "float[]": { float[] a = new float[array(v).size()]; for (int i = 0; i < a.length; i++) a[i] = (float) real(v.get(i)); return a; }
                case "double[]": { double[] a = new double[array(v).size()]; for (int i = 0; i < a.length; i++) a[i] = real(v.get(i)); return a; }
                case "boolean[]": {
                    boolean[] a = new boolean[array(v).size()];
                    for (int i = 0; i < a.length; i++) {
                        if (!v.get(i).isBoolean()) throw bad("boolean[] holds " + abbreviate(v.get(i)));
                        a[i] = v.get(i).booleanValue();
                    }
                    return a;
                }
                default: throw bad("unknown value tag '" + e.getKey() + "'");
            }
        }

        private JsonNode integral(JsonNode v) {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) throw bad("expected an integer, got " + abbreviate(v));
            return v;
        }

        private double real(JsonNode v) {
            if (v.isNumber()) return v.doubleValue();
            if (v.isTextual()) {
                switch (v.textValue()) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
            throw bad("expected a number, got " + abbreviate(v));
        }

        private JsonNode array(JsonNode v) {
            if (!v.isArray()) throw bad("expected an array, got " + abbreviate(v));
            return v;
        }

        private FileFormatException bad(String problem) {
            return new FileFormatException(file, "checkpoint structure: " + problem);
        }

        private static String abbreviate(JsonNode n) {
            String s = n.toString();
            return s.length() > 80 ? s.substring(0, 77) + "..." : s;
        }
    }

}
