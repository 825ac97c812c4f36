package dev.kindling.optim.lr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Tensor;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Fixtures;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;
import dev.kindling.optim.SGD;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Learning-rate sequences over 100 steps against PyTorch 1.13, exactly; and save/restore mid-run. */
class SchedulerTest {
    static final JsonNode FIX = Fixtures.load("schedulers.json");

    /** Steps a scheduler, whatever its kind. */
    record Run(Optimizer opt, Object sched, JsonNode c) {
        void step(int i) {
            if (sched instanceof ReduceLROnPlateau p) p.step(c.get("metrics").get(i).asDouble());
            else ((LRScheduler) sched).step();
        }

        double[] lrs() {
            List<ParamGroup> gs = opt.paramGroups();
            double[] l = new double[gs.size()];
            for (int i = 0; i < l.length; i++) l[i] = gs.get(i).lr();
            return l;
        }

        double[] momentums() {
            List<ParamGroup> gs = opt.paramGroups();
            double[] l = new double[gs.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = gs.get(i).has("betas") ? gs.get(i).getPair("betas")[0] : gs.get(i).getDouble("momentum");
            }
            return l;
        }

        Map<String, Object> schedState() {
            return sched instanceof ReduceLROnPlateau p ? p.stateDict() : ((LRScheduler) sched).stateDict();
        }

        void loadSchedState(Map<String, Object> sd) {
            if (sched instanceof ReduceLROnPlateau p) p.loadStateDict(sd);
            else ((LRScheduler) sched).loadStateDict(sd);
        }
    }

