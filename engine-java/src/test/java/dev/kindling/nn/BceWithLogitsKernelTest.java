package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code binary_cross_entropy_with_logits} as one node ({@code BinaryCrossEntropyWithLogitsBackward0}) against the
 * stable composite it replaced (softplus split at 0), in float64 and float32, with and without weight and pos_weight,
 * every reduction, logits far out on both sides; gradcheck and gradgradcheck in float64; a target that needs a gradient
 * still gets one (the composite).
 */
class BceWithLogitsKernelTest {
    /** The composite Losses.bceWithLogits computed before (unreduced). */
    private static Tensor composite(Tensor x, Tensor t, Tensor weight, Tensor posWeight) {
        Tensor pos = x.clampMin(0), neg = x.clampMax(0);
        Tensor softplusNeg = Tensor.where(x.ge(0), pos.neg().exp().log1p(), neg.exp().log1p().sub(neg));
        Tensor loss = posWeight == null ? t.rsub(1).mul(x).add(softplusNeg)
                : t.rsub(1).mul(x).add(posWeight.sub(1).mul(t).add(1).mul(softplusNeg));
        return weight == null ? loss : loss.mul(weight);
    }

    private static void assertClose(Tensor want, Tensor got, double tol, String what) {
        double[] a = want.to(DType.FLOAT64).toDoubleArray(), b = got.to(DType.FLOAT64).toDoubleArray();
        assertEquals(a.length, b.length, what);
        for (int i = 0; i < a.length; i++) {
            assertTrue(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(a[i])), what + " at " + i + ": " + a[i] + " vs " + b[i]);
        }
    }

    @Test
    void matchesTheCompositeWithEveryOption() {
        for (DType dt : new DType[]{DType.FLOAT64, DType.FLOAT32}) {
            double tol = dt == DType.FLOAT64 ? 1e-13 : 3e-6;
            for (int option = 0; option < 4; option++) {
                for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
                    Kindling.manualSeed(option);
                    Tensor x = Tensor.randn(16, 9).mul(6).to(dt);
                    x = Tensor.where(x.abs().lt(15), x, x.mul(20)).requiresGrad(true);   // some logits near +-100
                    Tensor t = Tensor.rand(16, 9).to(dt);
                    Tensor w = (option & 1) != 0 ? Tensor.rand(9).add(0.5).to(dt) : null;
                    Tensor p = (option & 2) != 0 ? Tensor.rand(9).mul(3).to(dt) : null;
                    String what = dt + " weight " + (w != null) + " pos_weight " + (p != null) + " " + r;

                    Tensor loss = F.binaryCrossEntropyWithLogits(x, t, w, p, r);
                    Tensor g = r == Reduction.NONE ? Tensor.randn(16, 9).to(dt) : Tensor.ones(new int[0], dt);
                    loss.backward(g);
                    Tensor gx = x.grad();
                    x.setGrad(null);
                    Tensor want = Losses.reduce("test", composite(x, t, w, p), r);
                    want.backward(g);
                    assertClose(want, loss, tol, what + " loss");
                    assertClose(x.grad(), gx, tol, what + " input grad");
                }
            }
        }
    }

    @Test
    void nodeIsPyTorchsAndGradientsCheckInFloat64() {
        Kindling.manualSeed(4);
        Tensor x = Tensor.randn(4, 5).mul(3).to(DType.FLOAT64).requiresGrad(true);
        Tensor t = Tensor.rand(4, 5).to(DType.FLOAT64), w = Tensor.rand(5).to(DType.FLOAT64), p = Tensor.rand(5).mul(2).to(DType.FLOAT64);
        Tensor loss = F.binaryCrossEntropyWithLogits(x, t, null, null, Reduction.NONE);
        assertEquals("BinaryCrossEntropyWithLogitsBackward0", loss.gradFn().name());
        assertTrue(GradCheck.gradcheck(in -> F.binaryCrossEntropyWithLogits(in.get(0), t, w, p, Reduction.MEAN), List.of(x)));
        assertTrue(GradCheck.gradgradcheck(in -> F.binaryCrossEntropyWithLogits(in.get(0), t, w, p, Reduction.SUM), List.of(x)));
        assertTrue(GradCheck.gradgradcheck(in -> F.binaryCrossEntropyWithLogits(in.get(0), t), List.of(x)));
    }

    @Test
    void targetNeedingAGradientGetsOne() {
        Tensor x = Tensor.of(0.5, -1.0, 2.0).requiresGrad(true), t = Tensor.of(1.0, 0.0, 0.25).requiresGrad(true);
        F.binaryCrossEntropyWithLogits(x, t, null, null, Reduction.SUM).backward();
        assertNotNull(t.grad());
        // d/dt of (1 - t) x + softplus(-x) is -x
        assertClose(Tensor.of(-0.5, 1.0, -2.0), t.grad(), 1e-12, "target grad");
        assertTrue(GradCheck.gradcheck(in -> F.binaryCrossEntropyWithLogits(in.get(0), in.get(1)), List.of(x, t)));
    }

    @Test
    void calledDirectlyWithAMismatchedTargetItSaysSo() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> dev.kindling.BceWithLogitsOps.loss(Tensor.randn(3, 4), Tensor.rand(4, 3), null, null));
        assertTrue(e.getMessage().contains("binary_cross_entropy_with_logits") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }
}
