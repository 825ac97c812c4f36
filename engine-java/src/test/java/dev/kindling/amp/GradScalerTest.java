package dev.kindling.amp;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.Linear;
import dev.kindling.nn.MSELoss;
import dev.kindling.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What GradScaler does to losses, gradients and its scale, outside the PyTorch trajectories. */
class GradScalerTest {
    static Linear net(DType dtype) {
        Kindling.manualSeed(3);
        Linear l = new Linear(4, 3);
        l.to(dtype);
        return l;
    }

    static Tensor loss(Linear l, DType dtype) {
        Kindling.manualSeed(4);
        Tensor x = Tensor.randn(5, 4).to(dtype), y = Tensor.randn(5, 3).to(dtype);
        return new MSELoss().forward(l.forward(x), y);
    }

    static double[][] grads(Linear l) {
        return new double[][]{l.weight.grad().toDoubleArray(), l.bias.grad().toDoubleArray()};
    }

    @Test void scaledLossBackwardGivesScaleTimesTheTrueGradients() {
        for (DType dt : List.of(DType.FLOAT32, DType.FLOAT64)) {
            Linear l = net(dt);
            loss(l, dt).backward();
            double[][] truth = grads(l);
            l.zeroGrad();
            var scaler = new GradScaler();
            scaler.scale(loss(l, dt)).backward();
            double[][] scaled = grads(l);
            for (int i = 0; i < truth.length; i++) {
                for (int j = 0; j < truth[i].length; j++) {
                    // 65536 is a power of two: scaling is exact in every float type
                    assertEquals(65536 * truth[i][j], scaled[i][j], 0.0, dt + " grad " + i + "[" + j + "]");
                }
            }
        }
    }

    @Test void aScaleThatIsNoPowerOfTwoIsRoundedToFloat32First() {
        Linear l = net(DType.FLOAT64);
        loss(l, DType.FLOAT64).backward();
        double[][] truth = grads(l);
        l.zeroGrad();
        var scaler = GradScaler.builder().initScale(1000.1).build();
        assertEquals(1000.1, scaler.getScale(), 0.0, "before the first scale(): the initial scale as given");
        Tensor scaled = scaler.scale(loss(l, DType.FLOAT64));
        assertEquals((double) 1000.1f, scaler.getScale(), 0.0, "from then on: the float32 scale");
        assertArrayEquals(new int[]{1}, scaled.shape(), "a 0-d loss times the [1] scale, as in PyTorch");
        assertEquals(DType.FLOAT32, scaled.dtype(), "the dimensioned float32 scale sets the dtype, as in PyTorch");
        scaled.backward();
        double[][] got = grads(l);
        for (int i = 0; i < truth.length; i++) {
            for (int j = 0; j < truth[i].length; j++) {
                assertEquals(1000.1f * truth[i][j], got[i][j], 1e-12 * Math.abs(1000.1f * truth[i][j]) + 1e-300);
            }
        }
    }

    @Test void severalOutputsAreEachScaled() {
        var scaler = GradScaler.builder().initScale(8).build();
        List<Tensor> out = scaler.scale(List.of(Tensor.of(1f, 2f), Tensor.scalar(3.0, DType.FLOAT32)));
        assertArrayEquals(new float[]{8f, 16f}, out.get(0).toFloatArray());
        assertArrayEquals(new float[]{24f}, out.get(1).toFloatArray());
    }

    @Test void stepUnscalesOnceWhetherOrNotUnscaleWasCalled() {
        for (boolean explicit : new boolean[]{false, true}) {
            Linear l = net(DType.FLOAT32);
            loss(l, DType.FLOAT32).backward();
            double[][] truth = grads(l);
            l.zeroGrad();
            var opt = new SGD(l.parameters(), 0.0);
            var scaler = new GradScaler();
            scaler.scale(loss(l, DType.FLOAT32)).backward();
            if (explicit) scaler.unscale_(opt);
            assertTrue(scaler.step(opt));
            double[][] after = grads(l);
            for (int i = 0; i < truth.length; i++) assertArrayEquals(truth[i], after[i], 0.0, "explicit unscale_ " + explicit);
        }
    }

