package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.kindling.nn.NnFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** pad, interpolate, normalize and friends against PyTorch, plus gradcheck. */
class FunctionalFixtureTest {
    static final Map<String, UnaryOperator<Tensor>> FNS = Map.ofEntries(
            Map.entry("pad_constant", x -> F.pad(x, new int[]{1, 2, 0, 1}, PadMode.CONSTANT, 0.5)),
            Map.entry("pad_reflect", x -> F.pad(x, new int[]{2, 1, 1, 2}, PadMode.REFLECT, 0)),
            Map.entry("pad_replicate", x -> F.pad(x, new int[]{1, 1, 2, 0}, PadMode.REPLICATE, 0)),
            Map.entry("pad_circular", x -> F.pad(x, new int[]{1, 2, 1, 1}, PadMode.CIRCULAR, 0)),
            Map.entry("pad_negative", x -> F.pad(x, -1, 1)),
            Map.entry("interp_nearest_size", x -> F.interpolate(x, new int[]{7, 3}, InterpolateMode.NEAREST)),
            Map.entry("interp_nearest_scale", x -> F.interpolate(x, 2.0, InterpolateMode.NEAREST)),
            Map.entry("interp_bilinear", x -> F.interpolate(x, new int[]{7, 8}, InterpolateMode.BILINEAR, false)),
            Map.entry("interp_bilinear_ac", x -> F.interpolate(x, new int[]{7, 8}, InterpolateMode.BILINEAR, true)),
            Map.entry("interp_bilinear_down", x -> F.interpolate(x, new int[]{3, 2}, InterpolateMode.BILINEAR)),
            Map.entry("normalize", F::normalize),
            Map.entry("normalize_p1", x -> F.normalize(x, 1, -1, 1e-12)),
            Map.entry("maxpool_func", x -> F.maxPool2d(x, 2)),
            Map.entry("dropout_eval_func", x -> F.dropout(x, 0.3, false)));

    @TestFactory
    Stream<DynamicTest> functionsMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.cases("functional")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Tensor x = NnFixtures.tensor(c.get("input")).requiresGrad(true);
                Tensor out = FNS.get(name).apply(x);
                out.backward(NnFixtures.tensor(c.get("gradOutput")));
                assertClose(name + ": output", c.get("output"), out, 1e-9);
                assertClose(name + ": input grad", c.get("inputGrad"), x.grad(), 1e-9);
            }));
            if (!name.startsWith("dropout")) {
                tests.add(DynamicTest.dynamicTest(name + " gradcheck", () -> {
                    Tensor x = NnFixtures.tensor(c.get("input")).requiresGrad(true);
                    NnFixtures.gradCheck(name, () -> FNS.get(name).apply(x), List.of(x));
                }));
            }
        }
        assertEquals(FNS.size(), NnFixtures.cases("functional").size(), "every fixture has a Java function");
        return tests.stream();
    }
}
