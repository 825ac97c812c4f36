package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Reads the PyTorch reference values written by gen_nn_fixtures.py, and compares tensors with them. */
final class NnFixtures {
    private NnFixtures() {}

    static List<JsonNode> cases(String file) {
        try (InputStream in = NnFixtures.class.getResourceAsStream("/fixtures/nn/" + file + ".json")) {
            if (in == null) throw new IllegalStateException("fixture " + file + " missing; run gen_nn_fixtures.py");
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] shape(JsonNode n) {
        int[] s = new int[n.get("shape").size()];
        for (int i = 0; i < s.length; i++) s[i] = n.get("shape").get(i).asInt();
        return s;
    }

    static Tensor tensor(JsonNode n) {
        JsonNode d = n.get("data");
        int[] s = shape(n);
        switch (n.get("dtype").asText()) {
            case "int64": {
                long[] v = new long[d.size()];
                for (int i = 0; i < v.length; i++) v[i] = d.get(i).asLong();
                return Tensor.fromArray(v, s);
            }
            case "float32": {
                float[] v = new float[d.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) d.get(i).asDouble();
                return Tensor.fromArray(v, s);
            }
            default: {
                double[] v = new double[d.size()];
                for (int i = 0; i < v.length; i++) v[i] = d.get(i).asDouble();
                return Tensor.fromArray(v, s);
            }
        }
    }

    static Map<String, Tensor> tensors(JsonNode obj) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        obj.fields().forEachRemaining(e -> out.put(e.getKey(), tensor(e.getValue())));
        return out;
    }

    static void assertClose(String what, JsonNode expected, Tensor actual, double tol) {
        assertClose(what, tensor(expected), actual, tol);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        if (actual == null) fail(what + ": is null, expected shape " + Arrays.toString(expected.shape()));
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isInfinite(e[i]) ? e[i] == a[i] : Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i]));
            if (!ok) fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
        }
    }

    /**
     * Central-difference gradient check in float64 of {@code sum(f() * gradOut)} with respect to each tensor
     * in {@code wrt}, against the gradients that backward leaves in their {@code .grad}.
     */
    static void gradCheck(String what, Supplier<Tensor> f, List<Tensor> wrt) {
        for (Tensor t : wrt) {
            assertTrue(t.dtype() == DType.FLOAT64, what + ": gradcheck needs float64");
            t.setGrad(null);
        }
        Tensor out = f.get();
        Tensor g;
        try (var off = Kindling.noGrad()) {
            g = Tensor.randnLike(out).to(DType.FLOAT64);
        }
        out.mul(g).sum().backward();
        double eps = 1e-6;
        for (int k = 0; k < wrt.size(); k++) {
            Tensor t = wrt.get(k);
            double[] analytic = t.grad() == null ? new double[(int) t.numel()] : t.grad().toDoubleArray();
            double[] base = t.toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double plus = eval(f, g, t, base, i, eps), minus = eval(f, g, t, base, i, -eps);
                double numeric = (plus - minus) / (2 * eps);
                if (Math.abs(numeric - analytic[i]) > 1e-5 + 1e-4 * Math.abs(numeric)) {
                    fail(what + ": gradient of input " + k + " element " + i + ": analytic " + analytic[i] + ", numeric " + numeric);
                }
            }
            try (var off = Kindling.noGrad()) {
                t.copy_(Tensor.fromArray(base, t.shape()));
            }
        }
    }

    private static double eval(Supplier<Tensor> f, Tensor g, Tensor t, double[] base, int i, double delta) {
        try (var off = Kindling.noGrad()) {
            double[] v = base.clone();
            v[i] += delta;
            t.copy_(Tensor.fromArray(v, t.shape()));
            return f.get().mul(g).sum().item();
        }
    }
}
