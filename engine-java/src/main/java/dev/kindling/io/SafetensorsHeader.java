package dev.kindling.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated header of a safetensors file. Validation follows the reference implementation:
 * the header length is checked against the file size before anything is allocated, tensors sorted by
 * offset must tile the data section exactly (no gaps, no overlap, nothing past the end, nothing left over),
 * and each tensor's byte size must equal its element count times its dtype size.
 */
final class SafetensorsHeader {
    /** The reference implementation refuses headers over 100 MB; so do we. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One tensor's entry; offsets are relative to the start of the data section. */
    record Entry(String name, StDType dtype, int[] shape, long begin, long end) {
        long numel() {
            long n = 1;
            for (int s : shape) n *= s;
            return n;
        }

        long numelExact(Path file) {
            for (int s : shape) if (s == 0) return 0; // whatever the other sizes, as PyTorch counts
            long n = 1;
            for (int s : shape) n = Math.multiplyExact(n, s);
            return n;
        }
    }

    final long dataStart;
    final List<Entry> entries;
    final Map<String, String> metadata;

    private SafetensorsHeader(long dataStart, List<Entry> entries, Map<String, String> metadata) {
        this.dataStart = dataStart;
        this.entries = entries;
        this.metadata = metadata;
    }

    static SafetensorsHeader read(Path file, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new FileFormatException(file, "not a safetensors file: " + fileSize + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(file, ch, lenBuf, 0);
        long n = lenBuf.getLong(0);
        // compare as unsigned: a forged length near 2^64 reads as negative
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new FileFormatException(file, "header length " + Long.toUnsignedString(n) + " is larger than the "
                    + MAX_HEADER_BYTES + "-byte limit (corrupt or not a safetensors file)");
        }
        if (8 + n > fileSize) {
            throw new FileFormatException(file, "header length " + n + " runs past the end of the file (" + fileSize
                    + " bytes): the file is truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) n);
        readFully(file, ch, headerBytes, 8);
        headerBytes.flip();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes).toString();
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "header is not valid UTF-8", e);
        }
        if (!text.startsWith("{")) {
            throw new FileFormatException(file, "header does not start with '{' (not a safetensors file)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FileFormatException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new FileFormatException(file, "header is not a JSON object");

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(METADATA_KEY)) {
                readMetadata(file, f.getValue(), metadata);
            } else {
                entries.add(readEntry(file, f.getKey(), f.getValue()));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        for (Entry e : entries) {
            if (e.begin != expectedBegin) {
                throw new FileFormatException(file, "tensor '" + e.name + "' has data_offsets [" + e.begin + ", " + e.end
                        + "] but its data must start at " + expectedBegin + " (offsets overlap or leave a gap)");
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(e.numelExact(file), e.dtype.size);
            } catch (ArithmeticException ex) {
                throw new FileFormatException(file, "tensor '" + e.name + "' shape " + Arrays.toString(e.shape) + " overflows");
            }
            if (e.end - e.begin != bytes) {
                throw new FileFormatException(file, "tensor '" + e.name + "' of dtype " + e.dtype + " and shape "
                        + Arrays.toString(e.shape) + " needs " + bytes + " bytes but data_offsets [" + e.begin + ", "
                        + e.end + "] span " + (e.end - e.begin));
            }
            expectedBegin = e.end;
        }
        long dataBytes = fileSize - 8 - n;
        if (expectedBegin != dataBytes) {
            throw new FileFormatException(file, "the header describes " + expectedBegin + " bytes of tensor data but the file holds "
                    + dataBytes + (expectedBegin > dataBytes ? " (truncated file)" : " (trailing bytes)"));
        }
        return new SafetensorsHeader(8 + n, entries, metadata);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) {
        if (node.isNull()) return;
        if (!node.isObject()) throw new FileFormatException(file, METADATA_KEY + " must be an object of strings");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new FileFormatException(file, METADATA_KEY + " value of '" + f.getKey() + "' is not a string");
            }
            out.put(f.getKey(), f.getValue().textValue());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) throw new FileFormatException(file, where + ": entry is not a JSON object");
        JsonNode dt = node.get("dtype"), shape = node.get("shape"), offs = node.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new FileFormatException(file, where + ": missing or non-string \"dtype\"");
        StDType dtype = StDType.parse(dt.textValue());
        if (dtype == null) throw new FileFormatException(file, where + ": unknown dtype '" + dt.textValue() + "'");
        if (shape == null || !shape.isArray()) throw new FileFormatException(file, where + ": missing \"shape\" array");
        int[] dims = new int[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0) {
                throw new FileFormatException(file, where + ": shape entry " + d + " is not a dimension size");
            }
            dims[i] = d.intValue();
        }
        if (offs == null || !offs.isArray() || offs.size() != 2) {
            throw new FileFormatException(file, where + ": \"data_offsets\" must be [begin, end]");
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offs.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new FileFormatException(file, where + ": data offset " + o + " is out of range");
            }
            be[i] = o.longValue();
        }
        if (be[1] < be[0]) throw new FileFormatException(file, where + ": data_offsets end " + be[1] + " is before begin " + be[0]);
        return new Entry(name, dtype, dims, be[0], be[1]);
    }

    /** Reads exactly {@code buf.remaining()} bytes at {@code position}, in slices to keep NIO's temporary buffers small. */
    static void readFully(Path file, FileChannel ch, ByteBuffer buf, long position) throws IOException {
        final int slice = 1 << 23;
        long pos = position;
        while (buf.hasRemaining()) {
            ByteBuffer part = buf.duplicate();
            part.limit(Math.min(buf.limit(), buf.position() + slice));
            int r = ch.read(part, pos);
            if (r < 0) throw new FileFormatException(file, "unexpected end of file at byte " + pos);
            pos += r;
            buf.position(part.position());
        }
    }
}