    @Test void bfloat16GradientsAreUnscaledInFloat32AndRoundedOnce() {
        Kindling.manualSeed(7);
        Tensor g = Tensor.randn(256).mul(100).to(DType.BFLOAT16);
        Tensor p = Tensor.zeros(new int[]{256}, DType.BFLOAT16).requiresGrad(true);
        p.setGrad(g.clone());
        var scaler = GradScaler.builder().initScale(3).build();
        scaler.scale(Tensor.scalar(1.0, DType.BFLOAT16));
        scaler.unscale_(new SGD(List.of(p), 0.0));
        assertEquals(DType.BFLOAT16, p.grad().dtype());
        float inv = (float) (1.0 / 3.0);
        float[] raw = g.toFloatArray(), expected = new float[raw.length];
        for (int i = 0; i < raw.length; i++) expected[i] = raw[i] * inv;
        Tensor want = Tensor.fromArray(expected, 256).to(DType.BFLOAT16);
        assertArrayEquals(want.toFloatArray(), p.grad().toFloatArray(), 0f);
        // the data tells the two roundings apart: with the inverse scale rounded to bfloat16 first, results differ
        try (var off = Kindling.noGrad()) {
            assertNotEquals(java.util.Arrays.toString(want.toFloatArray()),
                    java.util.Arrays.toString(g.mul(Tensor.scalar(inv, DType.BFLOAT16)).toFloatArray()));
        }
    }

