package dev.kindling.io;

import dev.kindling.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads files written by PyTorch's {@code torch.save} (the zip format of PyTorch 1.6 and later:
 * {@code <name>/data.pkl}, {@code <name>/data/<key>} storages, optional {@code <name>/byteorder}) without
 * running any of their code: the pickle goes through a reader that accepts only the globals a state dict
 * needs ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter} and the storage types) and refuses every other global, such as
 * {@code os.system}, with its name. Views (storage offsets, strides) become contiguous tensors; F16 and BF16
 * storages load as FLOAT16 and BFLOAT16. Whole pickled modules ({@code torch.save(model)}) are refused: save
 * {@code model.state_dict()} instead.
 *
 * <pre>{@code net.loadStateDict(PyTorchFiles.loadStateDict(Path.of("weights.pt")));}</pre>
 */
public final class PyTorchFiles {
    private PyTorchFiles() {}

    /** The most a data.pkl may hold: state dict pickles are small, their tensors live in separate entries. */
    private static final int MAX_PICKLE_BYTES = 256 << 20;

    /** A {@code torch.save}d state dict: a dict from names to tensors, in the file's order. */
    public static LinkedHashMap<String, Tensor> loadStateDict(Path path) {
        Object root = load(path);
        if (!(root instanceof Map<?, ?> m)) {
            throw new FileFormatException(path, "holds a " + SafeUnpickler.describe(root) + ", not a state dict (a dict of tensors)");
        }
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Tensor t)) {
                throw new FileFormatException(path, "is not a state dict: entry '" + e.getKey() + "' holds a "
                        + SafeUnpickler.describe(e.getValue()) + " (use PyTorchFiles.load for checkpoints with other values)");
            }
            out.put(k, t);
        }
        return out;
    }

    /**
     * Everything a {@code torch.save} file holds, as plain Java values: dicts become {@code LinkedHashMap},
     * lists {@code ArrayList}, tuples unmodifiable lists, ints {@code Long} (or {@code BigInteger}), floats
     * {@code Double}, tensors {@link Tensor}. For checkpoints such as {@code {"epoch": 3, "model": sd}}.
     */
    public static Object load(Path path) {
        try (ZipFile zip = open(path)) {
            String prefix = findPrefix(path, zip);
            ByteOrder order = byteOrder(path, zip, prefix);
            byte[] pickle = read(path, zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES, false);
            Storages storages = new Storages(path, zip, prefix, order);
            return new SafeUnpickler(path, pickle, storages).load();
        } catch (IOException e) {
            throw new UncheckedIOException("PyTorchFiles.load: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static ZipFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new java.nio.file.NoSuchFileException(path.toString());
        try {
            return new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new FileFormatException(path, "not a zip archive, so not a torch.save file of PyTorch >= 1.6"
                    + " (older pickle-only files are not supported; re-save them with a current PyTorch)", e);
        }
    }

    private static String findPrefix(Path path, ZipFile zip) {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String name = en.nextElement().getName();
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) return name.substring(0, slash + 1);
        }
        throw new FileFormatException(path, "zip archive has no <name>/data.pkl entry, so it is not a torch.save file");
    }

    private static ByteOrder byteOrder(Path path, ZipFile zip, String prefix) throws IOException {
        ZipEntry e = zip.getEntry(prefix + "byteorder");
        if (e == null) return ByteOrder.LITTLE_ENDIAN;   // files from before the entry existed are little-endian
        String s = new String(read(path, zip, e, 16, false), java.nio.charset.StandardCharsets.US_ASCII).trim();
        return switch (s) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new FileFormatException(path, "unknown byteorder '" + s + "'");
        };
    }

    /** Reads an entry, never allocating more than the bytes that really arrive (at most {@code max}). */
    private static byte[] read(Path path, ZipFile zip, ZipEntry e, int max, boolean exact) throws IOException {
        try (InputStream s = zip.getInputStream(e)) {
            byte[] b;
            if (e.getMethod() == ZipEntry.STORED && e.getSize() == max && max <= Files.size(path)) {
                // torch.save stores entries uncompressed; such a size cannot exceed the file, so one allocation is safe
                b = new byte[max];
                b = Arrays.copyOf(b, s.readNBytes(b, 0, max));
            } else {
                b = s.readNBytes(max);   // grows with the bytes that really arrive
            }
            if (!exact && s.read() != -1) throw new FileFormatException(path, e.getName() + " is larger than " + max + " bytes");
            return b;
        }
    }

    /** Resolves storages (persistent ids) and the tensor-building calls of the pickle. */
    private static final class Storages implements SafeUnpickler.Resolver {
        private final Path path;
        private final ZipFile zip;
        private final String prefix;
        private final ByteOrder order;
        private final Map<String, Storage> loaded = new HashMap<>();

        Storages(Path path, ZipFile zip, String prefix, ByteOrder order) {
            this.path = path;
            this.zip = zip;
            this.prefix = prefix;
            this.order = order;
        }

        record Storage(StDType dtype, long numel, ByteBuffer bytes) {}

        @Override public Object persistentLoad(Object pid) {
            // ('storage', torch.FloatStorage, key, location, numel)
            if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                    || !(t.get(1) instanceof SafeUnpickler.Global type) || !(t.get(2) instanceof String key)
                    || !(t.get(4) instanceof Long numel)) {
                throw new FileFormatException(path, "data.pkl: unexpected persistent id " + pid);
            }
            StDType dtype = storageType(type.name());
            Storage s = loaded.get(key);
            if (s == null) {
                s = readStorage(key, dtype, numel);
                loaded.put(key, s);
            }
            return s;
        }

        private StDType storageType(String name) {
            return switch (name) {
                case "torch.FloatStorage" -> StDType.F32;
                case "torch.DoubleStorage" -> StDType.F64;
                case "torch.LongStorage" -> StDType.I64;
                case "torch.IntStorage" -> StDType.I32;
                case "torch.BoolStorage" -> StDType.BOOL;
                case "torch.HalfStorage" -> StDType.F16;
                case "torch.BFloat16Storage" -> StDType.BF16;
                default -> throw new FileFormatException(path, "data.pkl: " + name + " is not a storage type");
            };
        }

        private Storage readStorage(String key, StDType dtype, long numel) {
            ZipEntry e = zip.getEntry(prefix + "data/" + key);
            if (e == null) throw new FileFormatException(path, "storage '" + key + "' is missing from the archive");
            if (numel < 0 || numel > Integer.MAX_VALUE / dtype.size) {
                throw new FileFormatException(path, "storage '" + key + "' claims " + numel + " elements, more than a tensor can hold");
            }
            int bytes = (int) numel * dtype.size;
            try {
                byte[] data = read(path, zip, e, bytes, true);
                if (data.length != bytes) {
                    throw new FileFormatException(path, "storage '" + key + "' holds " + data.length + " bytes but "
                            + numel + " elements of " + dtype + " need " + bytes + " (truncated archive)");
                }
                return new Storage(dtype, numel, ByteBuffer.wrap(data).order(order));
            } catch (IOException ex) {
                throw new UncheckedIOException("PyTorchFiles.load: cannot read storage '" + key + "' of " + path, ex);
            }
        }

        @Override public Object call(SafeUnpickler.Global g, List<Object> args) {
            switch (g.name()) {
                case "collections.OrderedDict" -> {
                    if (!args.isEmpty()) throw new FileFormatException(path, "data.pkl: OrderedDict with arguments " + args);
                    return new LinkedHashMap<>();
                }
                case "torch._utils._rebuild_tensor_v2" -> {
                    return rebuild(args);
                }
                case "torch._utils._rebuild_parameter" -> {
                    if (args.isEmpty() || !(args.get(0) instanceof Tensor t)) {
                        throw new FileFormatException(path, "data.pkl: _rebuild_parameter without a tensor");
                    }
                    return t;   // state dicts hold data; requires_grad is the model's business
                }
                default -> throw new FileFormatException(path, "data.pkl: " + g.name() + " cannot be called");
            }
        }

        /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
        private Tensor rebuild(List<Object> a) {
            if (a.size() < 4 || !(a.get(0) instanceof Storage st) || !(a.get(1) instanceof Long offset)
                    || !(a.get(2) instanceof List<?> size) || !(a.get(3) instanceof List<?> stride) || size.size() != stride.size()) {
                throw new FileFormatException(path, "data.pkl: malformed _rebuild_tensor_v2 arguments");
            }
            int[] shape = new int[size.size()];
            long[] strides = new long[size.size()];
            long numel = 1, last = offset;
            for (int i = 0; i < shape.length; i++) {
                if (!(size.get(i) instanceof Long s) || s < 0 || s > Integer.MAX_VALUE
                        || !(stride.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE) {
                    throw new FileFormatException(path, "data.pkl: bad tensor size " + size + " or stride " + stride);
                }
                shape[i] = (int) (long) s;
                strides[i] = d;
                numel *= s;
                if (numel > Integer.MAX_VALUE) throw new FileFormatException(path, "data.pkl: tensor of size " + size + " is too large");
                // each step is below 2^62, but a forged file can stack enough of them to pass 2^63
                if (s > 0) last = last > Long.MAX_VALUE - (s - 1) * d ? Long.MAX_VALUE : last + (s - 1) * d;
            }
            if (offset < 0 || offset > st.numel() || (numel > 0 && last >= st.numel())) {
                throw new FileFormatException(path, "data.pkl: tensor of size " + size + ", stride " + stride + " and offset "
                        + offset + " reaches past its storage of " + st.numel() + " elements");
            }
            return TensorBytes.decode(gather(st, offset, shape, strides, (int) numel), st.dtype(), shape);
        }

        private static boolean contiguous(int[] shape, long[] strides) {
            long expected = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] != 1 && strides[d] != expected) return false;
                expected *= shape[d];
            }
            return true;
        }

        /** The view's elements in row-major order, as bytes in the storage's byte order. */
        private static ByteBuffer gather(Storage st, long offset, int[] shape, long[] strides, int numel) {
            int es = st.dtype().size;
            if (numel == 0) return ByteBuffer.allocate(0).order(st.bytes().order());
            // a contiguous view is a window on the storage: no copy before the tensor's own
            if (contiguous(shape, strides)) return st.bytes().slice((int) offset * es, numel * es).order(st.bytes().order());
            ByteBuffer out = ByteBuffer.allocate(numel * es).order(st.bytes().order());
            int[] idx = new int[shape.length];
            for (int n = 0; n < numel; n++) {
                long e = offset;
                for (int d = 0; d < shape.length; d++) e += idx[d] * strides[d];
                out.put(n * es, st.bytes(), (int) e * es, es);
                for (int d = shape.length - 1; d >= 0 && ++idx[d] == shape[d]; d--) idx[d] = 0;
            }
            return out;
        }
    }
}
