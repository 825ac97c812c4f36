package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * nll_loss on CPU batches of up to 65,536 rows runs as one op (NllOps); it must give the composite's bits (the
 * composite still runs with a class weight, and a weight of ones gives the same arithmetic), for the loss and the
 * gradient, with ignored targets, special values, every reduction, both float dtypes and strided inputs; and its
 * gradient must pass gradcheck and, with createGraph, gradgradcheck. (LossFixtureTest compares both paths with PyTorch.)
 */
class NllKernelTest {
    /** The values' bits, every NaN as one (a NaN's sign depends on whether a negation flips it or multiplies by -1). */
    private static int[] bits(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            float[] v = t.toFloatArray();
            int[] b = new int[v.length];
            for (int i = 0; i < v.length; i++) b[i] = Float.floatToIntBits(v[i]);
            return b;
        }
        double[] v = t.toDoubleArray();
        int[] b = new int[2 * v.length];
        for (int i = 0; i < v.length; i++) {
            long l = Double.doubleToLongBits(v[i]);
            b[2 * i] = (int) l;
            b[2 * i + 1] = (int) (l >>> 32);
        }
        return b;
    }

    /** The loss and the input's gradient, by the fused op (no weight) or the composite (a weight of ones). */
    private static Tensor[] run(Tensor logp0, Tensor target, boolean composite, Reduction r, int ignore) {
        Tensor logp = logp0.detach().requiresGrad(true);
        Tensor w = composite ? Tensor.ones(logp.size(1)).to(logp.dtype()) : null;
        Tensor loss = F.nllLoss(logp, target, w, ignore, r);
        Tensor g = r == Reduction.NONE ? Tensor.randn(logp.size(0)).to(logp.dtype()) : null;
        if (g == null) loss.backward();
        else loss.backward(g);
        return new Tensor[]{loss, logp.grad()};
    }

    @Test
    void fusedLossAndGradientHaveTheCompositesBits() {
        Kindling.manualSeed(5);
        // [70, 1000]: more elements than 65,536, fused since it gathers its picks on the backend (the rows count)
        int[][] shapes = {{1, 1}, {10, 2}, {64, 10}, {7, 1000}, {300, 3}, {70, 1000}};
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes) {
                Tensor logp = Tensor.randn(s).mul(4).logSoftmax(1).to(dt);
                if (s[0] * s[1] > 20) {
                    // special values where the loss reads them, and where only the ignored rows' class 0 does
                    float[] v = logp.to(DType.FLOAT32).toFloatArray();
                    v[0] = Float.NEGATIVE_INFINITY;
                    v[s[1] + 1 < v.length ? s[1] + 1 : 1] = Float.NaN;
                    v[v.length - 1] = -0f;
                    logp = Tensor.fromArray(v, s).to(dt);
                }
                // the same values strided (a transposed copy seen transposed back)
                for (Tensor lp : new Tensor[]{logp, logp.t().contiguous().t()}) {
                    for (int ignore : new int[]{-100, 0, 1}) {
                        Tensor target = Tensor.randint(0, s[1], s[0]);
                        for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
                            Kindling.manualSeed(9);
                            Tensor[] fused = run(lp, target, false, r, ignore);
                            Kindling.manualSeed(9);
                            Tensor[] composite = run(lp, target, true, r, ignore);
                            String what = dt + " " + java.util.Arrays.toString(s) + (lp == logp ? "" : " strided") + " ignore "
                                    + ignore + " " + r;
                            assertArrayEquals(bits(composite[0]), bits(fused[0]), what + ": loss");
                            assertArrayEquals(bits(composite[1]), bits(fused[1]), what + ": gradient");
                            assertArrayEquals(composite[0].shape(), fused[0].shape(), what + ": shape");
                        }
                    }
                }
            }
        }
    }

    /** Called directly, the op refuses what it does not take, naming it, where it computed from the wrong elements. */
    @Test
    void directCallsWithAnotherInputSayWhatTheOpTakes() {
        for (Tensor bad : new Tensor[]{Tensor.randn(2, 3, 4), Tensor.randn(5), Tensor.randint(0, 3, 2, 3)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dev.kindling.NllOps.nllLoss(bad, new long[]{0, 1}, -100, dev.kindling.NllOps.Mode.MEAN));
            assertTrue(e.getMessage().contains("[N, C] CPU input") && e.getMessage().contains(bad.dtype().toString()),
                    e.getMessage());
        }
    }

    @Test
    void fusedLossIsPyTorchsNodeAndAllIgnoredGivesNaN() {
        Tensor logp = Tensor.randn(4, 3).logSoftmax(1).detach().requiresGrad(true);
        Tensor loss = F.nllLoss(logp, Tensor.of(1L, 0L, 2L, 2L));
        assertEquals("NllLossBackward0", loss.gradFn().name());
        Tensor all = F.nllLoss(logp, Tensor.of(-100L, -100L, -100L, -100L));
        assertTrue(Double.isNaN(all.item()), "the mean over no kept targets is 0/0, as in PyTorch");
        Tensor int32 = F.nllLoss(logp, Tensor.of(1L, 0L, 2L, 2L).to(DType.INT32));
        assertEquals(loss.item(), int32.item(), "INT32 targets give the same loss");
        assertThrows(IllegalArgumentException.class, () -> F.nllLoss(logp, Tensor.of(1L, 3L, 0L, 0L)));
        assertThrows(IllegalArgumentException.class, () -> F.nllLoss(logp, Tensor.of(1.0, 0.0, 2.0, 2.0)));
        // the op checks what it is given when called directly, rather than reading another row's value
        assertThrows(IllegalArgumentException.class, () -> dev.kindling.NllOps.nllLoss(logp, new long[]{0, 1, 2}, -100, dev.kindling.NllOps.Mode.MEAN));
        assertThrows(IllegalArgumentException.class, () -> dev.kindling.NllOps.nllLoss(logp, new long[]{0, 1, 3, 0}, -100, dev.kindling.NllOps.Mode.SUM));
        assertThrows(IllegalArgumentException.class, () -> F.nllLoss(logp, Tensor.of(1L, 2L, 0L)));
    }

    @Test
    void gradientPassesGradcheckAndGradgradcheck() {
        Kindling.manualSeed(6);
        Tensor target = Tensor.of(2L, 0L, -100L, 1L, 2L);
        for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            Tensor x = Tensor.randn(5, 3).to(DType.FLOAT64).requiresGrad(true);
            // through log_softmax, so the second derivative is not zero
            assertTrue(GradCheck.gradcheck(in -> F.nllLoss(in.get(0).logSoftmax(1), target, null, -100, r).mul(1.5), List.of(x)), "gradcheck " + r);
            assertTrue(GradCheck.gradgradcheck(in -> F.nllLoss(in.get(0).logSoftmax(1), target, null, -100, r), List.of(x)), "gradgradcheck " + r);
        }
    }
}