    @Test void aNonFiniteGradientSkipsTheStepAndBacksOff() {
        for (double bad : new double[]{Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            Linear l = net(DType.FLOAT32);
            var opt = new SGD(l.parameters(), 0.1);
            var scaler = GradScaler.builder().initScale(1024).growthInterval(1).build();
            float[] before = l.weight.toFloatArray();
            scaler.scale(loss(l, DType.FLOAT32)).backward();
            try (var off = Kindling.noGrad()) {
                l.bias.grad().fill_(bad);
            }
            assertFalse(scaler.step(opt), "skipped for " + bad);
            assertArrayEquals(before, l.weight.toFloatArray(), 0f, "parameters untouched for " + bad);
            scaler.update();
            assertEquals(512.0, scaler.getScale(), 0.0);
            assertEquals(0, scaler.stateDict().get("_growth_tracker"));
            // the next, clean iteration steps and (interval 1) grows the scale again
            opt.zeroGrad();
            scaler.scale(loss(l, DType.FLOAT32)).backward();
            assertTrue(scaler.step(opt));
            assertNotEquals(before[0], l.weight.toFloatArray()[0]);
            scaler.update();
            assertEquals(1024.0, scaler.getScale(), 0.0);
        }
    }

    @Test void theScaleNeverGrowsPastTheFloat32Maximum() {
        Linear l = net(DType.FLOAT64);
        var opt = new SGD(l.parameters(), 0.0);
        var scaler = GradScaler.builder().initScale(3e38).growthInterval(1).build();
        float start = 3e38f;
        scaler.scale(loss(l, DType.FLOAT64)).backward();
        assertTrue(scaler.step(opt));
        scaler.update();
        // 6e38 is Inf in float32: PyTorch 2.1 (not 1.13) keeps the old scale, and so do we
        assertEquals(start, scaler.getScale(), 0.0);
        assertEquals(0, scaler.stateDict().get("_growth_tracker"));
    }

    @Test void growthAndBackoffRoundTheDoubleProductToFloat32() {
        assertEquals(new ScaleUpdate((float) (1000.1f * 1.5), 0), ScaleUpdate.next(1000.1f, 1, false, 1.5, 0.5, 2));
        assertEquals(new ScaleUpdate((float) (1000.1f * 0.3), 0), ScaleUpdate.next(1000.1f, 1, true, 1.5, 0.3, 2));
        assertEquals(new ScaleUpdate(1000.1f, 2), ScaleUpdate.next(1000.1f, 1, false, 1.5, 0.5, 3));
    }

    @Test void updateWithANewScaleSetsItAndKeepsTheTracker() {
        Linear l = net(DType.FLOAT32);
        var opt = new SGD(l.parameters(), 0.0);
        var scaler = GradScaler.builder().growthInterval(10).build();
        scaler.scale(loss(l, DType.FLOAT32)).backward();
        scaler.step(opt);
        scaler.update();
        assertEquals(1, scaler.stateDict().get("_growth_tracker"));
        opt.zeroGrad();
        scaler.scale(loss(l, DType.FLOAT32)).backward();
        scaler.step(opt);
        scaler.update(0.1);
        assertEquals((double) 0.1f, scaler.getScale(), 0.0);
        assertEquals(1, scaler.stateDict().get("_growth_tracker"));
        // and the iteration is over: step() may be called again
        opt.zeroGrad();
        scaler.scale(loss(l, DType.FLOAT32)).backward();
        assertTrue(scaler.step(opt));
    }

    @Test void disabledEverythingPassesThrough() {
        Linear l = net(DType.FLOAT32);
        var opt = new SGD(l.parameters(), 0.1);
        var scaler = GradScaler.builder().enabled(false).build();
        assertFalse(scaler.isEnabled());
        Tensor loss = loss(l, DType.FLOAT32);
        assertSame(loss, scaler.scale(loss));
        assertSame(loss, scaler.scale(List.of(loss)).get(0));
        loss.backward();
        try (var off = Kindling.noGrad()) {
            l.bias.grad().fill_(Float.POSITIVE_INFINITY);
        }
        float[] grad = l.weight.grad().toFloatArray();
        scaler.unscale_(opt);
        assertArrayEquals(grad, l.weight.grad().toFloatArray(), 0f, "unscale_ does nothing");
        assertTrue(scaler.step(opt), "step() just steps, even with Inf gradients");
        assertTrue(Float.isInfinite(l.bias.toFloatArray()[0]));
        scaler.update();
        scaler.update(5.0);
        assertEquals(1.0, scaler.getScale(), 0.0);
        assertEquals(Map.of(), scaler.stateDict());
        scaler.loadStateDict(Map.of());
        scaler.loadStateDict(new GradScaler().stateDict());
        assertEquals(1.0, scaler.getScale(), 0.0);
    }

    @Test void gettersAndSettersAndDefaults() {
        var s = new GradScaler();
        assertEquals(65536.0, s.getScale(), 0.0);
        assertEquals(2.0, s.getGrowthFactor(), 0.0);
        assertEquals(0.5, s.getBackoffFactor(), 0.0);
        assertEquals(2000, s.getGrowthInterval());
        assertTrue(s.isEnabled());
        s.setGrowthFactor(4);
        s.setBackoffFactor(0.25);
        s.setGrowthInterval(7);
        assertEquals(Map.of("scale", 65536.0, "growth_factor", 4.0, "backoff_factor", 0.25, "growth_interval", 7,
                "_growth_tracker", 0), s.stateDict());
        var b = GradScaler.builder().initScale(128).growthFactor(3).backoffFactor(0.125).growthInterval(5).build();
        assertEquals(Map.of("scale", 128.0, "growth_factor", 3.0, "backoff_factor", 0.125, "growth_interval", 5,
                "_growth_tracker", 0), b.stateDict());
    }

    @Test void aStateDictFromPyTorchWithLongsAndFloatsLoads() {
        var s = new GradScaler();
        s.loadStateDict(Map.of("scale", 1024.0f, "growth_factor", 2.0, "backoff_factor", 0.5, "growth_interval", 100L,
                "_growth_tracker", 42L));
        assertEquals(Map.of("scale", 1024.0, "growth_factor", 2.0, "backoff_factor", 0.5, "growth_interval", 100,
                "_growth_tracker", 42), s.stateDict());
        // a loaded scale replaces the current one also after the first scale()
        s.scale(Tensor.scalar(1.0, DType.FLOAT32));
        s.loadStateDict(Map.of("scale", 3.0, "growth_factor", 2.0, "backoff_factor", 0.5, "growth_interval", 100,
                "_growth_tracker", 0));
        assertEquals(3.0, s.getScale(), 0.0);
    }
}
