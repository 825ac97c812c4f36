package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ELU as one node with fused kernels gives the bits of the ops it replaced, {@code where(x > 0, x,
 * x.clampMax(0).expm1().mul(alpha))}, forward and backward (zeros' signs included): several alphas, negative among
 * them, strided inputs, special values; a second derivative through the ops; float64 by gradcheck.
 */
class EluKernelTest {
    private static Tensor ops(Tensor x, double alpha) { return Tensor.where(x.gt(0), x, x.clampMax(0).expm1().mul(alpha)); }


    private static void check(Tensor x0, Tensor g, double alpha, String what) {
        FusedOpChecks.sameBitsAsOps(x -> F.elu(x, alpha), x -> ops(x, alpha), "EluBackward0", x0, g, what);
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
        FusedOpChecks.secondDerivativeAsOps(x -> F.elu(x, 0.8), x -> ops(x, 0.8), Tensor.randn(5, 9).mul(2));
        // away from 0, where ELU's second derivative jumps
        Tensor xd = Tensor.randn(4, 6).mul(2).to(DType.FLOAT64);
        xd = xd.add(xd.sign().mul(0.1)).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> F.elu(in.get(0), 1.3), List.of(xd)), "gradcheck");
        assertTrue(GradCheck.gradgradcheck(in -> F.elu(in.get(0), 1.3), List.of(xd)), "gradgradcheck");
        assertArrayEquals(ops(xd.detach(), 1.3).toDoubleArray(), F.elu(xd.detach(), 1.3).toDoubleArray(), 0, "float64 forward");
        assertArrayEquals(ops(Tensor.arange(-3, 4).to(DType.FLOAT32), 1).toFloatArray(), F.elu(Tensor.arange(-3, 4)).toFloatArray(), 0);
    }
}
