package dev.kindling.nn;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * LeakyReLU as one node gives the bits of the ops it replaced, {@code where(x > 0, x, x.mul(slope))}, forward and
 * backward (zeros' signs and NaN included): several slopes, zero and negative among them, strided inputs, special
 * values; a second derivative through the ops; float64 by gradcheck; an integer input as before.
 */
class LeakyReluKernelTest {
    private static Tensor ops(Tensor x, double slope) { return Tensor.where(x.gt(0), x, x.mul(slope)); }

    private static void check(Tensor x0, Tensor g, double slope, String what) {
        FusedOpChecks.sameBitsAsOps(x -> F.leakyRelu(x, slope), x -> ops(x, slope), "LeakyReluBackward0", x0, g, what);
    }

    @Test
    void givesTheOpsBitsForwardAndBackward() {
        Kindling.manualSeed(81);
        for (int[] shape : new int[][]{{1}, {7}, {64, 512}, {300, 300}}) {
            for (double slope : new double[]{0.01, 0.2, 0, -0.5, 1.5}) {
                check(Tensor.randn(shape).mul(3), Tensor.randn(shape), slope, java.util.Arrays.toString(shape) + " slope " + slope);
            }
        }
        check(Tensor.randn(70, 40).t(), Tensor.randn(40, 70), 0.1, "transposed input");
        check(Tensor.randn(30, 50), Tensor.randn(50, 30).t(), 0.1, "transposed gradient");
        for (double slope : new double[]{0.01, -1}) {
            FusedOpChecks.atSpecialValues(new float[0], new float[]{1.5f, -0f, 0f, -2f, Float.NaN},
                    (x, g, what) -> check(x, g, slope, what + ", slope " + slope));
        }
    }

    @Test
    void secondDerivativeFloat64AndIntegers() {
        Kindling.manualSeed(82);
        FusedOpChecks.secondDerivativeAsOps(x -> F.leakyRelu(x, 0.2), x -> ops(x, 0.2), Tensor.randn(5, 9).mul(2));
        FusedOpChecks.float64AsOps(x -> F.leakyRelu(x, 0.3), x -> ops(x, 0.3));
        assertArrayEquals(ops(Tensor.arange(-3, 4), 0.1).toFloatArray(), F.leakyRelu(Tensor.arange(-3, 4), 0.1).toFloatArray(), 0);
    }
}
