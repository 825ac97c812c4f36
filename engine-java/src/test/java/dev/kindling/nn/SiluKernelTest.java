package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SiLU as one node gives the bits of the ops it replaced, {@code x.mul(x.sigmoid())}, forward and backward: below and
 * above oneDNN's sizes (its sigmoid), strided, special values; a second derivative through the ops; float64 by
 * gradcheck; half precision keeps the ops' graph.
 */
class SiluKernelTest {
    private static Tensor ops(Tensor x) { return x.mul(x.sigmoid()); }

    private static void check(Tensor x0, Tensor g, String what) {
        FusedOpChecks.sameBitsAsOps(F::silu, SiluKernelTest::ops, "SiluBackward0", x0, g, what);
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
        FusedOpChecks.atSpecialValues(new float[]{90f, -90f, 100f, -100f}, new float[]{-1.25f}, SiluKernelTest::check);
    }

    @Test
    void secondDerivativeFloat64AndHalf() {
        Kindling.manualSeed(72);
        FusedOpChecks.secondDerivativeAsOps(F::silu, SiluKernelTest::ops, Tensor.randn(5, 9).mul(2));
        FusedOpChecks.float64AsOps(F::silu, SiluKernelTest::ops);
        Tensor xh = Tensor.randn(3, 4).to(DType.FLOAT16).requiresGrad(true);
        F.silu(xh).sum().backward();
        assertEquals(DType.FLOAT16, xh.grad().dtype());
    }
}
