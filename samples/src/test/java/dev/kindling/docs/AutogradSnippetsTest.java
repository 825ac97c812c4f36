package dev.kindling.docs;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import dev.kindling.DType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The code of autograd.md. */
class AutogradSnippetsTest {

    @Test
    void basics() {
        // region autograd-basic
        Tensor x = Tensor.of(2f, 3f).requiresGrad(true);
        Tensor y = Tensor.of(4f, 5f).requiresGrad(true);
        Tensor z = x.mul(y).add(x.pow(2));        // z = x * y + x ** 2
        Tensor loss = z.sum();
        loss.backward();
        System.out.println(x.grad());             // dL/dx = y + 2x = [8, 11]
        System.out.println(y.grad());             // dL/dy = x      = [2, 3]
        // endregion
        assertArrayEquals(new float[]{8, 11}, x.grad().toFloatArray());
        assertArrayEquals(new float[]{2, 3}, y.grad().toFloatArray());
    }

    @Test
    void manualGradientDescent() {
        // region autograd-manual-gd
        float[] xData = {1, 2, 3}, yData = {2, 4, 6};
        Tensor w = Tensor.of(1f).requiresGrad(true);
        for (int epoch = 0; epoch < 100; epoch++) {
            for (int i = 0; i < xData.length; i++) {
                Tensor l = w.mul(xData[i]).sub(yData[i]).pow(2).sum();   // (x * w - y) ** 2
                l.backward();
                try (var off = Kindling.noGrad()) {
                    w.sub_(w.grad().mul(0.01));        // w.data = w.data - 0.01 * w.grad.data
                }
                w.grad().zero_();                      // w.grad.data.zero_()
            }
        }
        System.out.println(w.mul(4).item());           // about 8.0
        // endregion
        assertEquals(8.0, w.mul(4).item(), 1e-3);
    }

    @Test
    void noGradAndDetach() {
        Tensor x = Tensor.of(2f, 3f).requiresGrad(true);
        Tensor y = Tensor.of(4f, 5f).requiresGrad(true);
        // region autograd-nograd
        Tensor z;
        try (var off = Kindling.noGrad()) {        // with torch.no_grad():
            z = x.mul(y);                          // records nothing
        }
        Tensor zDetached = x.mul(y).detach();      // z.detach(): same values, no history
        // endregion
        assertFalse(z.requiresGrad());
        assertNull(zDetached.gradFn());
    }

    @Test
    void functionalGrad() {
        // region autograd-grad
        Tensor x = Tensor.of(1.0, 2.0).requiresGrad(true);             // float64
        Tensor y = x.pow(3).sum();
        List<Tensor> dy = Kindling.grad(y, List.of(x), true);          // create_graph=True
        Tensor d2 = Kindling.grad(dy.get(0).sum(), List.of(x)).get(0); // second derivative 6x
        // endregion
        assertArrayEquals(new double[]{3, 12}, dy.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[]{6, 12}, d2.toDoubleArray(), 1e-12);
    }

    @Test
    void gradcheck() {
        // region autograd-gradcheck
        Tensor x = Tensor.randn(3, 4).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.gradcheck(in -> in.get(0).tanh().sum(1), List.of(x));
        // endregion
    }
}
