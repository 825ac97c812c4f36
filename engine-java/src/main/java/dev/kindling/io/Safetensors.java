package dev.kindling.io;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kindling.Device;
import dev.kindling.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format, so state
 * dicts move between Kindling and PyTorch ({@code safetensors.torch.save_file} / {@code load_file}).
 *
 * <pre>{@code
 * Safetensors.save(net.stateDict(), Path.of("model.safetensors"));
 * net.loadStateDict(Safetensors.load(Path.of("model.safetensors")));
 * }</pre>
 *
 * The layout is the reference one: an 8-byte little-endian header length N; N bytes of UTF-8 JSON
 * {@code {"__metadata__": {...}, "name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}}
 * padded with spaces to a multiple of 8; then the little-endian, row-major tensor data, ordered as the
 * reference writer orders it (by dtype alignment, largest first, then by name). FLOAT32, FLOAT64, INT64, INT32
 * and BOOL are written as F32, F64, I64, I32 and BOOL; F16 and BF16 files load as FLOAT32. Writes are atomic:
 * a failed save leaves any previous file untouched.
 */
public final class Safetensors {
    private Safetensors() {}

    /** Writes {@code tensors} to {@code path} with no metadata. */
    public static void save(Map<String, ? extends Tensor> tensors, Path path) { save(tensors, path, null); }

    /**
     * Writes {@code tensors} to {@code path} with {@code metadata} as the header's {@code __metadata__} (null
     * for none). Non-contiguous tensors are written as their contiguous values; tensors on another device are
     * copied to the CPU.
     */
    public static void save(Map<String, ? extends Tensor> tensors, Path path, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "Safetensors.save: tensors");
        Objects.requireNonNull(path, "Safetensors.save: path");
        List<Map.Entry<String, Tensor>> order = new ArrayList<>();
        tensors.forEach((k, v) -> order.add(new java.util.AbstractMap.SimpleImmutableEntry<>(k, v)));
        for (Map.Entry<String, Tensor> e : order) {
            if (e.getKey() == null) throw new IllegalArgumentException("Safetensors.save: a tensor name is null");
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY)) {
                throw new IllegalArgumentException("Safetensors.save: '" + SafetensorsHeader.METADATA_KEY + "' is reserved for metadata, not a tensor name");
            }
            if (e.getValue() == null) throw new IllegalArgumentException("Safetensors.save: tensor '" + e.getKey() + "' is null");
        }
        if (metadata != null) {
            metadata.forEach((k, v) -> {
                if (k == null || v == null) throw new IllegalArgumentException("Safetensors.save: metadata keys and values must not be null");
            });
        }
        // the reference writer's order: larger dtype alignment first, then names compared as UTF-8 bytes
        order.sort(Comparator.<Map.Entry<String, Tensor>, StDType>comparing(e -> StDType.of(e.getValue().dtype()), Comparator.reverseOrder())
                .thenComparing(e -> e.getKey().getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        byte[] header = header(order, metadata);
        AtomicFile.write("Safetensors.save", path, out -> {
            ByteBuffer prefix = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            prefix.putLong(header.length).put(header).flip();
            AtomicFile.writeFully(out, prefix);
            for (Map.Entry<String, Tensor> e : order) {
                ByteBuffer data = e.getValue().toByteBuffer(ByteOrder.LITTLE_ENDIAN);
                AtomicFile.writeFully(out, data);
            }
        });
    }

    private static byte[] header(List<Map.Entry<String, Tensor>> order, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator g = SafetensorsHeader.JSON.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            if (metadata != null) {
                g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) g.writeStringField(m.getKey(), m.getValue());
                g.writeEndObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : order) {
                Tensor t = e.getValue();
                long n = t.numel() * t.dtype().byteSize();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", StDType.of(t.dtype()).name());
                g.writeArrayFieldStart("shape");
                for (int s : t.shape()) g.writeNumber(s);
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + n);
                g.writeEndArray();
                g.writeEndObject();
                offset += n;
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // pad with spaces so the data section starts 8-byte aligned, as the reference writer does
        int pad = (8 - bytes.size() % 8) % 8;
        for (int i = 0; i < pad; i++) bytes.write(' ');
        return bytes.toByteArray();
    }

    /** Reads every tensor onto the CPU, in file (data offset) order. */
    public static LinkedHashMap<String, Tensor> load(Path path) { return load(path, LoadOptions.defaults()); }

    /** Reads every tensor onto {@code device}. */
    public static LinkedHashMap<String, Tensor> load(Path path, Device device) { return load(path, LoadOptions.defaults().device(device)); }

    /** Reads every tensor as {@code options} say (device, memory-mapped reads). */
    public static LinkedHashMap<String, Tensor> load(Path path, LoadOptions options) { return read(path, options).tensors(); }

    /** The header's {@code __metadata__} map (empty when the file has none), without reading tensor data. */
    public static Map<String, String> loadMetadata(Path path) {
        try (FileChannel ch = open(path)) {
            return SafetensorsHeader.read(path, ch).metadata;
        } catch (IOException e) {
            throw new UncheckedIOException("Safetensors.loadMetadata: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Tensors and metadata of one file, read with one open. */
    record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    static Contents read(Path path, LoadOptions options) {
        Objects.requireNonNull(options, "Safetensors.load: options");
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        try (FileChannel ch = open(path)) {
            SafetensorsHeader h = SafetensorsHeader.read(path, ch);
            for (SafetensorsHeader.Entry e : h.entries) {
                if (e.dtype().loadAs == null) {
                    throw new FileFormatException(path, "tensor '" + e.name() + "' has dtype " + e.dtype()
                            + ", which Kindling cannot load (supported: F64, F32, F16, BF16, I64, I32, BOOL)");
                }
                if (e.numel() * e.dtype().loadAs.byteSize() > Integer.MAX_VALUE) {
                    throw new FileFormatException(path, "tensor '" + e.name() + "' of shape " + Arrays.toString(e.shape())
                            + " is larger than the 2 GiB a Kindling tensor can hold");
                }
            }
            // one direct staging buffer for the whole file: the channel reads into it without an extra copy
            int largest = (int) h.entries.stream().mapToLong(e -> e.end() - e.begin()).max().orElse(0);
            ByteBuffer staging = options.isMmap() || largest == 0 ? null : ByteBuffer.allocateDirect(largest);
            for (SafetensorsHeader.Entry e : h.entries) {
                Tensor t = readTensor(path, ch, h.dataStart, e, options.isMmap(), staging);
                if (!options.device().isCpu()) {
                    Tensor moved = t.to(options.device());
                    t.close();
                    t = moved;
                }
                out.put(e.name(), t);
            }
            return new Contents(out, h.metadata);
        } catch (IOException e) {
            out.values().forEach(Tensor::close);
            throw new UncheckedIOException("Safetensors.load: cannot read " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            out.values().forEach(Tensor::close);
            throw e;
        }
    }

    private static Tensor readTensor(Path path, FileChannel ch, long dataStart, SafetensorsHeader.Entry e, boolean mmap,
                                     ByteBuffer staging) throws IOException {
        int len = Math.toIntExact(e.end() - e.begin());
        ByteBuffer bytes;
        if (len == 0) {
            bytes = ByteBuffer.allocate(0);
        } else if (mmap) {
            bytes = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), len);
        } else {
            bytes = staging.clear().limit(len);
            SafetensorsHeader.readFully(path, ch, bytes, dataStart + e.begin());
            bytes.flip();
        }
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        return TensorBytes.decode(bytes, e.dtype(), e.shape());
    }

    private static FileChannel open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
    }
}
