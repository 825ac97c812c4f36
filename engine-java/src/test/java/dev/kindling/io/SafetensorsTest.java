package dev.kindling.io;

import dev.kindling.backend.HalfFloats;
import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kindling.io.IoTesting.assertBitEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir Path dir;

    private static Map<String, Tensor> everyDtype() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("f32", Tensor.randn(3, 4));
        m.put("f64", Tensor.randn(2, 5).to(DType.FLOAT64));
        m.put("i64", Tensor.fromArray(new long[]{Long.MIN_VALUE, -1, 0, 1L << 40, Long.MAX_VALUE}, 5));
        m.put("i32", Tensor.fromArray(new int[]{Integer.MIN_VALUE, -7, 0, 9, Integer.MAX_VALUE, 3}, 2, 3));
        m.put("bool", Tensor.fromArray(new boolean[]{true, false, false, true}, 2, 2));
        m.put("scalar", Tensor.scalar(-2.5));
        m.put("scalar_i64", Tensor.scalar(42, DType.INT64));
        m.put("empty", Tensor.zeros(0, 3));
        m.put("empty_i32", Tensor.zeros(new int[]{2, 0}, DType.INT32));
        m.put("specials", Tensor.of(Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE));
        return m;
    }

    @Test void roundTripsEveryDtypeScalarsAndEmptyTensors() {
        Map<String, Tensor> m = everyDtype();
        Path p = dir.resolve("all.safetensors");
        Safetensors.save(m, p);
        for (LoadOptions o : List.of(LoadOptions.defaults(), LoadOptions.mmap())) {
            Map<String, Tensor> back = Safetensors.load(p, o);
            assertEquals(m.keySet(), back.keySet(), o.toString());
            m.forEach((k, t) -> assertBitEqual(t, back.get(k), k + " " + o));
        }
    }

    @Test void nonContiguousTensorsAreSavedAsTheirValues() {
        Tensor base = IoTesting.arange(DType.FLOAT32, 4, 6);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("t", base.t());
        m.put("strided", base.slice(1, 0, 6, 2));
        m.put("row", base.select(0, 2));
        m.put("expanded", Tensor.of(1.0, 2.0).unsqueeze(0).expand(3, 2));
        m.put("permuted_i64", IoTesting.arange(DType.INT64, 2, 3, 4).permute(2, 0, 1));
        Path p = dir.resolve("views.safetensors");
        Safetensors.save(m, p);
        Map<String, Tensor> back = Safetensors.load(p);
        m.forEach((k, t) -> {
            assertFalse(k.equals("t") && t.isContiguous());
            assertBitEqual(t.contiguous(), back.get(k), k);
            assertTrue(back.get(k).isContiguous(), k);
        });
        assertArrayEquals(new float[]{0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22}, back.get("strided").toFloatArray());
    }

    @Test void keepsMetadataAndFileOrder() {
        Path p = dir.resolve("meta.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("note", "ünïcödé \"quoted\"\n");
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Tensor.ones(2));
        m.put("a", Tensor.ones(2));
        m.put("c", Tensor.ones(new int[]{1}, DType.INT64));
        m.put("flag", Tensor.of(true));
        m.put("d", Tensor.ones(new int[]{1}, DType.FLOAT64));
        Safetensors.save(m, p, meta);
        assertEquals(meta, Safetensors.loadMetadata(p));
        // the reference writer's order: I64, F64, F32, ..., BOOL; names ascending inside a dtype
        assertEquals(List.of("c", "d", "a", "b", "flag"), List.copyOf(Safetensors.load(p).keySet()));
        assertEquals(Map.of(), Safetensors.loadMetadata(writeSimple("nometa.safetensors")));
    }

    private Path writeSimple(String name) {
        Path p = dir.resolve(name);
        Safetensors.save(Map.of("x", Tensor.zeros(1)), p);
        return p;
    }

    /** Byte-for-byte the files of the reference implementation's own serialization tests. */
    @Test void writesTheReferenceBytes() throws IOException {
        Path p = dir.resolve("ref.safetensors");
        Safetensors.save(Map.of("attn.0", IoTesting.arange(DType.FLOAT32, 1, 2, 3)), p);
        assertArrayEquals(expected("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", 0, 6), Files.readAllBytes(p));
        Safetensors.save(Map.of("attn0", IoTesting.arange(DType.FLOAT32, 1, 1, 2, 3)), p);
        assertArrayEquals(expected("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}", 7, 6), Files.readAllBytes(p));
        Safetensors.save(Map.of(), p);
        assertArrayEquals(expected("{}", 6, 0), Files.readAllBytes(p));
        Safetensors.save(Map.of(), p, Map.of("framework", "pt"));
        assertArrayEquals(expected("{\"__metadata__\":{\"framework\":\"pt\"}}", 5, 0), Files.readAllBytes(p));
    }

    private static byte[] expected(String header, int pad, int floats) {
        byte[] h = (header + " ".repeat(pad)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < floats; i++) b.putFloat(i);
        return b.array();
    }

    @Test void loadsOntoADeviceAndStateDictIdiom() {
        Path p = dir.resolve("dev.safetensors");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("fc1.weight", Tensor.randn(4, 3));
        sd.put("bn.num_batches_tracked", Tensor.scalar(7, DType.INT64));
        Safetensors.save(sd, p);
        LinkedHashMap<String, Tensor> back = Safetensors.load(p, Device.CPU);
        assertEquals(Device.CPU, back.get("fc1.weight").device());
        assertEquals(7, back.get("bn.num_batches_tracked").longItem());
        assertBitEqual(sd.get("fc1.weight"), back.get("fc1.weight"), "fc1.weight");
    }

    @Test void tensorBytesHonourTheRequestedOrder() {
        Tensor t = Tensor.fromArray(new int[]{0x01020304}, 1);
        assertArrayEquals(new byte[]{4, 3, 2, 1}, t.toByteBuffer(ByteOrder.LITTLE_ENDIAN).array());
        assertArrayEquals(new byte[]{1, 2, 3, 4}, t.toByteBuffer(ByteOrder.BIG_ENDIAN).array());
        ByteBuffer be = ByteBuffer.wrap(new byte[]{9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5}).order(ByteOrder.BIG_ENDIAN);
        be.position(8);
        assertEquals(5, Tensor.fromByteBuffer(be, DType.INT64).longItem());
        assertEquals(8, be.position());
        // any non-zero byte is true, stored as 1
        Tensor b = Tensor.fromByteBuffer(ByteBuffer.wrap(new byte[]{0, 2, (byte) 0xff}), DType.BOOL, 3);
        assertArrayEquals(new byte[]{0, 1, 1}, b.toByteBuffer(ByteOrder.LITTLE_ENDIAN).array());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.fromByteBuffer(ByteBuffer.allocate(7), DType.FLOAT64, 1));
        assertTrue(e.getMessage().contains("needs 8 bytes but the buffer has 7"), e.getMessage());
    }

    @Test void refusesBadArguments() {
        Path p = dir.resolve("bad.safetensors");
        assertThrows(IllegalArgumentException.class, () -> Safetensors.save(Map.of("__metadata__", Tensor.zeros(1)), p));
        Map<String, Tensor> withNull = new LinkedHashMap<>();
        withNull.put("w", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Safetensors.save(withNull, p));
        assertTrue(e.getMessage().contains("'w' is null"), e.getMessage());
        java.io.UncheckedIOException missing = assertThrows(java.io.UncheckedIOException.class,
                () -> Safetensors.load(dir.resolve("nope.safetensors")));
        assertTrue(missing.getMessage().contains("nope.safetensors"), missing.getMessage());
        assertThrows(java.io.UncheckedIOException.class, () -> Safetensors.save(Map.of(), dir.resolve("no/such/dir/x.safetensors")));
        assertFalse(Files.exists(p));
    }

    @Test void halfFloatsWidenExactly() {
        assertEquals(1.0f, HalfFloats.f16ToFloat((short) 0x3c00));
        assertEquals(-2.0f, HalfFloats.f16ToFloat((short) 0xc000));
        assertEquals(65504f, HalfFloats.f16ToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, HalfFloats.f16ToFloat((short) 0x0001));
        assertEquals(0x1p-14f, HalfFloats.f16ToFloat((short) 0x0400));
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(HalfFloats.f16ToFloat((short) 0x8000)));
        assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.f16ToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(HalfFloats.f16ToFloat((short) 0x7e00)));
        assertEquals(1.0f, HalfFloats.bf16ToFloat((short) 0x3f80));
        assertEquals(-3.0f, HalfFloats.bf16ToFloat((short) 0xc040));
    }
}
