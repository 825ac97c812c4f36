package dev.kindling;

import dev.kindling.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sigmoid's and tanh's gradients in one pass from the forward's output give the bits of the ops they replaced,
 * {@code g.mul(out).mul(out.rsub(1))} and {@code g.mul(out.square().rsub(1))}: float32 and float64, below and above the
 * sizes oneDNN takes, a broadcast incoming gradient (from a sum), special values; second derivatives through the ops.
 */
class OutputBackwardTest {
    private record Fn(String name, UnaryOperator<Tensor> op, java.util.function.BinaryOperator<Tensor> gradient) {}

    private static final Fn[] FNS = {
            new Fn("sigmoid", Tensor::sigmoid, (g, out) -> g.mul(out).mul(out.rsub(1))),
            new Fn("tanh", Tensor::tanh, (g, out) -> g.mul(out.square().rsub(1)))};

    private static void assertSameBits(Tensor want, Tensor got, String what) {
        double[] w = want.to(DType.FLOAT64).toDoubleArray(), o = got.to(DType.FLOAT64).toDoubleArray();
        if (want.dtype() == DType.FLOAT32) {
            float[] wf = want.toFloatArray(), of = got.toFloatArray();
            for (int i = 0; i < wf.length; i++) {
                assertEquals(Float.floatToIntBits(wf[i]), Float.floatToIntBits(of[i]), what + ", element " + i + ": " + of[i] + " against " + wf[i]);
            }
        } else {
            for (int i = 0; i < w.length; i++) {
                assertEquals(Double.doubleToLongBits(w[i]), Double.doubleToLongBits(o[i]), what + ", element " + i);
            }
        }
    }

    @Test
    void oneLoopGivesTheOpsBits() {
        Kindling.manualSeed(51);
        for (Fn f : FNS) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                for (int[] shape : new int[][]{{1}, {9}, {64, 512}, {300, 300}}) {
                    Tensor x = Tensor.randn(shape).mul(3).to(dt).requiresGrad(true), g = Tensor.randn(shape).to(dt);
                    Tensor out = f.op.apply(x);
                    out.backward(g);
                    assertSameBits(f.gradient.apply(g, out.detach()), x.grad(), f.name + " " + dt + " " + java.util.Arrays.toString(shape));
                }
                // the incoming gradient of a sum: a broadcast view of one element
                Tensor x = Tensor.randn(40, 30).to(dt).requiresGrad(true);
                Tensor out = f.op.apply(x);
                out.sum().backward();
                assertSameBits(f.gradient.apply(Tensor.ones(new int[]{40, 30}, dt), out.detach()), x.grad(), f.name + " " + dt + " under a sum");
            }
            float[] v = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f, 20f, -20f, 100f, -100f};
            float[] gv = {1f, -1f, 2f, Float.NaN, 3f, -0f, 0f, 1e30f, -1e30f, 5f, Float.POSITIVE_INFINITY};
            Tensor x = Tensor.fromArray(v, v.length).requiresGrad(true), g = Tensor.fromArray(gv, gv.length);
            Tensor out = f.op.apply(x);
            out.backward(g);
            assertSameBits(f.gradient.apply(g, out.detach()), x.grad(), f.name + " special values");
        }
    }

    @Test
    void secondDerivativesThroughTheOps() {
        Kindling.manualSeed(52);
        for (Fn f : FNS) {
            Tensor x = Tensor.randn(4, 5).to(DType.FLOAT64).requiresGrad(true);
            assertTrue(GradCheck.gradcheck(in -> f.op.apply(in.get(0)), List.of(x)), f.name + " gradcheck");
            assertTrue(GradCheck.gradgradcheck(in -> f.op.apply(in.get(0)), List.of(x)), f.name + " gradgradcheck");
            Tensor first = Kindling.grad(f.op.apply(x).sum(), List.of(x), true).get(0);
            Tensor out = f.op.apply(x.detach());
            assertArrayEquals(f.gradient.apply(Tensor.ones(new int[]{4, 5}, DType.FLOAT64), out).toDoubleArray(), first.toDoubleArray(), 0,
                    f.name + " first derivative recorded for a second");
        }
    }
}