    static Run build(JsonNode c) {
        List<ParamGroup> groups = new ArrayList<>();
        for (JsonNode lr : c.get("initial_lrs")) groups.add(ParamGroup.of(List.of(Tensor.zeros(1).requiresGrad(true))).lr(lr.asDouble()));
        double lr0 = c.get("initial_lrs").get(0).asDouble();
        Optimizer opt = c.get("optimizer").asText().equals("Adam") ? new Adam(groups, lr0)
                : new SGD(groups, lr0, c.get("momentum").asDouble());
        JsonNode a = c.get("args");
        Object s = switch (c.get("scheduler").asText()) {
            case "StepLR" -> new StepLR(opt, a.get("step_size").asInt(), a.get("gamma").asDouble());
            case "MultiStepLR" -> new MultiStepLR(opt, Fixtures.ints(a.get("milestones")), a.get("gamma").asDouble());
            case "ExponentialLR" -> new ExponentialLR(opt, a.get("gamma").asDouble());
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, a.get("T_max").asInt(), a.get("eta_min").asDouble());
            case "CosineAnnealingWarmRestarts" -> new CosineAnnealingWarmRestarts(opt, a.get("T_0").asInt(),
                    a.get("T_mult").asInt(), a.get("eta_min").asDouble());
            case "LambdaLR" -> new LambdaLR(opt, e -> 1 / (1 + 0.1 * e));
            case "LinearLR" -> new LinearLR(opt, a.get("start_factor").asDouble(), a.get("end_factor").asDouble(),
                    a.get("total_iters").asInt());
            case "SequentialLR" -> new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, a.get("warmup").asInt()),
                    new ExponentialLR(opt, a.get("gamma").asDouble())), new int[]{a.get("warmup").asInt()});
            case "OneCycleLR" -> {
                var b = OneCycleLR.builder(opt, a.get("max_lr").asDouble(), a.get("total_steps").asInt());
                if (a.has("anneal_strategy")) b.annealStrategy(OneCycleLR.Anneal.LINEAR);
                if (a.has("three_phase")) b.threePhase(a.get("three_phase").asBoolean());
                if (a.has("pct_start")) b.pctStart(a.get("pct_start").asDouble());
                if (a.has("div_factor")) b.divFactor(a.get("div_factor").asDouble());
                if (a.has("final_div_factor")) b.finalDivFactor(a.get("final_div_factor").asDouble());
                yield b.build();
            }
            case "ReduceLROnPlateau" -> ReduceLROnPlateau.builder(opt)
                    .mode(a.get("mode").asText().equals("min") ? ReduceLROnPlateau.Mode.MIN : ReduceLROnPlateau.Mode.MAX)
                    .factor(a.get("factor").asDouble()).patience(a.get("patience").asInt())
                    .threshold(a.get("threshold").asDouble())
                    .thresholdMode(a.get("threshold_mode").asText().equals("rel") ? ReduceLROnPlateau.ThresholdMode.REL
                            : ReduceLROnPlateau.ThresholdMode.ABS)
                    .cooldown(a.get("cooldown").asInt()).minLr(a.get("min_lr").asDouble()).build();
            default -> throw new IllegalArgumentException(c.get("scheduler").asText());
        };
        return new Run(opt, s, c);
    }

    static String label(JsonNode c) { return c.get("scheduler").asText() + c.get("args"); }

    static void check(JsonNode expected, double[] actual, String what) {
        for (int g = 0; g < actual.length; g++) {
            assertEquals(expected.get(g).asDouble(), actual[g], 0.0, what + " group " + g);
        }
    }

    @TestFactory Stream<DynamicTest> lrSequencesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(label(c), () -> {
                Run r = build(c);
                check(c.get("lrs").get(0), r.lrs(), label(c) + " initial");
                for (int i = 0; i < FIX.get("steps").asInt(); i++) {
                    r.step(i);
                    check(c.get("lrs").get(i + 1), r.lrs(), label(c) + " step " + (i + 1));
                    if (c.get("momentums").size() > 0) check(c.get("momentums").get(i), r.momentums(), label(c) + " momentum " + (i + 1));
                }
                if (r.sched() instanceof LRScheduler s) assertEquals(List.of(r.lrs()[0], r.lrs()[1]), s.getLastLr());
            }));
        }
        return tests.stream();
    }

    @TestFactory Stream<DynamicTest> resumedScheduleContinuesExactly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : FIX.get("cases")) {
            tests.add(DynamicTest.dynamicTest(label(c), () -> {
                Run r = build(c);
                for (int i = 0; i < 50; i++) r.step(i);
                Map<String, Object> optState = r.opt().stateDict(), schedState = r.schedState();
                Run again = build(c);
                again.opt().loadStateDict(optState);
                again.loadSchedState(schedState);
                for (int i = 50; i < FIX.get("steps").asInt(); i++) {
                    again.step(i);
                    check(c.get("lrs").get(i + 1), again.lrs(), label(c) + " resumed step " + (i + 1));
                }
            }));
        }
        return tests.stream();
    }

    @Test void jumpsToAnEpochUseTheClosedFormsLikePyTorch() {
        for (JsonNode j : FIX.get("jumps")) {
            var opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
            JsonNode a = j.get("args");
            LRScheduler s = switch (j.get("scheduler").asText()) {
                case "StepLR" -> new StepLR(opt, a.get("step_size").asInt(), a.get("gamma").asDouble());
                case "MultiStepLR" -> new MultiStepLR(opt, Fixtures.ints(a.get("milestones")), a.get("gamma").asDouble());
                case "ExponentialLR" -> new ExponentialLR(opt, a.get("gamma").asDouble());
                case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, a.get("T_max").asInt(), a.get("eta_min").asDouble());
                case "LinearLR" -> new LinearLR(opt, a.get("start_factor").asDouble(), a.get("end_factor").asDouble(),
                        a.get("total_iters").asInt());
                case "CosineAnnealingWarmRestarts" -> new CosineAnnealingWarmRestarts(opt, a.get("T_0").asInt(),
                        a.get("T_mult").asInt(), a.get("eta_min").asDouble());
                default -> throw new IllegalArgumentException(j.get("scheduler").asText());
            };
            for (JsonNode step : j.get("lrs")) {
                double e = step.get(0).asDouble();
                if (s instanceof CosineAnnealingWarmRestarts w) w.step(e);
                else s.step((int) e);
                assertEquals(step.get(1).asDouble(), opt.paramGroups().get(0).lr(), 0.0, j.get("scheduler").asText() + " at epoch " + e);
            }
        }
    }

    @Test void badArgumentsAreRejected() {
        var opt = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 1.5, 1.0, 5));
        assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(opt).factor(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 2)), new int[]{3}));
        var other = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
        assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(new StepLR(opt, 2), new StepLR(other, 2)), new int[]{3}));
        var ex = assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 3).loadStateDict(new CosineAnnealingLR(opt, 10).stateDict()));
        assertTrue(ex.getMessage().contains("step_size"), ex.getMessage());
        var oc = new OneCycleLR(new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1, 0.9), 0.1, 3);
        oc.step();
        oc.step();
        oc.step();
        assertThrows(IllegalStateException.class, oc::step);
    }
}
