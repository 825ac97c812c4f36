package dev.kindling.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Every optimizer and option set against PyTorch 1.13: 20 steps on a quadratic and on a small MLP, in
 * float64 (bit for bit) and float32 (1e-6 relative). PyTorch's gradients are fed at each step, so the test
 * sees the update alone; a second run computes its own gradients with Kindling's autograd, and a third
 * is interrupted at step 10, saved, restored into a fresh optimizer and continued.
 */
class TrajectoryTest {
    static final JsonNode FIX = Fixtures.load("trajectories.json");

    static String label(JsonNode c) {
        return c.get("optimizer").asText() + c.get("options") + " " + c.get("problem").asText() + " " + c.get("dtype").asText();
    }

    static double rtol(DType dt) { return dt == DType.FLOAT64 ? 0 : 1e-6; }

    static List<Tensor> initialParams(JsonNode c, DType dt) {
        JsonNode prob = FIX.get("problems").get(c.get("problem").asText());
        List<Tensor> ps = Fixtures.tensors(prob.get("params"), prob.get("shapes"), dt);
        for (Tensor p : ps) p.requiresGrad(true);
        return ps;
    }

    static void feedGrads(List<Tensor> ps, JsonNode grads, DType dt) {
        for (int i = 0; i < ps.size(); i++) {
            Tensor g = Tensor.fromArray(Fixtures.doubles(grads.get(i)), ps.get(i).shape());
            ps.get(i).setGrad(dt == DType.FLOAT64 ? g : g.to(dt));
        }
    }

    @TestFactory Stream<DynamicTest> updatesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(label(c), () -> {
                DType dt = Fixtures.dtype(c.get("dtype").asText());
                List<Tensor> ps = initialParams(c, dt);
                Optimizer opt = Fixtures.optimizer(c.get("optimizer").asText(), c.get("options"), ps);
                for (int k = 0; k < FIX.get("steps").asInt(); k++) {
                    opt.zeroGrad();
                    feedGrads(ps, c.get("grads").get(k), dt);
                    opt.step();
                    assertNull(Fixtures.compare(ps, c.get("params").get(k), rtol(dt), label(c) + " step " + (k + 1)));
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> resumedRunEndsWhereUninterruptedEnds() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(label(c), () -> {
                DType dt = Fixtures.dtype(c.get("dtype").asText());
                List<Tensor> ps = initialParams(c, dt);
                String name = c.get("optimizer").asText();
                Optimizer opt = Fixtures.optimizer(name, c.get("options"), ps);
                for (int k = 0; k < 10; k++) {
                    opt.zeroGrad();
                    feedGrads(ps, c.get("grads").get(k), dt);
                    opt.step();
                }
                Map<String, Object> saved = opt.stateDict();
                // a new process: fresh parameters holding the saved values, a fresh optimizer
                List<Tensor> restored = new ArrayList<>();
                try (var off = Kindling.noGrad()) {
                    for (Tensor p : ps) restored.add(p.detach().clone().requiresGrad(true));
                }
                Optimizer again = Fixtures.optimizer(name, c.get("options"), restored);
                again.loadStateDict(saved);
                for (int k = 10; k < FIX.get("steps").asInt(); k++) {
                    again.zeroGrad();
                    feedGrads(restored, c.get("grads").get(k), dt);
                    again.step();
                }
                assertNull(Fixtures.compare(restored, c.get("params").get(FIX.get("steps").asInt() - 1), rtol(dt), label(c) + " resumed"));
            }));
        }
        return tests.stream();
    }

    /** Loss of the fixture problem in Kindling ops. */
    static Tensor loss(JsonNode c, List<Tensor> ps, DType dt) {
        JsonNode prob = FIX.get("problems").get(c.get("problem").asText());
        if (c.get("problem").asText().equals("quadratic")) {
            Tensor a = Fixtures.matrix(prob.get("A"), dt);
            Tensor b = Tensor.fromArray(Fixtures.doubles(prob.get("b")), 5).to(dt);
            Tensor x = ps.get(0);
            return x.dot(a.matmul(x)).mul(0.5).sub(b.dot(x));
        }
        Tensor x = Fixtures.matrix(prob.get("X"), dt), y = Fixtures.matrix(prob.get("Y"), dt);
        Tensor h = x.matmul(ps.get(0).t()).add(ps.get(1)).tanh();
        return h.matmul(ps.get(2).t()).add(ps.get(3)).sub(y).pow(2).mean();
    }

    @TestFactory Stream<DynamicTest> ownGradientsStayOnPyTorchsPath() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(label(c), () -> {
                DType dt = Fixtures.dtype(c.get("dtype").asText());
                List<Tensor> ps = initialParams(c, dt);
                Optimizer opt = Fixtures.optimizer(c.get("optimizer").asText(), c.get("options"), ps);
                for (int k = 0; k < FIX.get("steps").asInt(); k++) {
                    opt.zeroGrad();
                    loss(c, ps, dt).backward();
                    opt.step();
                }
                double tol = dt == DType.FLOAT64 ? 1e-9 : 1e-4;
                assertNull(Fixtures.compare(ps, c.get("params").get(FIX.get("steps").asInt() - 1), tol, label(c) + " own grads"));
            }));
        }
        return tests.stream();
    }
}
