package dev.kindling.amp;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.io.Checkpoint;
import dev.kindling.nn.Linear;
import dev.kindling.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's GradScaler errors, in our words and naming the op; a failed load changes nothing. */
class GradScalerErrorsTest {
    @TempDir Path dir;

    static void throwsWith(Class<? extends Throwable> type, String expected, Executable call) {
        String msg = assertThrows(type, call).getMessage();
        assertTrue(msg.contains(expected), "message was: " + msg);
    }

    /** A linear layer, its SGD and a scaler after {@code scale(loss).backward()}. */
    record Iteration(Linear net, SGD opt, GradScaler scaler) {
        static Iteration start() {
            Kindling.manualSeed(5);
            Linear net = new Linear(3, 2);
            var it = new Iteration(net, new SGD(net.parameters(), 0.1), new GradScaler());
            it.backward();
            return it;
        }

        void backward() {
            opt.zeroGrad();
            scaler.scale(net.forward(Tensor.ones(4, 3)).sum()).backward();
        }
    }

    @Test void badOptionsAreRefused() {
        throwsWith(IllegalArgumentException.class, "GradScaler: the growth factor must be > 1.0 and finite, got 1.0",
                () -> GradScaler.builder().growthFactor(1.0).build());
        throwsWith(IllegalArgumentException.class, "the growth factor must be > 1.0", () -> GradScaler.builder().growthFactor(Double.NaN).build());
        throwsWith(IllegalArgumentException.class, "GradScaler: the backoff factor must be < 1.0 and > 0, got 1.0",
                () -> GradScaler.builder().backoffFactor(1.0).build());
        throwsWith(IllegalArgumentException.class, "the backoff factor must be < 1.0 and > 0, got 0.0", () -> GradScaler.builder().backoffFactor(0).build());
        throwsWith(IllegalArgumentException.class, "GradScaler: the growth interval must be >= 1, got 0", () -> GradScaler.builder().growthInterval(0).build());
        throwsWith(IllegalArgumentException.class, "GradScaler: initScale must be a positive finite number, got 0.0",
                () -> GradScaler.builder().initScale(0).build());
        throwsWith(IllegalArgumentException.class, "initScale must be a positive finite number, got Infinity",
                () -> GradScaler.builder().initScale(Double.POSITIVE_INFINITY).build());
        var s = new GradScaler();
        throwsWith(IllegalArgumentException.class, "GradScaler.setGrowthFactor: the growth factor must be > 1.0", () -> s.setGrowthFactor(0.5));
        throwsWith(IllegalArgumentException.class, "GradScaler.setBackoffFactor: the backoff factor must be < 1.0", () -> s.setBackoffFactor(2));
        throwsWith(IllegalArgumentException.class, "GradScaler.setGrowthInterval: the growth interval must be >= 1", () -> s.setGrowthInterval(-1));
        assertEquals(new GradScaler().stateDict(), s.stateDict(), "a refused setter changes nothing");
    }

    @Test void unscaleTwiceInOneIteration() {
        var it = Iteration.start();
        it.scaler().unscale_(it.opt());
        float[] once = it.net().weight.grad().toFloatArray();
        throwsWith(IllegalStateException.class,
                "GradScaler.unscale_: unscale_() has already been called on this optimizer since the last update()",
                () -> it.scaler().unscale_(it.opt()));
        assertArrayEquals(once, it.net().weight.grad().toFloatArray(), 0f, "the refused call did not unscale again");
    }

