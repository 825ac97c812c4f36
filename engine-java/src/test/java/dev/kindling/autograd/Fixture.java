package dev.kindling.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.DType;
import dev.kindling.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads the PyTorch reference file written by {@code gen_autograd_fixtures.py}. */
final class Fixture {
    private static JsonNode cases;

    private Fixture() {}

    static synchronized JsonNode get(String name) {
        if (cases == null) {
            try (InputStream in = Fixture.class.getResourceAsStream("/fixtures/autograd/gradients.json")) {
                if (in == null) throw new IllegalStateException("fixtures/autograd/gradients.json is missing from the test resources");
                cases = new ObjectMapper().readTree(in).get("cases");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonNode c = cases.get(name);
        if (c == null) throw new IllegalStateException("no fixture case " + name);
        return c;
    }

    static double number(JsonNode v) {
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.NaN;
            };
        }
        return v.asDouble();
    }

    /** A {"shape", "data"} node as a tensor of the given dtype. */
    static Tensor tensor(JsonNode node, DType dtype) {
        JsonNode data = node.get("data");
        double[] d = new double[data.size()];
        for (int i = 0; i < d.length; i++) d[i] = number(data.get(i));
        int[] shape = new int[node.get("shape").size()];
        for (int i = 0; i < shape.length; i++) shape[i] = node.get("shape").get(i).asInt();
        return Tensor.fromArray(d, shape).to(dtype);
    }

    static Tensor longs(JsonNode list) {
        long[] v = new long[list.size()];
        for (int i = 0; i < v.length; i++) v[i] = list.get(i).asLong();
        return Tensor.of(v);
    }

    /** Asserts same shape and values within tolerance; infinities must match exactly, NaN never does. */
    static void assertClose(JsonNode expected, Tensor actual, double rtol, double atol, String what) {
        Tensor e = tensor(expected, DType.FLOAT64);
        assertArrayEquals(e.shape(), actual.shape(), what + ": shape");
        double[] ev = e.toDoubleArray(), av = actual.toDoubleArray();
        for (int i = 0; i < ev.length; i++) {
            boolean ok = ev[i] == av[i] || Math.abs(ev[i] - av[i]) <= atol + rtol * Math.abs(ev[i]);
            assertTrue(ok, what + ": element " + i + " expected " + ev[i] + " but got " + av[i]
                    + "\nexpected " + Arrays.toString(ev) + "\nactual   " + Arrays.toString(av));
        }
    }
}
