package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The exact GELU as one node with fused kernels gives the bits of the ops it replaced, {@code x.mul(x.mul(1 / sqrt 2)
 * .erf().add(1)).mul(0.5)}, forward and backward: below and above 65,536 elements (where the ops' exp is oneDNN's),
 * on strided inputs, on special values; a second derivative through the ops (another graph: equal to float32
 * rounding); float64 by gradcheck.
 */
class GeluKernelTest {
    private static Tensor ops(Tensor x) { return x.mul(x.mul(1 / Math.sqrt(2)).erf().add(1)).mul(0.5); }

    private static void check(Tensor x0, Tensor g, String what) {
        FusedOpChecks.sameBitsAsOps(F::gelu, GeluKernelTest::ops, "GeluBackward0", x0, g, what);
    }

    @Test
    void givesTheOpsBitsForwardAndBackward() {
        Kindling.manualSeed(31);
        for (int[] shape : new int[][]{{1}, {7}, {64, 512}, {300, 300}, {3, 5, 1031}}) {
            for (double spread : new double[]{1, 4, 30}) {
                Tensor x = Tensor.randn(shape).mul(spread), g = Tensor.randn(shape).mul(spread == 30 ? 1e4 : 1);
                check(x, g, java.util.Arrays.toString(shape) + " spread " + spread);
            }
        }
    }

    @Test
    void stridedInputsAndSpecialValues() {
        Kindling.manualSeed(32);
        check(Tensor.randn(70, 40).mul(3).t(), Tensor.randn(40, 70), "transposed input");
        check(Tensor.randn(30, 50).mul(2), Tensor.randn(50, 30).t(), "transposed gradient");
        FusedOpChecks.atSpecialValues(new float[]{5.6f, -5.6f, 4f, -4f, 1.4142135f, -1.4142135f, 13f, -13f, 1e-8f, -1e-8f}, new float[]{1.5f}, GeluKernelTest::check);
    }

    @Test
    void secondDerivativeAndFloat64() {
        Kindling.manualSeed(33);
        FusedOpChecks.secondDerivativeAsOps(F::gelu, GeluKernelTest::ops, Tensor.randn(5, 9).mul(2));
        FusedOpChecks.float64AsOps(F::gelu, GeluKernelTest::ops);
        // an integer input is computed in the default dtype, as before
        assertArrayEquals(ops(Tensor.arange(-3, 4).to(DType.FLOAT32)).toFloatArray(), F.gelu(Tensor.arange(-3, 4)).toFloatArray(), 0);
    }
}
