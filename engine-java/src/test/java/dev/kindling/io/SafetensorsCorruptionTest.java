package dev.kindling.io;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Corrupted and forged files: each a clear {@link FileFormatException} naming the file, never a crash or an OOM. */
class SafetensorsCorruptionTest {
    @TempDir Path dir;

    private Path file(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad.safetensors");
        Files.write(p, bytes);
        return p;
    }

    private static byte[] raw(long headerLength, String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(h);
        return b.array();
    }

    private static byte[] raw(String header, int dataBytes) { return raw(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes); }

    private void assertRefused(byte[] bytes, String expected) throws IOException {
        Path p = file(bytes);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Safetensors.load(p));
        assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
        assertEquals(p, e.file());
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test void tooShortOrTruncated() throws IOException {
        assertRefused(new byte[]{1, 2, 3}, "shorter than the 8-byte header length");
        assertRefused(raw(1000, "{}", 0), "runs past the end of the file");
        assertRefused(raw("{" + entry("w", "F32", "[4]", 0, 16) + "}", 12), "truncated file");
    }

    @Test void forgedHeaderLengthsAllocateNothing() throws IOException {
        assertRefused(raw(Long.MAX_VALUE, "{}", 0), "larger than the 100000000-byte limit");
        assertRefused(raw(-1L, "{}", 0), "18446744073709551615");
        assertRefused(raw(99_999_999L, "{}", 0), "runs past the end of the file");
    }

    @Test void badJson() throws IOException {
        assertRefused(raw("{\"w\": ", 0), "not valid JSON");
        assertRefused(raw("[1, 2]", 0), "does not start with '{'");
        assertRefused(raw("{} {}", 0), "not valid JSON");
        assertRefused(raw("{\"a\":1,\"a\":2}", 0), "Duplicate field 'a'");
        byte[] invalidUtf8 = raw("{\"\u00e9\":1}", 0);
        invalidUtf8[11] = (byte) 0xff;
        assertRefused(invalidUtf8, "not valid UTF-8");
        assertRefused(raw("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "missing or non-string \"dtype\"");
        assertRefused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "not a dimension size");
        assertRefused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "must be [begin, end]");
        assertRefused(raw("{\"__metadata__\":{\"k\":1}}", 0), "value of 'k' is not a string");
    }

    @Test void badOffsets() throws IOException {
        assertRefused(raw("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                "must start at 8 (offsets overlap or leave a gap)");
        assertRefused(raw("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 12, 20) + "}", 20),
                "offsets overlap or leave a gap");
        assertRefused(raw("{" + entry("a", "F32", "[2]", 8, 4) + "}", 8), "end 4 is before begin 8");
        assertRefused(raw("{" + entry("a", "F32", "[2]", 0, 99999999999L) + "}", 8), "needs 8 bytes but data_offsets");
        assertRefused(raw("{" + entry("a", "F32", "[2]", 0, 8) + "}", 16), "(trailing bytes)");
        assertRefused(raw("{" + entry("a", "F32", "[3]", 0, 8) + "}", 8), "needs 12 bytes");
        assertRefused(raw("{" + entry("a", "F32", "[2147483647,2147483647,2147483647]", 0, 8) + "}", 8), "overflows");
        assertRefused(raw("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 0, 8) + "}", 8), "offsets overlap");
        assertRefused(raw("{" + entry("a", "F32", "[2]", -8, 0) + "}", 8), "out of range");
    }

    @Test void unknownAndUnsupportedDtypes() throws IOException {
        assertRefused(raw("{" + entry("a", "F99", "[2]", 0, 8) + "}", 8), "unknown dtype 'F99'");
        assertRefused(raw("{" + entry("a", "U8", "[2]", 0, 2) + "}", 2), "has dtype U8, which Kindling cannot load");
    }

    @Test void metadataOnlyReadIsAlsoChecked() throws IOException {
        Path p = file(raw(1000, "{}", 0));
        assertThrows(FileFormatException.class, () -> Safetensors.loadMetadata(p));
    }

    /** Random byte flips and truncations of a valid file: a clean exception or a load, never anything else. */
    @Test void fuzzedFilesFailCleanly() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.randn(3, 4));
        m.put("b", Tensor.randn(4).to(DType.FLOAT64));
        m.put("ids", Tensor.arange(0, 5));
        m.put("mask", Tensor.of(true, false));
        Path good = dir.resolve("good.safetensors");
        Safetensors.save(m, good, Map.of("k", "v"));
        byte[] valid = Files.readAllBytes(good);
        Random rnd = new Random(7);
        int loaded = 0, refused = 0;
        for (int iter = 0; iter < 600; iter++) {
            byte[] b;
            if (iter % 3 == 0) {
                b = Arrays.copyOf(valid, rnd.nextInt(valid.length));
            } else {
                b = valid.clone();
                int flips = 1 + rnd.nextInt(4);
                // bias the flips toward the length field and the header, where forgeries matter
                for (int f = 0; f < flips; f++) {
                    int at = rnd.nextInt(4) == 0 ? rnd.nextInt(8) : rnd.nextInt(Math.min(b.length, 8 + 200));
                    b[at] = (byte) rnd.nextInt(256);
                }
            }
            Path p = file(b);
            try {
                Map<String, Tensor> back = Safetensors.load(p, iter % 2 == 0 ? LoadOptions.defaults() : LoadOptions.mmap());
                back.values().forEach(Tensor::numel);
                loaded++;
            } catch (FileFormatException e) {
                assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail("iteration " + iter + ": " + t, t);
            }
        }
        assertTrue(refused > 300, "refused " + refused);
        assertTrue(loaded > 0, "loaded " + loaded);
    }
}
