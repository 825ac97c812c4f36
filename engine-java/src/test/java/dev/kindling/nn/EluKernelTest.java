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
 * ELU as one node with fused kernels gives the bits of the ops it replaced, {@code where(x > 0, x,
 * x.clampMax(0).expm1().mul(alpha))}, forward and backward (zeros' signs included): several alphas, negative among
 * them, strided inputs, special values; a second derivative through the ops; float64 by gradcheck.
 */
class EluKernelTest {
    private static Tensor ops(Tensor x, double alpha) { return Tensor.where(x.gt(0), x, x.clampMax(0).expm1().mul(alpha)); }

    private static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                throw new AssertionError(what + ", element " + i + ": " + got[i] + " where the ops give " + want[i]);
            }
        }
    }

    private static void check(Tensor x0, Tensor g, double alpha, String what) {
        Tensor x = x0.detach().requiresGrad(true), xo = x0.detach().requiresGrad(true);
        Tensor y = F.elu(x, alpha), yo = ops(xo, alpha);
        assertEquals("EluBackward0", y.gradFn().name(), what);
        assertSameBits(yo.toFloatArray(), y.toFloatArray(), "forward, " + what);
        try (var off = Kindling.noGrad()) {
            assertSameBits(yo.toFloatArray(), F.elu(x0, alpha).toFloatArray(), "forward without a graph, " + what);
        }
        y.backward(g);
        yo.backward(g);
        assertSameBits(xo.grad().toFloatArray(), x.grad().toFloatArray(), "backward, " + what);
    }

    @Test
    void givesTheOpsBitsForwardAndBackward() {
        Kindling.manualSeed(41);
        for (int[] shape : new int[][]{{1}, {7}, {64, 512}, {300, 300}, {3, 5, 1031}}) {
            for (double alpha : new double[]{1, 0.3, -0.7, 2.5}) {
                Tensor x = Tensor.randn(shape).mul(alpha == 2.5 ? 30 : 2), g = Tensor.randn(shape);
                check(x, g, alpha, java.util.Arrays.toString(shape) + " alpha " + alpha);
            }
        }
    }

    @Test
    void stridedInputsAndSpecialValues() {
        Kindling.manualSeed(42);
        check(Tensor.randn(70, 40).mul(3).t(), Tensor.randn(40, 70), 1, "transposed input");
        check(Tensor.randn(30, 50).mul(2), Tensor.randn(50, 30).t(), 0.5, "transposed gradient");
        float[] v = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
                1e-30f, -1e-30f, 3e38f, -3e38f, 88f, -88f, 100f, -100f, 1e-8f, -1e-8f, 0.5f, -0.5f};
        for (float gv : new float[]{1.5f, -0f, 0f, -2f}) {
            float[] g = new float[v.length];
            java.util.Arrays.fill(g, gv);
            for (double alpha : new double[]{1, -1}) {
                check(Tensor.fromArray(v, v.length), Tensor.fromArray(g, g.length), alpha, "special values, gradient " + gv + ", alpha " + alpha);
            }
        }
    }

    @Test
    void secondDerivativeAndFloat64() {
        Kindling.manualSeed(43);
        Tensor x0 = Tensor.randn(5, 9).mul(2);
        double[][] second = new double[2][];
        int k = 0;
        for (boolean fused : new boolean[]{true, false}) {
            Tensor x = x0.detach().requiresGrad(true);
            Tensor y = fused ? F.elu(x, 0.8) : ops(x, 0.8);
            Tensor first = Kindling.grad(y.mul(y).sum(), List.of(x), true).get(0);
            first.mul(first).sum().backward();
            second[k++] = x.grad().to(DType.FLOAT64).toDoubleArray();
        }
        double scale = 0;
        for (double d : second[1]) scale = Math.max(scale, Math.abs(d));
        assertArrayEquals(second[1], second[0], 1e-6 * scale, "second derivative through the ops");
        // away from 0, where ELU's second derivative jumps
        Tensor xd = Tensor.randn(4, 6).mul(2).to(DType.FLOAT64);
        xd = xd.add(xd.sign().mul(0.1)).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> F.elu(in.get(0), 1.3), List.of(xd)), "gradcheck");
        assertTrue(GradCheck.gradgradcheck(in -> F.elu(in.get(0), 1.3), List.of(xd)), "gradgradcheck");
        assertArrayEquals(ops(xd.detach(), 1.3).toDoubleArray(), F.elu(xd.detach(), 1.3).toDoubleArray(), 0, "float64 forward");
        assertArrayEquals(ops(Tensor.arange(-3, 4).to(DType.FLOAT32), 1).toFloatArray(), F.elu(Tensor.arange(-3, 4)).toFloatArray(), 0);
    }
}
