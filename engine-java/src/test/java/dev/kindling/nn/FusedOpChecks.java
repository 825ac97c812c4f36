package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.List;
import java.util.function.UnaryOperator;

import static dev.kindling.SameBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
