package dev.kindling.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * L-BFGS against PyTorch 1.13 (5 steps, float64). Its dot products are reductions whose summation order
 * differs from PyTorch's, so the comparison is to 1e-7 relative rather than bit for bit.
 */
class LBFGSTest {
    static final JsonNode FIX = Fixtures.load("lbfgs.json");

    static LBFGS build(JsonNode o, List<Tensor> ps) {
        var b = LBFGS.builder(ps).lr(o.get("lr").asDouble()).maxIter(o.get("max_iter").asInt());
        if (o.has("history_size")) b.historySize(o.get("history_size").asInt());
        return b.build();
    }

    static Supplier<Tensor> closure(JsonNode c, Optimizer opt, List<Tensor> ps) {
        return () -> {
            opt.zeroGrad();
            Tensor l = TrajectoryTest.loss(c, ps, DType.FLOAT64);
            l.backward();
            return l;
        };
    }

    @TestFactory Stream<DynamicTest> followsPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("problem").asText() + c.get("options"), () -> {
                List<Tensor> ps = TrajectoryTest.initialParams(c, DType.FLOAT64);
                LBFGS opt = build(c.get("options"), ps);
                for (int k = 0; k < 5; k++) {
                    double loss = opt.step(closure(c, opt, ps)).item();
                    assertEquals(c.get("losses").get(k).asDouble(), loss, 1e-7 * Math.max(1, Math.abs(loss)), "loss of step " + k);
                    assertNull(Fixtures.compare(ps, c.get("params").get(k), 1e-7, "step " + (k + 1)));
                }
                assertEquals(c.get("n_iter").asLong(), opt.state(ps.get(0)).get("n_iter"));
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> resumesFromAStateDict() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("problem").asText() + c.get("options"), () -> {
                List<Tensor> ps = TrajectoryTest.initialParams(c, DType.FLOAT64);
                LBFGS opt = build(c.get("options"), ps);
                for (int k = 0; k < 2; k++) opt.step(closure(c, opt, ps));
                Map<String, Object> saved = opt.stateDict();
                List<Tensor> restored = new ArrayList<>();
                try (var off = Kindling.noGrad()) {
                    for (Tensor p : ps) restored.add(p.detach().clone().requiresGrad(true));
                }
                LBFGS again = build(c.get("options"), restored);
                again.loadStateDict(saved);
                for (int k = 2; k < 5; k++) again.step(closure(c, again, restored));
                assertNull(Fixtures.compare(restored, c.get("params").get(4), 1e-7, "resumed"));
            }));
        }
        return tests.stream();
    }

    @Test void needsAClosureAndOneGroup() {
        Tensor p = Tensor.of(1.0, 2.0).requiresGrad(true);
        var opt = new LBFGS(List.of(p));
        assertThrows(IllegalArgumentException.class, opt::step);
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(List.of(Tensor.of(1.0).requiresGrad(true)))));
        assertThrows(IllegalArgumentException.class, () -> LBFGS.builder(List.of(p)).historySize(0).build());
        assertThrows(IllegalArgumentException.class, () -> new LBFGS(List.of(p), -1));
    }
}
