package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.kindling.nn.NnFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every loss (module form) against PyTorch's functional form: value and input gradient, plus gradcheck. */
class LossFixtureTest {
    /** Case name to a loss built from the case's optional {@code weight} / {@code posWeight} tensors. */
    static final Map<String, Function<Map<String, Tensor>, BiFunction<Tensor, Tensor, Tensor>>> LOSSES = new HashMap<>();

    static {
        for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            String s = r.name().toLowerCase();
            LOSSES.put("mse_" + s, w -> new MSELoss(r)::forward);
            LOSSES.put("l1_" + s, w -> new L1Loss(r)::forward);
        }
        LOSSES.put("smoothl1_mean", w -> new SmoothL1Loss(Reduction.MEAN, 0.5)::forward);
        LOSSES.put("smoothl1_sum_beta2", w -> new SmoothL1Loss(Reduction.SUM, 2.0)::forward);
        LOSSES.put("bce_mean", w -> new BCELoss()::forward);
        LOSSES.put("bce_weight_sum", w -> new BCELoss(w.get("weight"), Reduction.SUM)::forward);
        LOSSES.put("bce_clamp", w -> new BCELoss(Reduction.NONE)::forward);
        LOSSES.put("bcelogits_mean", w -> new BCEWithLogitsLoss()::forward);
        LOSSES.put("bcelogits_posweight", w -> new BCEWithLogitsLoss(w.get("weight"), Reduction.NONE, w.get("posWeight"))::forward);
        LOSSES.put("bcelogits_extreme", w -> new BCEWithLogitsLoss(Reduction.SUM)::forward);
        LOSSES.put("nll_mean", w -> new NLLLoss()::forward);
        LOSSES.put("nll_weight_ignore", w -> new NLLLoss(w.get("weight"), 3, Reduction.MEAN)::forward);
        LOSSES.put("nll_none", w -> new NLLLoss(Reduction.NONE)::forward);
        LOSSES.put("nll_spatial", w -> new NLLLoss()::forward);
        LOSSES.put("ce_mean", w -> new CrossEntropyLoss()::forward);
        LOSSES.put("ce_sum", w -> new CrossEntropyLoss(Reduction.SUM)::forward);
        LOSSES.put("ce_weight_ignore", w -> new CrossEntropyLoss(w.get("weight"), 0, Reduction.MEAN, 0)::forward);
        LOSSES.put("ce_smoothing", w -> CrossEntropyLoss.builder().labelSmoothing(0.1).build()::forward);
        LOSSES.put("ce_smoothing_weight_ignore", w -> new CrossEntropyLoss(w.get("weight"), 1, Reduction.MEAN, 0.2)::forward);
        LOSSES.put("ce_smoothing_none", w -> new CrossEntropyLoss(null, -100, Reduction.NONE, 0.3)::forward);
        LOSSES.put("ce_probs", w -> new CrossEntropyLoss()::forward);
        LOSSES.put("ce_probs_weight_smoothing", w -> new CrossEntropyLoss(w.get("weight"), -100, Reduction.MEAN, 0.1)::forward);
        LOSSES.put("ce_spatial", w -> new CrossEntropyLoss()::forward);
        LOSSES.put("kldiv_batchmean", w -> new KLDivLoss(Reduction.BATCHMEAN)::forward);
        LOSSES.put("kldiv_mean", w -> new KLDivLoss()::forward);
        LOSSES.put("kldiv_logtarget_sum", w -> new KLDivLoss(Reduction.SUM, true)::forward);
    }

    private static Map<String, Tensor> extras(JsonNode c) {
        Map<String, Tensor> w = new HashMap<>();
        for (String k : new String[]{"weight", "posWeight"}) if (c.has(k)) w.put(k, NnFixtures.tensor(c.get(k)));
        return w;
    }

    @TestFactory
    Stream<DynamicTest> lossesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.cases("losses")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                BiFunction<Tensor, Tensor, Tensor> loss = LOSSES.get(name).apply(extras(c));
                Tensor x = NnFixtures.tensor(c.get("input")).requiresGrad(true);
                Tensor out = loss.apply(x, NnFixtures.tensor(c.get("target")));
                out.backward(NnFixtures.tensor(c.get("gradOutput")));
                assertClose(name + ": output", c.get("output"), out, 1e-9);
                assertClose(name + ": input grad", c.get("inputGrad"), x.grad(), 1e-9);
            }));
        }
        assertEquals(LOSSES.size(), tests.size(), "every fixture has a Java loss");
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> lossesPassGradCheck() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.cases("losses")) {
            String name = c.get("name").asText();
            // bce_clamp sits on the clamp at log(0); l1/smooth-l1 kinks are not hit by random data
            if (name.equals("bce_clamp") || name.equals("bcelogits_extreme")) continue;
            tests.add(DynamicTest.dynamicTest(name, () -> {
                BiFunction<Tensor, Tensor, Tensor> loss = LOSSES.get(name).apply(extras(c));
                Tensor x = NnFixtures.tensor(c.get("input")).requiresGrad(true);
                Tensor t = NnFixtures.tensor(c.get("target"));
                NnFixtures.gradCheck(name, () -> loss.apply(x, t), List.of(x));
            }));
        }
        return tests.stream();
    }
}
