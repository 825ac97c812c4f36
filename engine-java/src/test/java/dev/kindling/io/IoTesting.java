package dev.kindling.io;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kindling.DType;
import dev.kindling.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Fixture access and bit-exact tensor comparison for the io tests. */
final class IoTesting {
    private IoTesting() {}

    // the fixture script writes Infinity for the f16 overflow value
    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    static Path fixture(String name) {
        try {
            return Path.of(IoTesting.class.getResource("/fixtures/io/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + "; run engine-java/src/test/python/gen_io_fixtures.py", e);
        }
    }

    static JsonNode json(String name) {
        try {
            return JSON.readTree(fixture(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tensor from the script's {"dtype", "shape", "data"} encoding. */
    static Tensor tensor(JsonNode v) {
        int[] shape = new int[v.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = v.get("shape").get(i).intValue();
        JsonNode d = v.get("data");
        int n = d.size();
        return switch (v.get("dtype").textValue()) {
            case "torch.float32" -> { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) d.get(i).doubleValue(); yield Tensor.fromArray(a, shape); }
            case "torch.float64" -> { double[] a = new double[n]; for (int i = 0; i < n; i++) a[i] = d.get(i).doubleValue(); yield Tensor.fromArray(a, shape); }
            case "torch.int64" -> { long[] a = new long[n]; for (int i = 0; i < n; i++) a[i] = d.get(i).longValue(); yield Tensor.fromArray(a, shape); }
            case "torch.int32" -> { int[] a = new int[n]; for (int i = 0; i < n; i++) a[i] = d.get(i).intValue(); yield Tensor.fromArray(a, shape); }
            case "torch.float16", "torch.bfloat16" -> {
                // 16-bit values written as floats: exact, so rounding them back is too
                float[] a = new float[n];
                for (int i = 0; i < n; i++) a[i] = (float) d.get(i).doubleValue();
                yield Tensor.fromArray(a, shape).to(v.get("dtype").textValue().equals("torch.float16") ? DType.FLOAT16 : DType.BFLOAT16);
            }
            case "torch.bool" -> { boolean[] a = new boolean[n]; for (int i = 0; i < n; i++) a[i] = d.get(i).booleanValue(); yield Tensor.fromArray(a, shape); }
            default -> throw new IllegalArgumentException("fixture dtype " + v.get("dtype"));
        };
    }

    /** Same dtype, same shape, same bits (so NaN payloads and -0.0 count). */
    static void assertBitEqual(Tensor expected, Tensor actual, String what) {
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape " + Arrays.toString(actual.shape()));
        assertArrayEquals(expected.toByteBuffer(ByteOrder.LITTLE_ENDIAN).array(), actual.toByteBuffer(ByteOrder.LITTLE_ENDIAN).array(),
                () -> what + ": values");
    }

    static Tensor arange(DType dtype, int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return Tensor.arange(0, n).to(dtype).reshape(shape);
    }
}
