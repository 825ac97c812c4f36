package dev.kindling.io;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.BatchNorm1d;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.SGD;
import dev.kindling.optim.lr.CosineAnnealingLR;
import dev.kindling.optim.lr.LinearLR;
import dev.kindling.optim.lr.ReduceLROnPlateau;
import dev.kindling.optim.lr.SequentialLR;
import dev.kindling.optim.lr.StepLR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 4: a load that throws changes nothing. Module, optimizer, scheduler and whole-checkpoint
 * loads are each given a state dict whose last entry is bad; afterwards every value is bit-identical to before.
 */
class AllOrNothingLoadTest {
    @TempDir Path dir;

    static Sequential net(long seed) {
        Kindling.manualSeed(seed);
        return new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Linear(3, 2));
    }

    /** Every value of a module's state as raw bits, in key order. */
    static Map<String, List<Long>> bits(Module m) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> out.put(k, bits(t)));
        return out;
    }

    static List<Long> bits(Tensor t) {
        List<Long> l = new ArrayList<>();
        for (double v : t.toDoubleArray()) l.add(Double.doubleToRawLongBits(v));
        return l;
    }

    /** An optimizer state dict with its tensors replaced by their bits: comparable with equals. */
    static Object snapshot(Object v) {
        if (v instanceof Tensor t) return bits(t);
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, snapshot(x)));
            return out;
        }
        if (v instanceof List<?> l) return l.stream().map(AllOrNothingLoadTest::snapshot).toList();
        return v;
    }

    /** A detached copy of a module's state dict, safe to edit. */
    static LinkedHashMap<String, Tensor> copyOf(Module m) {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        m.stateDict().forEach((k, t) -> sd.put(k, t.clone()));
        return sd;
    }

    static void trainOneStep(Module m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(Tensor.randn(5, 4)).pow(2).sum().backward();
        opt.step();
    }

    // ------------------------------------------------------------------ Module

    @Test void moduleLoadWithABadLastEntryCopiesNothing() {
        Sequential a = net(1);
        var before = bits(a);
        List<Consumer<LinkedHashMap<String, Tensor>>> spoilers = List.of(
                sd -> sd.get("3.bias").close(),                           // a closed tensor
                sd -> sd.put("3.bias", null),                             // a null value
                sd -> sd.put("3.bias", Tensor.zeros(3)),                  // a wrong shape
                sd -> sd.remove("3.bias"));                               // strict: a missing key
        for (var spoil : spoilers) {
            LinkedHashMap<String, Tensor> sd = copyOf(net(2));
            spoil.accept(sd);
            var e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd));
            assertTrue(e.getMessage().contains("3.bias"), e.getMessage());
            assertEquals(before, bits(a), "nothing copied after: " + e.getMessage());
        }
        // non-strict: a closed tensor still throws, and still before anything is copied
        LinkedHashMap<String, Tensor> sd = copyOf(net(2));
        sd.get("3.weight").close();
        assertThrows(IllegalArgumentException.class, () -> a.loadStateDict(sd, false));
        assertEquals(before, bits(a));
    }

    @Test @SuppressWarnings({"unchecked", "rawtypes"})
    void moduleLoadOfAnUncheckedMapNamesTheEntryThatIsNotATensor() {
        Sequential a = net(1);
        var before = bits(a);
        Map raw = copyOf(net(2));
        raw.put("3.bias", "not a tensor");
        var e = assertThrows(IllegalArgumentException.class, () -> a.loadStateDict((Map<String, Tensor>) raw));
        assertTrue(e.getMessage().contains("3.bias") && e.getMessage().contains("String"), e.getMessage());
        assertEquals(before, bits(a));
    }

    @Test void checkStateDictChangesNothingAndLoadStillWorks() {
        Sequential a = net(1), b = net(2);
        var before = bits(a);
        a.checkStateDict(b.stateDict(), true);
        assertEquals(before, bits(a));
        a.loadStateDict(b.stateDict());
        assertEquals(bits(b), bits(a));
    }

    // ------------------------------------------------------------------ Optimizer

    static Map<String, Object> adamStateAfterSteps(Sequential m, double lr, int steps) {
        var opt = new Adam(m.parameters(), lr);
        for (int i = 0; i < steps; i++) trainOneStep(m, opt);
        return opt.stateDict();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> paramState(Map<String, Object> sd, int index) {
        return (Map<String, Object>) ((Map<Integer, Object>) sd.get("state")).get(index);
    }

    @Test void optimizerLoadWithABadLastEntryChangesNoOptionAndNoState() {
        Sequential m = net(1);
        var opt = new Adam(m.parameters(), 1e-3);
        trainOneStep(m, opt);
        Object before = snapshot(opt.stateDict());
        int last = m.parameters().size() - 1;
        List<Consumer<Map<String, Object>>> spoilers = List.of(
                sd -> ((Tensor) paramState(sd, last).get("exp_avg_sq")).close(),
                sd -> paramState(sd, last).put("exp_avg", 0.5),
                sd -> paramState(sd, last).put("exp_avg", null),
                sd -> paramState(sd, last).put("exp_avg", Tensor.zeros(7)),
                sd -> paramState(sd, last).put("step", "three"),
                sd -> ((Tensor) paramState(sd, last).get("step")).close());
        for (var spoil : spoilers) {
            // another model's state after 3 steps at another learning rate: loading it would change everything
            Map<String, Object> sd = adamStateAfterSteps(net(2), 0.05, 3);
            spoil.accept(sd);
            var e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(sd));
            assertTrue(e.getMessage().contains("parameter " + last), e.getMessage());
            assertEquals(before, snapshot(opt.stateDict()), "nothing changed after: " + e.getMessage());
        }
        // the same state dict unspoiled loads
        Map<String, Object> good = adamStateAfterSteps(net(2), 0.05, 3);
        opt.loadStateDict(good);
        assertEquals(0.05, opt.paramGroups().get(0).lr());
        assertEquals(snapshot(good), snapshot(opt.stateDict()));
    }

    // ------------------------------------------------------------------ schedulers

    @Test void schedulerLoadWithABadEntryChangesNothing() {
        var opt = new SGD(net(1).parameters(), 0.1);
        var sched = new StepLR(opt, 3, 0.5);
        for (int i = 0; i < 4; i++) sched.step();
        Map<String, Object> before = sched.stateDict();

        var other = new StepLR(new SGD(net(1).parameters(), 0.7), 5, 0.1);
        for (int i = 0; i < 9; i++) other.step();
        for (Object bad : new Object[]{"five", 0, null}) {
            Map<String, Object> sd = other.stateDict();
            sd.put("step_size", bad);
            var e = assertThrows(IllegalArgumentException.class, () -> sched.loadStateDict(sd));
            assertTrue(e.getMessage().contains("step_size"), e.getMessage());
            assertEquals(before, sched.stateDict());
        }
        Map<String, Object> sd = other.stateDict();
        sd.put("_last_lr", List.of(0.1, 0.2));
        assertThrows(IllegalArgumentException.class, () -> sched.loadStateDict(sd));
        assertEquals(before, sched.stateDict());
        sched.loadStateDict(other.stateDict());
        assertEquals(other.stateDict(), sched.stateDict());
    }

    static SequentialLR warmupThenCosine(Optimizer opt) {
        return new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 3), new CosineAnnealingLR(opt, 10)), new int[]{3});
    }

    @Test @SuppressWarnings("unchecked")
    void sequentialLrChecksEveryInnerStateBeforeLoadingAny() {
        var opt = new SGD(net(1).parameters(), 0.1);
        var sched = warmupThenCosine(opt);
        sched.step();
        Map<String, Object> before = sched.stateDict();

        var otherOpt = new SGD(net(1).parameters(), 0.3);
        var other = warmupThenCosine(otherOpt);
        for (int i = 0; i < 6; i++) other.step();
        Map<String, Object> sd = other.stateDict();
        List<Map<String, Object>> inner = (List<Map<String, Object>>) sd.get("_schedulers");
        inner.get(1).put("T_max", "ten");                    // the second scheduler's state is bad
        var e = assertThrows(IllegalArgumentException.class, () -> sched.loadStateDict(sd));
        assertTrue(e.getMessage().contains("T_max"), e.getMessage());
        assertEquals(before, sched.stateDict(), "the first inner scheduler was not loaded either");

        sched.loadStateDict(other.stateDict());
        assertEquals(other.stateDict(), sched.stateDict());
    }

    @Test void reduceLrOnPlateauLoadWithABadEntryChangesNothing() {
        var sched = new ReduceLROnPlateau(new SGD(net(1).parameters(), 0.1), 2);
        for (double loss : new double[]{1, 0.9, 0.95, 0.97}) sched.step(loss);
        Map<String, Object> before = sched.stateDict();
        var other = new ReduceLROnPlateau(new SGD(net(1).parameters(), 0.1), 2);
        for (double loss : new double[]{3, 2, 1, 0.5, 0.6}) other.step(loss);
        Map<String, Object> sd = other.stateDict();
        sd.put("cooldown_counter", "none");
        var e = assertThrows(IllegalArgumentException.class, () -> sched.loadStateDict(sd));
        assertTrue(e.getMessage().contains("cooldown_counter"), e.getMessage());
        assertEquals(before, sched.stateDict());
        sched.loadStateDict(other.stateDict());
        assertEquals(other.stateDict(), sched.stateDict());
    }

    // ------------------------------------------------------------------ whole checkpoints

    @Test @SuppressWarnings("unchecked")
    void checkpointRestoreLoadsNoPartWhenALaterPartIsBad() {
        Sequential src = net(2);
        var srcOpt = new Adam(src.parameters(), 0.05);
        var srcSched = new StepLR(srcOpt, 2, 0.5);
        for (int i = 0; i < 3; i++) {
            trainOneStep(src, srcOpt);
            srcSched.step();
        }
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, Map.of("epoch", 3, "model", src.stateDict(), "optimizer", srcOpt.stateDict(),
                "scheduler", srcSched.stateDict()));

        Sequential m = net(1);
        var opt = new Adam(m.parameters(), 1e-3);
        trainOneStep(m, opt);
        var sched = new StepLR(opt, 2, 0.5);
        var modelBefore = bits(m);
        Object optBefore = snapshot(opt.stateDict());
        Map<String, Object> schedBefore = sched.stateDict();

        Map<String, Object> c = Checkpoint.load(file);
        Map<String, Object> optState = (Map<String, Object>) c.get("optimizer");
        paramState(optState, m.parameters().size() - 1).put("exp_avg", Tensor.zeros(9));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.restore(c, Map.of("model", m, "optimizer", opt, "scheduler", sched)));
        assertTrue(e.getMessage().contains("optimizer"), e.getMessage());
        assertEquals(modelBefore, bits(m), "the model is not half restored");
        assertEquals(optBefore, snapshot(opt.stateDict()));
        assertEquals(schedBefore, sched.stateDict());

        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(c, Map.of("model", m, "missing", opt)));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(c, Map.of("model", m, "epoch", opt)));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(c, Map.of("model", "not a target")));
        assertEquals(modelBefore, bits(m));

        Map<String, Object> good = Checkpoint.load(file);
        Checkpoint.restore(good, Map.of("model", m, "optimizer", opt, "scheduler", sched));
        assertEquals(bits(src), bits(m));
        assertEquals(snapshot(srcOpt.stateDict()), snapshot(opt.stateDict()));
        assertEquals(srcSched.stateDict(), sched.stateDict());
        assertNotEquals(modelBefore, bits(m));
        assertArrayEquals(src.forward(Tensor.ones(2, 4)).toFloatArray(), m.forward(Tensor.ones(2, 4)).toFloatArray());
    }
}
