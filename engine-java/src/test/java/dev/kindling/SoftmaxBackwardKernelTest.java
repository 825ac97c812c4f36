package dev.kindling;

import org.junit.jupiter.api.Test;

import static dev.kindling.SameBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Softmax's and log-softmax's backward kernel (one pass per row over the last dimension, float32) gives the bits of the
 * ops it replaces, run one by one: {@code y * (g - sum(g * y))} and {@code g - exp(y) * sum(g)}; over row lengths
 * around the eight-accumulator sum's tail, spreads that reach exp's edges, incoming gradients of every sign, and the
 * shapes it leaves to the ops (another dimension, a strided gradient, float64, a graph recorded by the backward).
 */
class SoftmaxBackwardKernelTest {

    /** x's gradient through the op's backward, and the ops' value for the same incoming gradient. */
    private static void check(Tensor x0, Tensor g, int dim, boolean log, String what) {
        Tensor x = x0.detach().requiresGrad(true);
        Tensor y = log ? x.logSoftmax(dim) : x.softmax(dim);
        y.backward(g);
        float[] got = x.grad().toFloatArray();
        Tensor yd = y.detach();
        Tensor want = log ? g.sub(yd.exp().mul(g.sum(dim, true))) : yd.mul(g.sub(g.mul(yd).sum(dim, true)));
        assertSameBits(want.toFloatArray(), got, (log ? "log_softmax" : "softmax") + " backward, " + what);
    }

    @Test
    void rowsGiveTheOpsBits() {
        Kindling.manualSeed(21);
        for (int len : new int[]{1, 3, 8, 9, 10, 100, 1000, 1003}) {
            for (double spread : new double[]{0.5, 5, 60}) {
                int rows = Math.max(1, 40_000 / len);
                Tensor x = Tensor.randn(rows, len).mul(spread), g = Tensor.randn(rows, len).mul(spread == 60 ? 1e3 : 1);
                for (boolean log : new boolean[]{false, true}) check(x, g, 1, log, "[" + rows + ", " + len + "] spread " + spread);
            }
        }
        // three dimensions, the last one; a row holding -inf (softmax 0 there), which the forward gives
        Tensor x = Tensor.randn(3, 5, 70);
        check(x, Tensor.randn(3, 5, 70), 2, true, "[3, 5, 70]");
        check(x, Tensor.randn(3, 5, 70), -1, false, "[3, 5, 70], dim -1");
        float[] v = Tensor.randn(4, 30).toFloatArray();
        v[7] = Float.NEGATIVE_INFINITY;
        check(Tensor.fromArray(v, 4, 30), Tensor.randn(4, 30), 1, false, "a row with -inf");
    }

    @Test
    void casesLeftToTheOpsStillWork() {
        Kindling.manualSeed(22);
        Tensor x = Tensor.randn(6, 40);
        // another dimension, a strided (transposed) gradient, a broadcast one from a sum, float64
        check(x, Tensor.randn(6, 40), 0, true, "over dim 0");
        check(x, Tensor.randn(40, 6).t(), 1, false, "transposed gradient");
        check(x, Tensor.randn(40, 6).t(), 1, true, "transposed gradient");
        Tensor xd = x.to(DType.FLOAT64).requiresGrad(true);
        xd.logSoftmax(1).sum().backward();
        Tensor yd = xd.detach().logSoftmax(1);
        Tensor ones = Tensor.ones(new int[]{6, 40}, DType.FLOAT64);
        assertArrayEquals(ones.sub(yd.exp().mul(ones.sum(1, true))).toDoubleArray(), xd.grad().toDoubleArray(), 1e-15);
        // a second derivative: the backward records its graph through the ops (float32 against float64)
        double[][] second = new double[2][];
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor xs = x.to(dt).detach().requiresGrad(true);
            Tensor y = xs.logSoftmax(1).mul(xs.softmax(1));
            Tensor first = Kindling.grad(y.mul(y).sum(), java.util.List.of(xs), true).get(0);
            first.mul(first).sum().backward();
            second[dt == DType.FLOAT32 ? 0 : 1] = xs.grad().to(DType.FLOAT64).toDoubleArray();
        }
        double scale = 0;
        for (double d : second[1]) scale = Math.max(scale, Math.abs(d));
        assertArrayEquals(second[1], second[0], 1e-5 * scale + 1e-7);
    }
}
