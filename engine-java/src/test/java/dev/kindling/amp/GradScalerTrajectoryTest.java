package dev.kindling.amp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.io.Checkpoint;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.optim.Optimizer;
import dev.kindling.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * GradScaler against PyTorch 1.13's, step for step, on the trajectories of {@code gen_amp_fixtures.py}: the
 * 10-5-2 MLP with Inf and NaN gradients injected at some steps, so that steps are skipped, the scale backs off
 * and grows again after the growth interval (SGD with momentum in float32; Adam with unscale_ and gradient
 * clipping in float64 with a non-power-of-two scale and factors; two optimizers sharing one scaler).
 */
class GradScalerTrajectoryTest {
    @TempDir Path dir;

    /**
     * Fed PyTorch's scaled gradients, everything the scaler computes is PyTorch's to the bit: the unscaled
     * gradients, which optimizers step, the scale, the growth tracker and the state dict; and so the parameters.
     */
    @TestFactory Stream<DynamicTest> fedPyTorchsScaledGradientsEveryStepIsPyTorchs() {
        return AmpCase.cases().stream().map(spec -> DynamicTest.dynamicTest(spec.get("name").asText(), () -> {
            AmpCase c = new AmpCase(spec);
            for (int k = 0; k < c.steps(); k++) fedStep(c, k);
        }));
    }

    /** Own forward and backward: the scaled loss and gradients agree with PyTorch's to rounding, the decisions exactly. */
    @TestFactory Stream<DynamicTest> withItsOwnGradientsTheTrajectoryFollowsPyTorch() {
        return AmpCase.cases().stream().map(spec -> DynamicTest.dynamicTest(spec.get("name").asText(), () -> {
            AmpCase c = new AmpCase(spec);
            double tol = c.dtype == DType.FLOAT64 ? 1e-9 : 2e-5;
            for (int k = 0; k < c.steps(); k++) {
                JsonNode s = c.step(k);
                String at = spec.get("name").asText() + " step " + k;
                try (var scope = Kindling.scope()) {
                    c.opts.forEach(Optimizer::zeroGrad);
                    Tensor scaled = c.ownScaledGrads(k);
                    assertArrayEquals(Fixtures.ints(s.get("scaled_shape")), scaled.shape(), at + ": scaled loss shape");
                    assertEquals(Fixtures.dtype(s.get("scaled_dtype").asText()), scaled.dtype(), at + ": scaled loss dtype");
                    assertEquals(s.get("scaled_loss").asDouble(), scaled.item(), tol * Math.abs(s.get("scaled_loss").asDouble()), at);
                    assertNull(compare(grads(c.params), s.get("scaled_grads"), tol, at + ": scaled grads"));
                    assertEquals(AmpCase.booleans(s.get("stepped")), c.finishStep(), at + ": which optimizers stepped");
                    c.scaler.update();
                }
                assertEquals(s.get("scale").asDouble(), c.scaler.getScale(), 0.0, at + ": scale");
                assertEquals(s.get("growth_tracker").asInt(), c.scaler.stateDict().get("_growth_tracker"), at + ": growth tracker");
                assertNull(compare(values(c.params), s.get("params"), tol, at + ": params"));
            }
        }));
    }

    /**
     * Saved with {@code Checkpoint} half way (model, optimizers, scaler) and restored into a fresh model, fresh
     * optimizers and a default {@code new GradScaler()}, the run goes on exactly as the uninterrupted one.
     */
    @TestFactory Stream<DynamicTest> resumedFromACheckpointTheTrajectoryIsTheSame() {
        return AmpCase.cases().stream().map(spec -> DynamicTest.dynamicTest(spec.get("name").asText(), () -> {
            AmpCase c = new AmpCase(spec);
            int half = c.steps() / 2;
            for (int k = 0; k < half; k++) fedStep(c, k);
            Map<String, Object> ckpt = new LinkedHashMap<>();
            Map<String, Object> targets = new LinkedHashMap<>();
            AmpCase fresh = new AmpCase(spec);
            fresh.scaler = new GradScaler();
            ckpt.put("model", c.net.stateDict());
            targets.put("model", fresh.net);
            for (int i = 0; i < c.opts.size(); i++) {
                ckpt.put("optimizer" + i, c.opts.get(i).stateDict());
                targets.put("optimizer" + i, fresh.opts.get(i));
            }
            ckpt.put("scaler", c.scaler.stateDict());
            targets.put("scaler", fresh.scaler);
            Path file = dir.resolve(spec.get("name").asText() + ".safetensors");
            Checkpoint.save(file, ckpt);
            Checkpoint.restore(Checkpoint.load(file), targets);
            assertEquals(c.scaler.stateDict(), fresh.scaler.stateDict(), "restored scaler state");
            for (int k = half; k < c.steps(); k++) fedStep(fresh, k);
        }));
    }

