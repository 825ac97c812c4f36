package dev.kindling.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kindling.clipGradNorm / clipGradValue against PyTorch, and GradUtils' vector round trip. */
class GradUtilsTest {
    static final JsonNode FIX = Fixtures.load("clipping.json");

    static List<Tensor> withGrads() {
        List<Tensor> ps = new ArrayList<>();
        for (int i = 0; i < FIX.get("shapes").size(); i++) {
            int[] shape = Fixtures.ints(FIX.get("shapes").get(i));
            Tensor p = Tensor.zeros(shape, DType.FLOAT64).requiresGrad(true);
            p.setGrad(Tensor.fromArray(Fixtures.doubles(FIX.get("grads").get(i)), shape));
            ps.add(p);
        }
        return ps;
    }

    static List<Tensor> grads(List<Tensor> ps) {
        List<Tensor> g = new ArrayList<>();
        for (Tensor p : ps) g.add(p.grad());
        return g;
    }

    @Test void clipGradNormMatchesPyTorchForEveryNormType() {
        for (JsonNode c : FIX.get("norm_cases")) {
            List<Tensor> ps = withGrads();
            double type = c.get("norm_type").isTextual() ? Double.POSITIVE_INFINITY : c.get("norm_type").asDouble();
            Tensor total = Kindling.clipGradNorm(ps, c.get("max_norm").asDouble(), type);
            String what = "norm " + type + " max " + c.get("max_norm");
            assertEquals(c.get("total").asDouble(), total.item(), 1e-12 * c.get("total").asDouble(), what);
            assertNull(Fixtures.compare(grads(ps), c.get("clipped"), 1e-12, what));
        }
    }

    @Test void clipGradValueMatchesPyTorch() {
        List<Tensor> ps = withGrads();
        Kindling.clipGradValue(ps, FIX.get("value_clip").asDouble());
        assertNull(Fixtures.compare(grads(ps), FIX.get("value_clipped"), 0, "clipGradValue"));
    }

    @Test void nonFiniteNormIsAnErrorWhenAsked() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        p.setGrad(Tensor.of(1f, Float.NaN, 2f));
        var ex = assertThrows(IllegalStateException.class, () -> Kindling.clipGradNorm(List.of(p), 1.0, 2.0, true));
        assertTrue(ex.getMessage().contains("non-finite"), ex.getMessage());
        assertTrue(Double.isNaN(Kindling.clipGradNorm(List.of(p), 1.0, 2.0, false).item()));
        assertThrows(IllegalArgumentException.class, () -> Kindling.clipGradNorm(List.of(p), 1.0, -1));
        assertThrows(IllegalArgumentException.class, () -> Kindling.clipGradValue(List.of(p), -1));
    }

    @Test void parametersWithoutGradsAreSkippedAndNoneGiveZero() {
        Tensor a = Tensor.ones(2).requiresGrad(true);
        assertEquals(0.0, Kindling.clipGradNorm(List.of(a), 1.0).item());
        Tensor b = Tensor.ones(2).requiresGrad(true);
        b.setGrad(Tensor.of(3f, 4f));
        assertEquals(5.0, Kindling.clipGradNorm(List.of(a, b), 1.0).item(), 1e-6);
        assertArrayEquals(new float[]{0.6f, 0.8f}, b.grad().toFloatArray(), 1e-6f);
        assertNull(a.grad());
    }

    @Test void vectorRoundTrip() {
        Tensor w = Tensor.arange(0.0, 6.0, 1.0).reshape(2, 3).requiresGrad(true);
        Tensor b = Tensor.of(10f, 11f).requiresGrad(true);
        Tensor v = GradUtils.parametersToVector(List.of(w, b));
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5, 10, 11}, v.toFloatArray());
        // differentiable, like torch.cat of views
        v.sum().backward();
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1}, w.grad().toFloatArray());
        GradUtils.vectorToParameters(Tensor.arange(0.0, 8.0, 1.0).neg(), List.of(w, b));
        assertArrayEquals(new float[]{0, -1, -2, -3, -4, -5}, w.toFloatArray(), 0f);
        assertArrayEquals(new float[]{-6, -7}, b.toFloatArray());
        var ex = assertThrows(IllegalArgumentException.class, () -> GradUtils.vectorToParameters(Tensor.zeros(7), List.of(w, b)));
        assertTrue(ex.getMessage().contains("7") && ex.getMessage().contains("8"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GradUtils.vectorToParameters(Tensor.zeros(2, 4), List.of(w, b)));
    }
}
