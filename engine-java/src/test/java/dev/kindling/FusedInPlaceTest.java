package dev.kindling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused kernels behind add(t, alpha), addcmul, addcdiv and their in-place twins: rounding, broadcasting, fallbacks. */
class FusedInPlaceTest {
    @Test void roundsLikeOneFusedMultiplyAdd() {
        double[] a = {0.1, -1.7, 3.3}, b = {0.7, 0.3, -2.9}, c = {1.3, 2.1, 0.9};
        double v = 0.123456789;
        Tensor ta = Tensor.of(a), tb = Tensor.of(b), tc = Tensor.of(c);
        double[] axpy = ta.clone().add_(tb, v).toDoubleArray();
        double[] mul = ta.clone().addcmul_(tb, tc, v).toDoubleArray();
        double[] div = ta.clone().addcdiv_(tb, tc, v).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertTrue(axpy[i] == Math.fma(b[i], v, a[i]));
            assertTrue(mul[i] == Math.fma(v * b[i], c[i], a[i]));
            assertTrue(div[i] == a[i] + v * b[i] / c[i]);
        }
    }

    @Test void broadcastsAndHandlesStridedFloat32() {
        Tensor x = Tensor.zeros(2, 3);
        x.addcmul_(Tensor.of(1f, 2f, 3f), Tensor.of(new float[][]{{1}, {2}}), 2);
        assertArrayEquals(new float[]{2, 4, 6, 4, 8, 12}, x.toFloatArray());
        Tensor t = Tensor.zeros(3, 2).transpose(0, 1);
        t.add_(Tensor.ones(2, 3), 0.5);
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, t.toFloatArray());
    }

    @Test void mixedDtypesAndAutogradUseTheCompositePath() {
        Tensor x = Tensor.ones(2);
        x.add_(Tensor.of(1.0, 2.0), 2);            // FLOAT64 into FLOAT32
        assertArrayEquals(new float[]{3, 5}, x.toFloatArray());
        Tensor w = Tensor.of(1.0, 2.0).requiresGrad(true);
        Tensor y = w.mul(1).addcmul_(w, w, 3);      // y = w + 3 w^2, dy/dw = 1 + 6w
        y.sum().backward();
        assertArrayEquals(new double[]{7, 13}, w.grad().toDoubleArray(), 1e-12);
    }

    @Test void badShapesAndLeavesAreRejected() {
        Tensor x = Tensor.zeros(3);
        var ex = assertThrows(IllegalArgumentException.class, () -> x.addcdiv_(Tensor.ones(2, 3), Tensor.ones(3), 1));
        assertTrue(ex.getMessage().contains("addcdiv_"), ex.getMessage());
        Tensor leaf = Tensor.zeros(3).requiresGrad(true);
        assertThrows(IllegalStateException.class, () -> leaf.addcmul_(Tensor.ones(3), Tensor.ones(3), 1));
    }

    @Test void outOfPlaceTwinsRoundTheSameAndLeaveTheirInputs() {
        Tensor a = Tensor.of(0.1, -1.7, 3.3), b = Tensor.of(0.7, 0.3, -2.9), c = Tensor.of(1.3, 2.1, 0.9);
        double v = 0.123456789;
        assertArrayEquals(a.clone().add_(b, v).toDoubleArray(), a.add(b, v).toDoubleArray(), 0.0);
        assertArrayEquals(a.clone().add_(b, -v).toDoubleArray(), a.sub(b, v).toDoubleArray(), 0.0);
        assertArrayEquals(a.clone().addcmul_(b, c, v).toDoubleArray(), a.addcmul(b, c, v).toDoubleArray(), 0.0);
        assertArrayEquals(a.clone().addcdiv_(b, c, v).toDoubleArray(), a.addcdiv(b, c, v).toDoubleArray(), 0.0);
        assertArrayEquals(new double[]{0.1, -1.7, 3.3}, a.toDoubleArray(), 0.0);
        Tensor row = Tensor.of(1f, 2f, 3f);
        assertArrayEquals(new float[]{3, 6, 9, 3, 6, 9}, Tensor.zeros(2, 3).addcmul(row, Tensor.full(new int[]{3}, 3), 1).toFloatArray());
    }

    @Test void addWithAlphaHasAGradientThroughBroadcasting() {
        Tensor x = Tensor.of(new double[][]{{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor bias = Tensor.of(0.5, -0.5).requiresGrad(true);
        Tensor y = x.add(bias, 3).sub(x, 0.5);     // y = 0.5 x + 3 bias
        y.mul(y).sum().backward();
        double[] yv = y.toDoubleArray();
        double[] gx = x.grad().toDoubleArray(), gb = bias.grad().toDoubleArray();
        for (int i = 0; i < 4; i++) assertTrue(Math.abs(gx[i] - yv[i]) < 1e-12);       // 2y * 0.5
        assertTrue(Math.abs(gb[0] - 6 * (yv[0] + yv[2])) < 1e-12);                   // 2y * 3, summed over rows
        assertTrue(Math.abs(gb[1] - 6 * (yv[1] + yv[3])) < 1e-12);
    }
}
