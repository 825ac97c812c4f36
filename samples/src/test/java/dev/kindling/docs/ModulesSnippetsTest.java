package dev.kindling.docs;

import dev.kindling.Tensor;
import dev.kindling.nn.Dropout;
import dev.kindling.nn.F;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.LogSoftmax;
import dev.kindling.nn.Module;
import dev.kindling.nn.Parameter;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of modules.md. */
class ModulesSnippetsTest {

    // region modules-custom
    static class NeuralNetwork extends Module {
        final Flatten flatten = new Flatten();
        final Sequential linearReluStack = new Sequential(
                new Linear(28 * 28, 512), new ReLU(),
                new Linear(512, 512), new ReLU(),
                new Linear(512, 10));

        @Override public Tensor forward(Tensor x) {
            return linearReluStack.forward(flatten.forward(x));
        }
    }
    // endregion

    // region modules-functional
    static class MNISTNet extends Module {
        final Linear fc1 = new Linear(28 * 28, 512);
        final Linear fc2 = new Linear(512, 256);
        final Linear fc3 = new Linear(256, 10);

        @Override public Tensor forward(Tensor x) {
            x = x.view(-1, 28 * 28);
            x = F.relu(fc1.forward(x));
            x = F.relu(fc2.forward(x));
            return F.logSoftmax(fc3.forward(x), 1);
        }
    }
    // endregion

    @Test
    void sequential() {
        // region modules-sequential
        var model = new Sequential(
                new Linear(10, 5),
                new ReLU(),
                new Linear(5, 2),
                new LogSoftmax(1));
        Tensor out = model.forward(Tensor.randn(4, 10));   // model(inputs)
        System.out.println(model);                         // prints like PyTorch's repr
        // endregion
        assertArrayEquals(new int[]{4, 2}, out.shape());
        assertTrue(model.toString().contains("Linear(in_features=10, out_features=5, bias=True)"), model.toString());
    }

    @Test
    void custom() {
        // region modules-inspect
        var model = new NeuralNetwork();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            System.out.println(e.getKey() + ": " + java.util.Arrays.toString(e.getValue().shape()));
        }                                                  // linearReluStack.0.weight: [512, 784] ...
        long total = model.numParameters();                // sum(p.numel() for p in model.parameters())
        model.train();                                     // model.train()
        model.eval();                                      // model.eval(): Dropout off, BatchNorm uses running stats
        Tensor logits = model.forward(Tensor.rand(64, 1, 28, 28));
        // endregion
        assertEquals(784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, total);
        assertTrue(model.namedParameters().containsKey("linearReluStack.0.weight"));
        assertArrayEquals(new int[]{64, 10}, logits.shape());
        assertArrayEquals(new int[]{3, 10}, new MNISTNet().forward(Tensor.rand(3, 1, 28, 28)).shape());
    }

    @Test
    void stateDict() {
        // region modules-state
        var a = new Sequential(new Linear(4, 3), new ReLU(), new Dropout(0.2), new Linear(3, 1));
        var b = new Sequential(new Linear(4, 3), new ReLU(), new Dropout(0.2), new Linear(3, 1));
        Map<String, Tensor> sd = a.stateDict();            // keys "0.weight", "0.bias", "3.weight", "3.bias"
        b.loadStateDict(sd);                               // strict: missing or unexpected keys throw
        var layer = (Linear) a.get(0);
        System.out.println(layer.weight);                  // model.linear.weight, shape [out, in] = [3, 4]
        // endregion
        assertEquals(java.util.List.of("0.weight", "0.bias", "3.weight", "3.bias"), java.util.List.copyOf(sd.keySet()));
        assertTrue(((Linear) b.get(0)).weight.equal(layer.weight));
    }
}
