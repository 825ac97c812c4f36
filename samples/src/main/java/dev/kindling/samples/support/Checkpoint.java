package dev.kindling.samples.support;

import dev.kindling.DType;
import dev.kindling.Tensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a checkpoint ({@code torch.save(dict, path)} / {@code torch.load(path)}) made of nested maps,
 * lists, numbers, strings and tensors: a model's {@code stateDict()}, an optimizer's {@code stateDict()}, the
 * epoch and the loss. The samples' own small binary format, used until the engine's {@code dev.kindling.io}
 * lands on this branch; it is not PyTorch's zip format.
 *
 * <pre>{@code
 * Checkpoint.save(Map.of("epoch", 5, "model_state_dict", model.stateDict()), path);
 * Map<String, Object> ck = Checkpoint.load(path);
 * }</pre>
 */
public final class Checkpoint {
    private static final int MAGIC = 0x4b4e4443; // "KNDC"
    private static final byte NULL = 0, TENSOR = 1, MAP = 2, LIST = 3, STRING = 4, LONG = 5, INT = 6, DOUBLE = 7, BOOL = 8;

    private Checkpoint() {}

    /** Writes {@code value} (a map, list, tensor, number, string or boolean, nested) to {@code file}. */
    public static void save(Object value, Path file) {
        try (var out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(MAGIC);
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint.save: cannot write " + file, e);
        }
    }

    /** Reads what {@link #save} wrote; the top level must be a map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file) {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) throw new IllegalArgumentException("Checkpoint.load: " + file + " is not a Kindling sample checkpoint");
            Object v = read(in);
            if (!(v instanceof Map)) throw new IllegalArgumentException("Checkpoint.load: " + file + " does not hold a map");
            return (Map<String, Object>) v;
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint.load: cannot read " + file, e);
        }
    }

    private static void write(DataOutputStream out, Object v) throws IOException {
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Tensor t) {
            out.writeByte(TENSOR);
            out.writeUTF(t.dtype().name());
            int[] shape = t.shape();
            out.writeInt(shape.length);
            for (int s : shape) out.writeInt(s);
            switch (t.dtype()) {
                case FLOAT32 -> { for (float f : t.toFloatArray()) out.writeFloat(f); }
                case FLOAT64 -> { for (double d : t.toDoubleArray()) out.writeDouble(d); }
                case INT64 -> { for (long l : t.toLongArray()) out.writeLong(l); }
                case INT32 -> { for (int i : t.toIntArray()) out.writeInt(i); }
                case BOOL -> { for (boolean b : t.toBooleanArray()) out.writeBoolean(b); }
                default -> throw new IllegalArgumentException("Checkpoint.save: unsupported dtype " + t.dtype());
            }
        } else if (v instanceof Map<?, ?> m) {
            out.writeByte(MAP);
            out.writeInt(m.size());
            for (var e : m.entrySet()) {
                write(out, e.getKey());
                write(out, e.getValue());
            }
        } else if (v instanceof List<?> l) {
            out.writeByte(LIST);
            out.writeInt(l.size());
            for (Object o : l) write(out, o);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            out.writeUTF(s);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof Double || v instanceof Float) {
            out.writeByte(DOUBLE);
            out.writeDouble(((Number) v).doubleValue());
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOL);
            out.writeBoolean(b);
        } else {
            throw new IllegalArgumentException("Checkpoint.save: cannot store a " + v.getClass().getName()
                    + " (expected map, list, tensor, number, string or boolean)");
        }
    }

    private static Object read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case NULL: return null;
            case TENSOR: {
                DType dtype = DType.valueOf(in.readUTF());
                int[] shape = new int[in.readInt()];
                int n = 1;
                for (int i = 0; i < shape.length; i++) { shape[i] = in.readInt(); n *= shape[i]; }
                switch (dtype) {
                    case FLOAT32: { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = in.readFloat(); return Tensor.fromArray(a, shape); }
                    case FLOAT64: { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = in.readDouble(); return Tensor.fromArray(a, shape); }
                    case INT64: { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = in.readLong(); return Tensor.fromArray(a, shape); }
                    case INT32: { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = in.readInt(); return Tensor.fromArray(a, shape); }
                    case BOOL: { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = in.readBoolean(); return Tensor.fromArray(a, shape); }
                    default: throw new IllegalArgumentException("Checkpoint.load: unsupported dtype " + dtype);
                }
            }
            case MAP: {
                int n = in.readInt();
                Map<Object, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) m.put(read(in), read(in));
                return m;
            }
            case LIST: {
                int n = in.readInt();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) l.add(read(in));
                return l;
            }
            case STRING: return in.readUTF();
            case LONG: return in.readLong();
            case INT: return in.readInt();
            case DOUBLE: return in.readDouble();
            case BOOL: return in.readBoolean();
            default: throw new IllegalArgumentException("Checkpoint.load: corrupt file (unknown entry kind " + kind + ")");
        }
    }
}
