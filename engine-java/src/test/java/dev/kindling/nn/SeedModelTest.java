package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed tutorials' models: printed like PyTorch, same parameter counts and state-dict keys, and they train. */
class SeedModelTest {
    @TestFactory
    Stream<DynamicTest> modelsMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : NnFixtures.cases("models")) {
            String name = c.get("name").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                Module m = SeedModels.make(name);
                assertEquals(c.get("repr").asText(), m.toString(), name + ": repr");
                assertEquals(c.get("numParameters").asLong(), m.numParameters(), name + ": parameter count");
                Map<String, Tensor> sd = m.stateDict();
                List<String> keys = new ArrayList<>();
                c.get("stateDictKeys").forEach(k -> keys.add(k.asText()));
                assertEquals(keys, new ArrayList<>(sd.keySet()), name + ": state dict keys");
                int i = 0;
                for (Tensor t : sd.values()) {
                    JsonNode s = c.get("stateDictShapes").get(i);
                    int[] shape = new int[s.size()];
                    for (int j = 0; j < shape.length; j++) shape[j] = s.get(j).asInt();
                    assertArrayEquals(shape, t.shape(), name + ": shape of " + keys.get(i));
                    assertEquals(c.get("stateDictDtypes").get(i).asText(), t.dtype().name().toLowerCase(), name + ": dtype of " + keys.get(i));
                    i++;
                }
                if (c.has("forward")) {
                    JsonNode f = c.get("forward");
                    m.loadStateDict(NnFixtures.tensors(f.get("state")));
                    m.eval();
                    Tensor y = m.forward(NnFixtures.tensor(f.get("input")));
                    NnFixtures.assertClose(name + ": output", f.get("output"), y, 1e-5);
                    y.sum().backward();
                    Map<String, Parameter> params = m.namedParameters();
                    f.get("paramGrads").fields().forEachRemaining(e ->
                            NnFixtures.assertClose(name + ": grad of " + e.getKey(), e.getValue(), params.get(e.getKey()).grad(), 1e-5));
                }
            }));
        }
        return tests.stream();
    }

    private static void trainSteps(Module m, Tensor x, Tensor y, Loss loss) {
        double first = Double.NaN, last = Double.NaN;
        for (int step = 0; step < 5; step++) {
            m.zeroGrad();
            Tensor l = loss.forward(m.forward(x), y);
            l.backward();
            for (Tensor p : m.parameters()) {
                assertNotNull(p.grad(), "every parameter gets a gradient");
                try (var off = Kindling.noGrad()) {
                    p.sub_(p.grad().mul(0.05));
                }
            }
            if (step == 0) first = l.item();
            last = l.item();
        }
        assertTrue(last < first, "loss decreases: " + first + " -> " + last);
    }

    @Test void seedModelsTrain() {
        Kindling.manualSeed(1);
        trainSteps(new SeedModels.LogisticRegressionModel(), Tensor.of(new float[][]{{1}, {2}, {3}}),
                Tensor.of(new float[][]{{0}, {0}, {1}}), new BCELoss());
        trainSteps(new SeedModels.Model(), Tensor.rand(16, 8), Tensor.rand(16, 1).gt(0.5).to(DType.FLOAT32), new BCELoss());
        trainSteps(new SeedModels.MNISTNet(), Tensor.rand(8, 1, 28, 28), Tensor.randint(0, 10, 8), new NLLLoss());
        trainSteps(new SeedModels.NeuralNetwork(), Tensor.rand(8, 1, 28, 28), Tensor.randint(0, 10, 8), new CrossEntropyLoss());
        trainSteps(new SeedModels.Classifier(), Tensor.randn(16, 20), Tensor.randint(0, 3, 16), new CrossEntropyLoss());
        trainSteps(SeedModels.SequentialSimple.make(), Tensor.randn(16, 10), Tensor.randint(0, 2, 16), new NLLLoss());
    }

    @Test void cnnForwardBackward() {
        Kindling.manualSeed(2);
        var cnn = new SeedModels.CNN();
        Tensor x = Tensor.randn(2, 1, 64, 64);
        Tensor out = cnn.forward(x);
        assertArrayEquals(new int[]{2, 10}, out.shape());
        new CrossEntropyLoss().forward(out, Tensor.of(new long[]{1, 7})).backward();
        for (Map.Entry<String, Parameter> e : cnn.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().shape(), e.getValue().grad().shape(), e.getKey());
        }
    }
}
