package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused layer norm (one op, {@code NativeLayerNormBackward0}) against the composite of mean, var and arithmetic it
 * replaced, in float64 (to 1e-12) and float32 (to a few float ulps), forward and every gradient; weight and bias each
 * present or not; more than one normalized dim; rows of one element; a float64 gradcheck and gradgradcheck; the same
 * bits on any number of threads.
 */
class LayerNormKernelTest {
    /** The composite Normalization.layerNorm took before the fused op. */
    private static Tensor composite(Tensor x, int[] shape, Tensor w, Tensor b, double eps) {
        int k = shape.length, d = x.dim();
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = d - k + i;
        Tensor y = x.sub(x.mean(dims, true)).mul(x.var(dims, false, true).add(eps).rsqrt());
        if (w != null) y = y.mul(w);
        if (b != null) y = y.add(b);
        return y;
    }

    private static void assertClose(Tensor want, Tensor got, double tol, String what) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        double[] a = want.to(DType.FLOAT64).toDoubleArray(), b = got.to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(a[i])), what + " at " + i + ": " + a[i] + " vs " + b[i]);
        }
    }

    private record Case(int[] xShape, int[] norm, boolean weight, boolean bias) {}

    private static final Case[] CASES = {
            new Case(new int[]{64, 512}, new int[]{512}, true, true),
            new Case(new int[]{3, 5, 7}, new int[]{7}, true, false),
            new Case(new int[]{3, 5, 7}, new int[]{7}, false, true),
            new Case(new int[]{2, 3, 4, 5}, new int[]{4, 5}, true, true),
            new Case(new int[]{6, 9}, new int[]{6, 9}, false, false),
            new Case(new int[]{4, 1}, new int[]{1}, true, true),
            new Case(new int[]{2, 1, 3}, new int[]{1, 3}, false, true),
            new Case(new int[]{70, 33}, new int[]{33}, true, true)};

    @Test
    void matchesTheCompositeForwardAndBackward() {
        for (DType dt : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
            double tol = dt == DType.FLOAT64 ? 1e-12 : 2e-5;
            for (Case c : CASES) {
                Kindling.manualSeed(3);
                Tensor x = Tensor.randn(c.xShape).mul(2).add(0.5).to(dt).requiresGrad(true);
                Tensor w = c.weight ? Tensor.randn(c.norm).to(dt).requiresGrad(true) : null;
                Tensor b = c.bias ? Tensor.randn(c.norm).to(dt).requiresGrad(true) : null;
                Tensor g = Tensor.randn(c.xShape).to(dt);
                String what = dt + " " + java.util.Arrays.toString(c.xShape) + " over " + java.util.Arrays.toString(c.norm);

                Tensor y = F.layerNorm(x, c.norm, w, b, 1e-5);
                assertEquals("NativeLayerNormBackward0", y.gradFn().name(), what);
                y.backward(g);
                Tensor gx = x.grad(), gw = w == null ? null : w.grad(), gb = b == null ? null : b.grad();
                x.setGrad(null);
                if (w != null) w.setGrad(null);
                if (b != null) b.setGrad(null);

                Tensor yc = composite(x, c.norm, w, b, 1e-5);
                yc.backward(g);
                assertClose(yc, y, tol, what + " output");
                assertClose(x.grad(), gx, tol, what + " input grad");
                if (w != null) assertClose(w.grad(), gw, tol, what + " weight grad");
                if (b != null) assertClose(b.grad(), gb, tol, what + " bias grad");
            }
        }
    }

    @Test
    void float32RowsFarFromZeroKeepTheirPrecision() {
        // the mean is summed in double and the variance over centred values: an offset of 1000 costs nothing
        Kindling.manualSeed(8);
        Tensor x = Tensor.randn(16, 300).add(1000);
        Tensor w = Tensor.randn(300), b = Tensor.randn(300);
        Tensor want = F.layerNorm(x.to(DType.FLOAT64), new int[]{300}, w.to(DType.FLOAT64), b.to(DType.FLOAT64), 1e-5);
        assertClose(want, F.layerNorm(x, new int[]{300}, w, b, 1e-5), 2e-6, "offset 1000");
    }

    @Test
    void gradcheckAndGradgradcheckInFloat64() {
        Kindling.manualSeed(5);
        Tensor x = Tensor.randn(3, 4, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(4, 5).to(DType.FLOAT64).requiresGrad(true), b = Tensor.randn(4, 5).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> F.layerNorm(in.get(0), new int[]{4, 5}, in.get(1), in.get(2), 1e-5), List.of(x, w, b)));
        assertTrue(GradCheck.gradgradcheck(in -> F.layerNorm(in.get(0), new int[]{4, 5}, in.get(1), in.get(2), 1e-5), List.of(x, w, b)));
        Tensor v = Tensor.randn(5, 6).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> F.layerNorm(in.get(0), new int[]{6}), List.of(v)));
    }

    @Test
    void sameBitsOnAnyNumberOfThreads() {
        int before = Kindling.getNumThreads();
        try {
            float[][] first = null;
            for (int threads : new int[]{1, 2, 3}) {
                Kindling.setNumThreads(threads);
                Kindling.manualSeed(9);
                Tensor x = Tensor.randn(300, 128).requiresGrad(true), w = Tensor.randn(128).requiresGrad(true), b = Tensor.randn(128).requiresGrad(true);
                Tensor y = F.layerNorm(x, new int[]{128}, w, b, 1e-5);
                y.backward(Tensor.randn(300, 128));
                float[][] now = {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray(), b.grad().toFloatArray()};
                if (first == null) first = now;
                else for (int k = 0; k < now.length; k++) assertArrayEquals(first[k], now[k], "threads " + threads + ", result " + k);
            }
        } finally {
            Kindling.setNumThreads(before);
        }
    }

    @Test
    void constantRowsNormalizeToTheBias() {
        Tensor x = Tensor.full(new int[]{3, 8}, 2.5), b = Tensor.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f);
        float[] y = F.layerNorm(x, new int[]{8}, null, b, 1e-5).toFloatArray();
        for (int i = 0; i < y.length; i++) assertEquals(i % 8, y[i], "row " + i / 8);
        try (var off = Kindling.noGrad()) {
            assertNull(F.layerNorm(x, new int[]{8}, null, b.requiresGrad(true), 1e-5).gradFn());
        }
    }

    @Test
    void calledDirectlyWithAMismatchedShapeItSaysSo() {
        Tensor x = Tensor.randn(4, 6);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.kindling.LayerNormOps.layerNorm(x, new int[]{5}, null, null, 1e-5));
        assertTrue(e.getMessage().contains("layer_norm") && e.getMessage().contains("[4, 6]"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.kindling.LayerNormOps.layerNorm(x, new int[]{6}, Tensor.ones(5), null, 1e-5));
    }
}
