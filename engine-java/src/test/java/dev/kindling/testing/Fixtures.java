package dev.kindling.testing;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kindling.DType;
import dev.kindling.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reads the JSON fixtures written by the scripts in {@code src/test/python} and compares tensors with them.
 * A tensor is encoded as {@code {"dtype": "float32", "shape": [2, 3], "data": [flat, row-major]}}.
 */
public final class Fixtures {
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // Python's json writes NaN and Infinity
            .build();

    private Fixtures() {}

    /** Loads a fixture file from the test class path, e.g. {@code "fixtures/tensor/ops.json"}. */
    public static JsonNode load(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("missing test resource " + resource);
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DType dtype(String name) {
        return switch (name) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "float16" -> DType.FLOAT16;
            case "bfloat16" -> DType.BFLOAT16;
            case "int64" -> DType.INT64;
            case "int32" -> DType.INT32;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException("unknown dtype " + name);
        };
    }

    public static int[] ints(JsonNode arr) {
        int[] r = new int[arr.size()];
        for (int i = 0; i < r.length; i++) r[i] = arr.get(i).asInt();
        return r;
    }

    /** Builds a contiguous tensor from {@code {"dtype", "shape", "data"}}. */
    public static Tensor tensor(JsonNode spec) {
        int[] shape = ints(spec.get("shape"));
        JsonNode data = spec.get("data");
        int n = data.size();
        return switch (dtype(spec.get("dtype").asText())) {
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) data.get(i).asDouble();
                yield Tensor.fromArray(v, shape);
            }
            case FLOAT64 -> Tensor.fromArray(doubles(data), shape);
            case FLOAT16, BFLOAT16 -> {
                // the values were widened exactly from 16 bits, so rounding them back is exact
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = (float) data.get(i).asDouble();
                yield Tensor.fromArray(v, shape).to(dtype(spec.get("dtype").asText()));
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) v[i] = data.get(i).asLong();
                yield Tensor.fromArray(v, shape);
            }
            case INT32 -> Tensor.fromArray(ints(data), shape);
            case BOOL -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) v[i] = data.get(i).asBoolean();
                yield Tensor.fromArray(v, shape);
            }
        };
    }

    public static double[] doubles(JsonNode data) {
        double[] v = new double[data.size()];
        for (int i = 0; i < v.length; i++) v[i] = data.get(i).asDouble();
        return v;
    }

    /**
     * Asserts dtype, shape and values; floating values within {@code |a - e| <= atol + rtol * |e|},
     * NaN equal to NaN and infinities equal only to themselves.
     */
    public static void assertTensor(String what, JsonNode expected, Tensor actual, double rtol, double atol) {
        DType dt = dtype(expected.get("dtype").asText());
        assertEquals(dt, actual.dtype(), what + ": dtype");
        assertArrayEquals(ints(expected.get("shape")), actual.shape(),
                () -> what + ": shape " + Arrays.toString(actual.shape()) + ", expected " + expected.get("shape"));
        JsonNode data = expected.get("data");
        switch (dt) {
            case FLOAT32, FLOAT64, FLOAT16, BFLOAT16 -> {
                double[] e = doubles(data), a = actual.toDoubleArray();
                for (int i = 0; i < e.length; i++) {
                    if (!close(a[i], e[i], rtol, atol)) {
                        throw new AssertionError(what + ": element " + i + " is " + a[i] + ", expected " + e[i]
                                + " (rtol " + rtol + ", atol " + atol + ")\nactual   " + Arrays.toString(a)
                                + "\nexpected " + Arrays.toString(e));
                    }
                }
            }
            case INT64, INT32 -> {
                long[] e = new long[data.size()];
                for (int i = 0; i < e.length; i++) e[i] = data.get(i).asLong();
                assertArrayEquals(e, actual.toLongArray(), what + ": values");
            }
            case BOOL -> {
                boolean[] e = new boolean[data.size()];
                for (int i = 0; i < e.length; i++) e[i] = data.get(i).asBoolean();
                assertArrayEquals(e, actual.toBooleanArray(), what + ": values");
            }
        }
    }

    static boolean close(double a, double e, double rtol, double atol) {
        if (Double.isNaN(e)) return Double.isNaN(a);
        if (Double.isInfinite(e)) return a == e;
        return Math.abs(a - e) <= atol + rtol * Math.abs(e);
    }
}
