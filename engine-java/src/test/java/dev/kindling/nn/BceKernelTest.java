package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kindling.SameBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code binary_cross_entropy} on probabilities as one node gives the bits of the plain formula's ops,
 * {@code t.mul(x.log()).add(t.rsub(1).mul(x.rsub(1).log())).neg()}, forward and backward, under every reduction and
 * a weight, for hard and soft targets, strided inputs and a batch past oneDNN's sizes; the boundary, NaN, a target
 * needing a gradient and float64 take the ops; an input outside [0, 1] is refused as before.
 */
class BceKernelTest {
    private static Tensor ops(Tensor x, Tensor t) { return t.mul(x.log()).add(t.rsub(1).mul(x.rsub(1).log())).neg(); }

    private static Tensor reduce(Tensor l, Reduction r) {
        return r == Reduction.MEAN ? l.mean() : r == Reduction.SUM ? l.sum() : l;
    }


    private static void check(Tensor x0, Tensor t, Tensor w, Reduction r, String what) {
        Tensor x = x0.detach().requiresGrad(true), xo = x0.detach().requiresGrad(true);
        Tensor y = F.binaryCrossEntropy(x, t, w, r);
        Tensor lo = ops(xo, t);
        Tensor yo = reduce(w == null ? lo : lo.mul(w), r);
        assertSameBits(yo.toFloatArray(), y.toFloatArray(), "forward, " + what);
        Tensor g = r == Reduction.NONE ? Tensor.randn(x0.shape()) : Tensor.scalar(1.7, DType.FLOAT32);
        y.backward(g);
        yo.backward(g);
        assertSameBits(xo.grad().toFloatArray(), x.grad().toFloatArray(), "backward, " + what);
    }

    @Test
    void givesThePlainFormulasBitsForwardAndBackward() {
        Kindling.manualSeed(61);
        for (int[] shape : new int[][]{{1}, {64, 1}, {64, 512}, {300, 300}}) {
            Tensor x = Tensor.rand(shape).mul(0.98).add(0.01);
            Tensor hard = Tensor.rand(shape).gt(0.5).to(DType.FLOAT32), soft = Tensor.rand(shape);
            for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
                check(x, hard, null, r, java.util.Arrays.toString(shape) + " hard targets " + r);
                check(x, soft, null, r, java.util.Arrays.toString(shape) + " soft targets " + r);
            }
            check(x, soft, Tensor.rand(shape), Reduction.MEAN, java.util.Arrays.toString(shape) + " weighted");
        }
        // a transposed input, inputs just inside the boundary, and the node's name
        Tensor xt = Tensor.rand(40, 30).mul(0.9).add(0.05).t();
        check(xt, Tensor.rand(30, 40), null, Reduction.MEAN, "transposed input");
        float[] edge = {1e-6f, 1 - 1e-6f, 2e-12f, 0.5f, 0.999f};
        check(Tensor.fromArray(edge, 5), Tensor.fromArray(new float[]{0, 1, 1, 0.5f, 0.3f}, 5), null, Reduction.SUM, "near the boundary");
        Tensor x = Tensor.rand(4, 3).mul(0.5).add(0.2).requiresGrad(true);
        assertEquals("BinaryCrossEntropyBackward0", F.binaryCrossEntropy(x, Tensor.rand(4, 3), null, Reduction.NONE).gradFn().name());
    }

    @Test
    void boundaryNanAndTheOtherCasesTakeTheOps() {
        Kindling.manualSeed(62);
        // 0 and 1 among the inputs: PyTorch's clamps (log at -100, the gradient's denominator at 1e-12)
        Tensor x = Tensor.fromArray(new float[]{0f, 1f, 0.3f, 1e-13f}, 4).requiresGrad(true);
        Tensor t = Tensor.fromArray(new float[]{1f, 0f, 0.5f, 1f}, 4);
        Tensor y = F.binaryCrossEntropy(x, t, null, Reduction.NONE);
        assertEquals(100f, y.toFloatArray()[0]);
        assertEquals(100f, y.toFloatArray()[1]);
        y.sum().backward();
        assertTrue(Float.isFinite(x.grad().toFloatArray()[0]));
        // NaN passes the range check and gives NaN, as in PyTorch
        Tensor nan = F.binaryCrossEntropy(Tensor.fromArray(new float[]{Float.NaN, 0.5f}, 2), Tensor.fromArray(new float[]{1, 0}, 2), null, Reduction.NONE);
        assertTrue(Float.isNaN(nan.toFloatArray()[0]));
        // outside [0, 1], even beside boundary elements: the same error as before
        for (float[] bad : new float[][]{{0.5f, 1.5f}, {0f, -0.1f}, {Float.NaN, 2f}}) {
            var e = assertThrows(IllegalArgumentException.class, () -> F.binaryCrossEntropy(Tensor.fromArray(bad, 2), Tensor.zeros(2)));
            assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
        }
        // a target that needs a gradient gets it (the ops), float64 by gradcheck
        Tensor tg = Tensor.rand(5).requiresGrad(true);
        Tensor xp = Tensor.rand(5).mul(0.8).add(0.1);
        F.binaryCrossEntropy(xp, tg).backward();
        assertArrayEquals(xp.log().sub(xp.rsub(1).log()).neg().div(5).toFloatArray(), tg.grad().toFloatArray(), 1e-6f);
        Tensor xd = Tensor.rand(3, 4).mul(0.8).add(0.1).to(DType.FLOAT64).requiresGrad(true);
        Tensor td = Tensor.rand(3, 4).to(DType.FLOAT64);
        assertTrue(GradCheck.gradcheck(in -> F.binaryCrossEntropy(in.get(0), td), List.of(xd)));
        // a second derivative through the ops, against float64
        Tensor x32 = xd.detach().to(DType.FLOAT32).requiresGrad(true);
        Tensor first = Kindling.grad(F.binaryCrossEntropy(x32, td.to(DType.FLOAT32)), List.of(x32), true).get(0);
        first.sum().backward();
        Tensor first64 = Kindling.grad(F.binaryCrossEntropy(xd, td), List.of(xd), true).get(0);
        xd.setGrad(null);
        first64.sum().backward();
        assertArrayEquals(xd.grad().toDoubleArray(), x32.grad().to(DType.FLOAT64).toDoubleArray(), 1e-3);
    }
}