    /** One fed step of {@code c} at step {@code k}, checked against the fixture. */
    static void fedStep(AmpCase c, int k) {
        JsonNode s = c.step(k);
        String at = c.spec.get("name").asText() + " step " + k;
        double rtol = c.dtype == DType.FLOAT64 ? (c.clip() == null ? 0 : 1e-13) : 1e-6;
        assertEquals(s.get("scale_before").asDouble(), c.scaler.getScale(), 0.0, at + ": scale before");
        try (var scope = Kindling.scope()) {
            c.opts.forEach(Optimizer::zeroGrad);
            Tensor scaled = c.scaler.scale(new CrossEntropyLoss().forward(c.net.forward(c.x), c.y));
            assertEquals(s.get("scaled_loss").asDouble(), scaled.item(), 1e-5 * Math.abs(s.get("scaled_loss").asDouble()), at);
            c.feedScaledGrads(k);
            List<Boolean> stepped = new ArrayList<>();
            if (c.clip() != null) {
                for (Optimizer o : c.opts) c.scaler.unscale_(o);
                assertNull(compare(grads(c.params), s.get("unscaled_grads"), 0, at + ": unscaled grads"));
                Kindling.clipGradNorm(c.params, c.clip());
                for (Optimizer o : c.opts) stepped.add(c.scaler.step(o));
            } else {
                for (Optimizer o : c.opts) stepped.add(c.scaler.step(o));
                assertNull(compare(grads(c.params), s.get("unscaled_grads"), 0, at + ": unscaled grads"));
            }
            assertEquals(AmpCase.booleans(s.get("stepped")), stepped, at + ": which optimizers stepped");
            c.scaler.update();
        }
        assertEquals(s.get("scale").asDouble(), c.scaler.getScale(), 0.0, at + ": scale");
        Map<String, Object> expected = new LinkedHashMap<>();
        s.get("state_dict").fields().forEachRemaining(e -> expected.put(e.getKey(),
                e.getValue().isInt() ? (Object) e.getValue().asInt() : (Object) e.getValue().asDouble()));
        assertEquals(expected, c.scaler.stateDict(), at + ": state dict");
        assertNull(compare(values(c.params), s.get("params"), rtol, at + ": params"));
    }

    /**
     * Null when every element of {@code actual} equals {@code expected}: non-finite values exactly, the rest within
     * {@code rtol} relative to the largest finite |expected| of the same tensor (so that an element which is small
     * by cancellation is held to the precision of the tensor it belongs to); otherwise where they first differ.
     */
    static String compare(List<double[]> actual, JsonNode expected, double rtol, String what) {
        for (int i = 0; i < actual.size(); i++) {
            double[] a = actual.get(i);
            double[] e = Fixtures.doubles(expected.get(i));
            assertEquals(e.length, a.length, what + ": element count of param " + i);
            double scale = 1e-3;
            for (double v : e) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
            for (int j = 0; j < a.length; j++) {
                boolean ok = !Double.isFinite(e[j]) || rtol == 0 ? Double.compare(a[j], e[j]) == 0
                        : Math.abs(a[j] - e[j]) <= rtol * scale;
                if (!ok) return what + ": param " + i + " element " + j + " is " + a[j] + ", PyTorch has " + e[j];
            }
        }
        return null;
    }

    static List<double[]> values(List<Tensor> ts) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : ts) out.add(t.toDoubleArray());
        return out;
    }

    static List<double[]> grads(List<Tensor> ts) {
        List<double[]> out = new ArrayList<>();
        for (Tensor t : ts) out.add(t.grad().toDoubleArray());
        return out;
    }

    /** The fixture really exercises what it claims: skipped steps, backoff and growth in every case. */
    @TestFactory Stream<DynamicTest> fixtureCoversSkipsBackoffAndGrowth() {
        return AmpCase.cases().stream().map(spec -> DynamicTest.dynamicTest(spec.get("name").asText(), () -> {
            boolean skipped = false, grew = false, backedOff = false;
            for (JsonNode s : spec.get("trajectory")) {
                skipped |= AmpCase.booleans(s.get("stepped")).contains(false);
                grew |= s.get("scale").asDouble() > s.get("scale_before").asDouble();
                backedOff |= s.get("scale").asDouble() < s.get("scale_before").asDouble();
            }
            assertTrue(skipped && grew && backedOff, "skipped " + skipped + ", grew " + grew + ", backed off " + backedOff);
            assertFalse(spec.get("inject").isEmpty());
        }));
    }
}
