package dev.kindling.docs;

import dev.kindling.Tensor;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.F;
import dev.kindling.nn.Linear;
import dev.kindling.nn.Module;
import dev.kindling.optim.SGD;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The code of nn.md. */
class NnGuideSnippetsTest {

    @Test
    void overview() {
        Tensor x = Tensor.randn(4, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 4);
        // region nn-overview
        class Net extends Module {
            final Conv2d conv1 = new Conv2d(1, 32, 3, 1, 1);          // in, out, kernel, stride, padding
            final Linear fc = new Linear(32 * 14 * 14, 10);
            @Override public Tensor forward(Tensor x) {
                x = F.maxPool2d(F.relu(conv1.forward(x)), 2);
                return fc.forward(x.flatten(1));
            }
        }
        var net = new Net();
        System.out.println(net);                 // Net(\n  (conv1): Conv2d(1, 32, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n ...
        var opt = new SGD(net.parameters(), 0.01);
        Tensor loss = new CrossEntropyLoss().forward(net.forward(x), y);
        // endregion
        assertEquals(0, loss.dim());
        opt.zeroGrad();
    }
}
