package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import dev.kindling.testing.GradCheck;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.kindling.SameBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks shared by the tests of elementwise ops made one node (GELU, ELU, SiLU) against the ops they replaced. */
final class FusedOpChecks {
    private FusedOpChecks() {}

    /** Forward (with and without a graph) and x's gradient for the incoming {@code g}: the ops' bits, and the node's name. */
    static void sameBitsAsOps(UnaryOperator<Tensor> fused, UnaryOperator<Tensor> ops, String node, Tensor x0, Tensor g, String what) {
        Tensor x = x0.detach().requiresGrad(true), xo = x0.detach().requiresGrad(true);
        Tensor y = fused.apply(x), yo = ops.apply(xo);
        assertEquals(node, y.gradFn().name(), what);
        assertSameBits(yo.toFloatArray(), y.toFloatArray(), "forward, " + what);
        try (var off = Kindling.noGrad()) {
            assertSameBits(yo.toFloatArray(), fused.apply(x0).toFloatArray(), "forward without a graph, " + what);
        }
        y.backward(g);
        yo.backward(g);
        assertSameBits(xo.grad().toFloatArray(), x.grad().toFloatArray(), "backward, " + what);
    }

    /**
     * The second derivative of {@code sum((f(x))^2)}'s gradient squared, through the node's recorded backward and
     * through the ops: the same function of x by another graph, so equal to float32 rounding.
     */
    static void secondDerivativeAsOps(UnaryOperator<Tensor> fused, UnaryOperator<Tensor> ops, Tensor x0) {
        double[][] second = new double[2][];
        int k = 0;
        for (UnaryOperator<Tensor> f : List.of(fused, ops)) {
            Tensor x = x0.detach().requiresGrad(true);
            Tensor y = f.apply(x);
            Tensor first = Kindling.grad(y.mul(y).sum(), List.of(x), true).get(0);
            first.mul(first).sum().backward();
            second[k++] = x.grad().to(DType.FLOAT64).toDoubleArray();
        }
        double scale = 0;
        for (double d : second[1]) scale = Math.max(scale, Math.abs(d));
        assertArrayEquals(second[1], second[0], 1e-6 * scale, "second derivative through the ops");
    }

    /** Zeros of both signs, NaN, infinities, the extremes and the subnormals: every activation's kernel meets them. */
    static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_VALUE, 1e-30f, -1e-30f, 3e38f, -3e38f, 0.5f, -0.5f};

    /** A check of one input against one incoming gradient, described by {@code what}. */
    interface Check { void run(Tensor x, Tensor g, String what); }

    /** {@code check} over {@link #SPECIAL} and {@code more} inputs, with each of {@code gradients} as every element's gradient. */
    static void atSpecialValues(float[] more, float[] gradients, Check check) {
        float[] v = java.util.Arrays.copyOf(SPECIAL, SPECIAL.length + more.length);
        System.arraycopy(more, 0, v, SPECIAL.length, more.length);
        for (float gv : gradients) {
            float[] g = new float[v.length];
            java.util.Arrays.fill(g, gv);
            check.run(Tensor.fromArray(v, v.length), Tensor.fromArray(g, g.length), "special values, gradient " + gv);
        }
    }

    /**
     * float64, where the ops run: gradcheck and gradgradcheck of {@code fused}, and its forward equal to {@code ops}, on
     * inputs kept 0.1 away from 0 (where ELU's and LeakyReLU's derivatives jump).
     */
    static void float64AsOps(UnaryOperator<Tensor> fused, UnaryOperator<Tensor> ops) {
        Tensor xd = Tensor.randn(4, 6).mul(2).to(DType.FLOAT64);
        xd = xd.add(xd.sign().mul(0.1)).requiresGrad(true);
        assertTrue(GradCheck.gradcheck(in -> fused.apply(in.get(0)), List.of(xd)), "gradcheck");
        assertTrue(GradCheck.gradgradcheck(in -> fused.apply(in.get(0)), List.of(xd)), "gradgradcheck");
        assertArrayEquals(ops.apply(xd.detach()).toDoubleArray(), fused.apply(xd.detach()).toDoubleArray(), 0, "float64 forward");
    }
}
