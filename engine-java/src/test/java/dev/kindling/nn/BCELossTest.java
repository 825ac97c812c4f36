package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static dev.kindling.nn.NnFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Issue 14, item 5: BCE at its clamps in float32 and float64, against PyTorch ({@code bce()} in
 * gen_nn_fixtures.py writes fixtures/nn/bce.json): each log term clamped at -100, and the gradient PyTorch's
 * {@code (p - t) / max(p (1 - p), 1e-12f) * gradOut} (its EPSILON is a float, also for float64), for every
 * reduction, with and without a weight.
 */
class BCELossTest {
    private static Reduction reduction(String name) {
        String last = name.substring(name.lastIndexOf('_') + 1);
        return Reduction.valueOf(last.toUpperCase(Locale.ROOT));
    }

    @TestFactory
    Stream<DynamicTest> bceAtTheClampsMatchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.cases("bce")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Tensor x = NnFixtures.tensor(c.get("input"));
                Tensor t = NnFixtures.tensor(c.get("target"));
                Tensor w = c.has("weight") ? NnFixtures.tensor(c.get("weight")) : null;
                // float32 agrees to rounding (a few ulp); float64 to 1e-12
                double tol = x.dtype() == DType.FLOAT32 ? 2e-6 : 1e-12;
                for (String form : new String[]{"module", "functional"}) {
                    Tensor xg = x.clone().requiresGrad(true);
                    Tensor out = form.equals("module") ? new BCELoss(w, reduction(name)).forward(xg, t)
                            : F.binaryCrossEntropy(xg, t, w, reduction(name));
                    assertEquals(x.dtype(), out.dtype(), name + ": dtype");
                    out.backward(NnFixtures.tensor(c.get("gradOutput")));
                    assertClose(name + " (" + form + "): output", c.get("output"), out, tol);
                    assertClose(name + " (" + form + "): input grad", c.get("inputGrad"), xg.grad(), tol);
                }
            }));
        }
        assertEquals(16, tests.size(), "bce.json holds every case");
        return tests.stream();
    }

    @Test void theIssuesExampleInFloat32() {
        // torch.nn.functional.binary_cross_entropy(torch.tensor([0, 1, 0.5, 1, 0, 1e-12]),
        //                                          torch.tensor([0., 0, 1, 1, 1, 0])).item() == 33.448856353759766
        Tensor p = Tensor.of(0f, 1f, 0.5f, 1f, 0f, 1e-12f).requiresGrad(true);
        Tensor t = Tensor.of(0f, 0f, 1f, 1f, 1f, 0f);
        Tensor loss = new BCELoss().forward(p, t);
        assertEquals(33.448856353759766, loss.item(), 1e-5);
        loss.backward();
        // p = 1, t = 0: (1 - 0) / max(0, 1e-12f) / 6, as PyTorch's binary_cross_entropy_backward computes it
        float[] g = p.grad().toFloatArray();
        assertEquals(1f / 1e-12f / 6f, g[1], 1e12f / 6f * 1e-6f);
        assertEquals(-1f / 1e-12f / 6f, g[4], 1e12f / 6f * 1e-6f);
        assertEquals(0f, g[3], 0f);
        for (float v : g) assertFalse(Float.isNaN(v));
    }

    @Test void eachTermIsClampedAtOneHundredInEveryDtype() {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor p = Tensor.of(1.0, 0.0, 0.0, 1.0).to(dt);
            Tensor t = Tensor.of(0.0, 1.0, 0.0, 1.0).to(dt);
            assertArrayEquals(new double[]{100, 100, 0, 0}, F.binaryCrossEntropy(p, t, null, Reduction.NONE).toDoubleArray(), 0, dt.toString());
        }
    }
}
