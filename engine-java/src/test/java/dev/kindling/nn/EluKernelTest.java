package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
        for (double alpha : new double[]{1, -1}) {
            FusedOpChecks.atSpecialValues(new float[]{88f, -88f, 100f, -100f, 1e-8f, -1e-8f}, new float[]{1.5f, -0f, 0f, -2f},
                    (x, g, what) -> check(x, g, alpha, what + ", alpha " + alpha));
        }
    }

    @Test
    void secondDerivativeAndFloat64() {
        Kindling.manualSeed(43);
        FusedOpChecks.secondDerivativeAsOps(x -> F.elu(x, 0.8), x -> ops(x, 0.8), Tensor.randn(5, 9).mul(2));
        FusedOpChecks.float64AsOps(x -> F.elu(x, 1.3), x -> ops(x, 1.3));
        assertArrayEquals(ops(Tensor.arange(-3, 4).to(DType.FLOAT32), 1).toFloatArray(), F.elu(Tensor.arange(-3, 4)).toFloatArray(), 0);
    }
}
