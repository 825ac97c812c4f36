package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SiLU as one node gives the bits of the ops it replaced, {@code x.mul(x.sigmoid())}, forward and backward: below and
 * above oneDNN's sizes (its sigmoid), strided, special values; a second derivative through the ops; float64 by
 * gradcheck; half precision keeps the ops' graph.
 */
class SiluKernelTest {
    private static Tensor ops(Tensor x) { return x.mul(x.sigmoid()); }

    private static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                throw new AssertionError(what + ", element " + i + ": " + got[i] + " where the ops give " + want[i]);
            }
        }
    }

    private static void check(Tensor x0, Tensor g, String what) {
        Tensor x = x0.detach().requiresGrad(true), xo = x0.detach().requiresGrad(true);
        Tensor y = F.silu(x), yo = ops(xo);
        assertEquals("SiluBackward0", y.gradFn().name(), what);
        assertSameBits(yo.toFloatArray(), y.toFloatArray(), "forward, " + what);
        try (var off = Kindling.noGrad()) {
            assertSameBits(yo.toFloatArray(), F.silu(x0).toFloatArray(), "forward without a graph, " + what);
        }
        y.backward(g);
        yo.backward(g);
        assertSameBits(xo.grad().toFloatArray(), x.grad().toFloatArray(), "backward, " + what);
    }

    @Test
    void givesTheOpsBitsForwardAndBackward() {
        Kindling.manualSeed(71);
        for (int[] shape : new int[][]{{1}, {7}, {64, 512}, {300, 300}}) {
            for (double spread : new double[]{1, 8, 60}) {
                check(Tensor.randn(shape).mul(spread), Tensor.randn(shape), java.util.Arrays.toString(shape) + " spread " + spread);
            }
        }
        check(Tensor.randn(70, 40).mul(3).t(), Tensor.randn(40, 70), "transposed input");
        float[] v = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f, 90f, -90f, 100f, -100f};
        float[] g = new float[v.length];
        java.util.Arrays.fill(g, -1.25f);
        check(Tensor.fromArray(v, v.length), Tensor.fromArray(g, g.length), "special values");
    }

    @Test
    void secondDerivativeFloat64AndHalf() {
        Kindling.manualSeed(72);
        Tensor x0 = Tensor.randn(5, 9).mul(2);
        double[][] second = new double[2][];
        int k = 0;
        for (boolean fused : new boolean[]{true, false}) {
            Tensor x = x0.detach().requiresGrad(true);
            Tensor y = fused ? F.silu(x) : ops(x);
            Tensor first = Kindling.grad(y.mul(y).sum(), List.of(x), true).get(0);
            first.mul(first).sum().backward();
            second[k++] = x.grad().to(DType.FLOAT64).toDoubleArray();
        }
        double scale = 0;
        for (double d : second[1]) scale = Math.max(scale, Math.abs(d));
        assertArrayEquals(second[1], second[0], 1e-6 * scale, "second derivative through the ops");
        Tensor xd = Tensor.randn(4, 6).mul(2).to(DType.FLOAT64).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> F.silu(in.get(0)), List.of(xd)), "gradcheck");
        assertTrue(GradCheck.gradgradcheck(in -> F.silu(in.get(0)), List.of(xd)), "gradgradcheck");
        Tensor xh = Tensor.randn(3, 4).to(DType.FLOAT16).requiresGrad(true);
        F.silu(xh).sum().backward();
        assertEquals(DType.FLOAT16, xh.grad().dtype());
    }
}