    @Test void float16GradientsAreRefusedAsInPyTorch() {
        Tensor fp32 = Tensor.ones(3).requiresGrad(true), fp16 = Tensor.ones(new int[]{2, 2}, DType.FLOAT16).requiresGrad(true);
        fp32.setGrad(Tensor.full(new int[]{3}, 8.0));
        fp16.setGrad(Tensor.full(new int[]{2, 2}, 8.0, DType.FLOAT16));
        var opt = new SGD(List.of(fp32, fp16), 0.1);
        var scaler = GradScaler.builder().initScale(4).build();
        scaler.scale(Tensor.scalar(1.0, DType.FLOAT32));
        throwsWith(IllegalArgumentException.class, "GradScaler.unscale_: attempting to unscale FP16 gradients (a parameter of shape [2, 2]",
                () -> scaler.unscale_(opt));
        throwsWith(IllegalArgumentException.class, "GradScaler.unscale_: attempting to unscale FP16 gradients", () -> scaler.step(opt));
        assertArrayEquals(new float[]{8, 8, 8}, fp32.grad().toFloatArray(), 0f, "no gradient was unscaled, not even the float32 one");
        assertArrayEquals(new float[]{1, 1, 1}, fp32.toFloatArray(), 0f, "and nothing stepped");
    }

    @Test void unscaleAfterStep() {
        var it = Iteration.start();
        it.scaler().step(it.opt());
        throwsWith(IllegalStateException.class, "GradScaler.unscale_: unscale_() is being called after step()",
                () -> it.scaler().unscale_(it.opt()));
    }

    @Test void stepTwiceWithoutUpdate() {
        var it = Iteration.start();
        it.scaler().step(it.opt());
        float[] after = it.net().weight.toFloatArray();
        throwsWith(IllegalStateException.class, "GradScaler.step: step() has already been called since the last update()",
                () -> it.scaler().step(it.opt()));
        assertArrayEquals(after, it.net().weight.toFloatArray(), 0f, "the refused step did not step");
        // after update() the next iteration may step again
        it.scaler().update();
        it.backward();
        assertTrue(it.scaler().step(it.opt()));
    }

    @Test void stepOrUpdateBeforeAnyScale() {
        Linear net = new Linear(3, 2);
        var opt = new SGD(net.parameters(), 0.1);
        var scaler = new GradScaler();
        net.forward(Tensor.ones(1, 3)).sum().backward();
        throwsWith(IllegalStateException.class, "GradScaler.step: the scale has not been created yet; call scaler.scale(loss)",
                () -> scaler.step(opt));
        throwsWith(IllegalStateException.class, "GradScaler.unscale_: the scale has not been created yet", () -> scaler.unscale_(opt));
        throwsWith(IllegalStateException.class, "GradScaler.update: the scale has not been created yet", scaler::update);
    }

