package dev.kindling.docs;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;

/** The code of the dtype and autocast sections of mixed-precision.md. */
class MixedPrecisionSnippetsTest {
    @Test
    void dtypes() {
        Kindling.manualSeed(0);
        var net = new Sequential(new Linear(3, 2));
        // region amp-dtypes
        Tensor x = Tensor.randn(4, 3);
        Tensor h = x.half(), b = x.bfloat16();              // x.to(DType.FLOAT16), x.to(DType.BFLOAT16)
        Tensor back = h.float_();                           // x.float() in PyTorch (float is a Java keyword)
        DType mixed = h.add(b).dtype();                     // FLOAT32: neither holds the other's values
        DType scaled = h.mul(2.5).dtype();                  // FLOAT16: a scalar keeps the tensor's type
        net.bfloat16();                                     // parameters and buffers; net.half(), net.float_()
        // endregion
        assertSame(DType.FLOAT32, back.dtype());
        assertSame(DType.FLOAT32, mixed);
        assertSame(DType.FLOAT16, scaled);
        assertSame(DType.BFLOAT16, net.parameters().get(0).dtype());
    }

    @Test
    void autocast() {
        Kindling.manualSeed(0);
        var net = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2));
        var lossFn = new CrossEntropyLoss();
        var opt = new Adam(net.parameters(), 1e-2);
        Tensor x = Tensor.randn(8, 10), y = Tensor.randint(0, 2, 8);
        // region amp-autocast
        Tensor loss;
        try (var ac = Kindling.autocast(Device.cpu(), DType.BFLOAT16)) {
            Tensor logits = net.forward(x);                 // Linear layers in bfloat16
            loss = lossFn.forward(logits, y);               // the loss in float32
        }
        loss.backward();                                    // gradients reach the float32 weights in float32
        opt.step();
        // endregion
        assertSame(DType.FLOAT32, loss.dtype());
        assertSame(DType.FLOAT32, net.parameters().get(0).grad().dtype());
    }
}