    @Test void stepForAnOptimizerWithoutGradients() {
        var it = Iteration.start();
        var other = new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), 0.1);
        throwsWith(IllegalStateException.class, "GradScaler.step: no inf checks were recorded for this optimizer",
                () -> it.scaler().step(other));
    }

    @Test void updateWithoutAnyStep() {
        var it = Iteration.start();
        throwsWith(IllegalStateException.class, "GradScaler.update: no inf checks were recorded prior to update()", it.scaler()::update);
        throwsWith(IllegalArgumentException.class, "GradScaler.update: newScale must be a positive finite number, got NaN",
                () -> it.scaler().update(Double.NaN));
        assertEquals(65536.0, it.scaler().getScale(), 0.0);
    }

    @Test void nullArguments() {
        var s = new GradScaler();
        throwsWith(IllegalArgumentException.class, "GradScaler.scale: outputs must be a Tensor or a list of Tensors, got null",
                () -> s.scale((Tensor) null));
        throwsWith(IllegalArgumentException.class, "GradScaler.step: optimizer must not be null", () -> s.step(null));
        throwsWith(IllegalArgumentException.class, "GradScaler.unscale_: optimizer must not be null", () -> s.unscale_(null));
    }

    static Map<String, Object> good() {
        Map<String, Object> sd = new HashMap<>();
        sd.put("scale", 1024.0);
        sd.put("growth_factor", 2.0);
        sd.put("backoff_factor", 0.5);
        sd.put("growth_interval", 100);
        sd.put("_growth_tracker", 3);
        return sd;
    }

    static Map<String, Object> with(String key, Object value) {
        Map<String, Object> sd = good();
        if (value == null) sd.remove(key);
        else sd.put(key, value);
        return sd;
    }

    @Test void badStateDictsAreRefusedAndChangeNothing() {
        var s = GradScaler.builder().initScale(8).growthInterval(4).build();
        Map<String, Object> before = s.stateDict();
        throwsWith(IllegalArgumentException.class,
                "GradScaler.loadStateDict: the source state dict is empty, possibly because it was saved from a disabled GradScaler",
                () -> s.loadStateDict(GradScaler.builder().enabled(false).build().stateDict()));
        throwsWith(IllegalArgumentException.class, "GradScaler.loadStateDict: \"_growth_tracker\" must be an integer, got nothing",
                () -> s.loadStateDict(with("_growth_tracker", null)));
        throwsWith(IllegalArgumentException.class, "\"growth_interval\" must be an integer, got 2.5", () -> s.loadStateDict(with("growth_interval", 2.5)));
        throwsWith(IllegalArgumentException.class, "\"scale\" must be a number, got big", () -> s.loadStateDict(with("scale", "big")));
        throwsWith(IllegalArgumentException.class, "\"scale\" must be a finite number >= 0, got NaN", () -> s.loadStateDict(with("scale", Double.NaN)));
        throwsWith(IllegalArgumentException.class, "GradScaler.loadStateDict: the growth factor must be > 1.0", () -> s.loadStateDict(with("growth_factor", 0.9)));
        throwsWith(IllegalArgumentException.class, "\"_growth_tracker\" must be >= 0, got -1", () -> s.loadStateDict(with("_growth_tracker", -1)));
        assertEquals(before, s.stateDict(), "every refused load left the scaler as it was");
        s.checkStateDict(good());
        assertEquals(before, s.stateDict(), "checkStateDict changes nothing");
        s.loadStateDict(good());
        assertEquals(good(), s.stateDict());
    }

    @Test void checkpointRestoreIsAllOrNothingAcrossModelOptimizerAndScaler() {
        var it = Iteration.start();
        it.scaler().step(it.opt());
        it.scaler().update();
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, Map.of("model", it.net().stateDict(), "optimizer", it.opt().stateDict(),
                "scaler", with("growth_interval", 0)));
        Kindling.manualSeed(6);
        Linear fresh = new Linear(3, 2);
        float[] weight = fresh.weight.toFloatArray();
        var scaler = new GradScaler();
        Map<String, Object> ckpt = Checkpoint.load(file);
        throwsWith(IllegalArgumentException.class,
                "Checkpoint.restore: \"scaler\": GradScaler.loadStateDict: the growth interval must be >= 1, got 0",
                () -> Checkpoint.restore(ckpt, Map.of("model", fresh, "optimizer", new SGD(fresh.parameters(), 0.1), "scaler", scaler)));
        assertArrayEquals(weight, fresh.weight.toFloatArray(), 0f, "the model was not loaded either");
        assertEquals(new GradScaler().stateDict(), scaler.stateDict());
        throwsWith(IllegalArgumentException.class, "expected a Module, an Optimizer, an LRScheduler, a ReduceLROnPlateau or a GradScaler",
                () -> Checkpoint.restore(ckpt, Map.of("scaler", "not a scaler")));
    }

    @Test void aCheckpointedScalerComesBackThroughCheckpointRestore() {
        var it = Iteration.start();
        it.scaler().step(it.opt());
        it.scaler().update(1234.5);
        Path file = dir.resolve("scaler.safetensors");
        Checkpoint.save(file, Map.of("scaler", it.scaler().stateDict()));
        var back = GradScaler.builder().initScale(2).growthFactor(3).growthInterval(9).build();
        Checkpoint.restore(Checkpoint.load(file), Map.of("scaler", back));
        assertEquals(it.scaler().stateDict(), back.stateDict());
        assertEquals(1234.5, back.getScale(), 0.0);
        // a disabled scaler's empty state restores into a disabled scaler, as PyTorch's load is a no-op there
        Checkpoint.save(file, Map.of("scaler", GradScaler.builder().enabled(false).build().stateDict()));
        var off = GradScaler.builder().enabled(false).build();
        Checkpoint.restore(Checkpoint.load(file), Map.of("scaler", off));
        assertEquals(Map.of(), off.stateDict());
    }
}
