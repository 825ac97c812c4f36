package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module bookkeeping: registration, naming, modes, conversion, state dicts, and the error messages. */
class ModuleTest {
    static final class Net extends Module {
        final Linear fc1 = new Linear(784, 512), fc2 = new Linear(512, 10);

        @Override public Tensor forward(Tensor x) { return fc2.forward(F.relu(fc1.forward(x))); }
    }

    static class Base extends Module {
        final Parameter scale = new Parameter(Tensor.ones(2));

        @Override public Tensor forward(Tensor x) { return x.mul(scale); }
    }

    static final class Derived extends Base {
        final Tensor mask = registerBuffer("mask", Tensor.ones(2));
        final Linear head = new Linear(2, 2);
        final Parameter offset = new Parameter(Tensor.zeros(2));
        final Linear shared = head;   // the same module twice: its parameters are listed once
    }

    @Test void fieldsAreRegisteredInDeclarationOrderSuperclassFirst() {
        var d = new Derived();
        assertEquals(List.of("scale", "offset", "head.weight", "head.bias"), new ArrayList<>(d.namedParameters().keySet()));
        assertEquals(List.of("scale", "offset", "mask", "head.weight", "head.bias", "shared.weight", "shared.bias"),
                new ArrayList<>(d.stateDict().keySet()));
        assertEquals(List.of("mask"), new ArrayList<>(d.namedBuffers().keySet()));
        assertEquals(List.of("head", "shared"), new ArrayList<>(d.namedChildren().keySet()));
        assertEquals(2, d.modules().size());
        assertEquals(2 + 2 + 4 + 2, d.numParameters());
    }

    @Test void shapeErrorsNameTheLayerPath() {
        var net = new Net();
        net.parameters(); // attaching happens when the parent lists its children
        var e = assertThrows(IllegalArgumentException.class, () -> net.fc2.forward(Tensor.zeros(64, 784)));
        assertEquals("fc2 (Linear): expected input with last dimension 512, got shape [64, 784]", e.getMessage());
        var seq = new SeedModels.NeuralNetwork();
        seq.toString();
        e = assertThrows(IllegalArgumentException.class, () -> seq.forward(Tensor.zeros(2, 3, 3)));
        assertEquals("linear_relu_stack.0 (Linear): expected input with last dimension 784, got shape [2, 9]", e.getMessage());
        var lone = new Linear(3, 2);
        e = assertThrows(IllegalArgumentException.class, () -> lone.forward(Tensor.zeros(2)));
        assertTrue(e.getMessage().startsWith("Linear: expected input with last dimension 3"), e.getMessage());
        var cnn = new SeedModels.CNN();
        cnn.parameters();
        e = assertThrows(IllegalArgumentException.class, () -> cnn.forward(Tensor.zeros(1, 3, 64, 64)));
        assertTrue(e.getMessage().startsWith("conv1 (Conv2d): expected input of shape [N, 1, *, *] (1 channels), got shape [1, 3, 64, 64]"), e.getMessage());
        var bn = new Sequential(new BatchNorm1d(4));
        bn.parameters();
        e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().startsWith("0 (BatchNorm1d): batch_norm: expected more than 1 value per channel"), e.getMessage());
        var loss = new CrossEntropyLoss();
        assertThrows(IllegalArgumentException.class, () -> loss.forward(Tensor.zeros(2, 3)));
    }

    @Test void classTargetsOutOfRangeThrowWithTheValue() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NLLLoss().forward(Tensor.zeros(2, 10), Tensor.of(new long[]{3, 12})));
        assertEquals("NLLLoss: nll_loss: target 12 is out of bounds for 10 classes (valid: 0 to 9)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[]{-1, 0})));
        assertTrue(e.getMessage().contains("target -1 is out of bounds for 3 classes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(Tensor.zeros(2, 3), Tensor.of(new long[]{0, 1, 2})));
        assertTrue(e.getMessage().contains("needs a target of shape [2], got [3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.mseLoss(Tensor.zeros(4, 1), Tensor.zeros(4)));
        assertTrue(e.getMessage().startsWith("mse_loss: target shape [4] must match input shape [4, 1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> F.binaryCrossEntropy(Tensor.of(1.5f), Tensor.of(1f)));
        assertTrue(e.getMessage().contains("between 0 and 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Embedding(5, 2).forward(Tensor.of(new long[]{5})));
        assertTrue(e.getMessage().contains("index 5 is out of range for 5 embeddings"), e.getMessage());
    }

    @Test void loadStateDictIsStrictAndNamesTheProblems() {
        var a = new Net();
        var b = new Net();
        b.loadStateDict(a.stateDict());
        assertTrue(b.fc1.weight.equal(a.fc1.weight));
        Map<String, Tensor> sd = new LinkedHashMap<>(a.stateDict());
        sd.remove("fc2.bias");
        sd.put("fc3.weight", Tensor.zeros(1));
        var e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(sd));
        assertTrue(e.getMessage().contains("Missing key(s) in state_dict: \"fc2.bias\"."), e.getMessage());
        assertTrue(e.getMessage().contains("Unexpected key(s) in state_dict: \"fc3.weight\"."), e.getMessage());
        var r = b.loadStateDict(sd, false);
        assertEquals(List.of("fc2.bias"), r.missingKeys());
        assertEquals(List.of("fc3.weight"), r.unexpectedKeys());
        Map<String, Tensor> bad = new LinkedHashMap<>(a.stateDict());
        bad.put("fc1.bias", Tensor.zeros(3));
        e = assertThrows(IllegalArgumentException.class, () -> b.loadStateDict(bad, false));
        assertTrue(e.getMessage().contains("size mismatch for fc1.bias: copying a param with shape [3] from checkpoint,"
                + " the shape in current model is [512]."), e.getMessage());
    }

    @Test void stateDictSurvivesScopesAndSharesMemory() {
        var net = new Net();
        Map<String, Tensor> sd;
        try (var s = Kindling.scope()) {
            sd = net.stateDict();
        }
        assertFalse(sd.get("fc1.weight").isClosed());
        try (var off = Kindling.noGrad()) {
            net.fc1.bias.fill_(3);
        }
        assertEquals(3.0, sd.get("fc1.bias").max().item());
        assertFalse(sd.get("fc1.bias").requiresGrad());
    }

    @Test void trainEvalAndDropout() {
        var m = new Sequential(new Linear(3, 3), new Dropout(0.5), new Sequential(new Dropout(0.25)));
        assertTrue(m.get(2).isTraining());
        m.eval();
        for (Module c : m.modules()) assertFalse(c.isTraining());
        Tensor x = Tensor.ones(1000);
        assertSame(x, m.get(1).forward(x));
        m.train();
        Kindling.manualSeed(0);
        Tensor y = m.get(1).forward(x);
        double zeros = y.eq(0).to(DType.FLOAT32).sum().item();
        assertTrue(zeros > 420 && zeros < 580, "about half dropped: " + zeros);
        assertEquals(2.0, y.max().item(), 1e-6);   // survivors scaled by 1/(1-p)
        Tensor z = F.dropout2d(Tensor.ones(4, 50, 3, 3), 0.5, true);
        Tensor perChannel = z.sum(new int[]{2, 3}, false);
        assertTrue(perChannel.eq(0).logicalOr(perChannel.eq(18)).all().item() == 1, "whole channels dropped");
    }

    @Test void toDTypeConvertsParametersAndFloatBuffersOnly() {
        var m = new Sequential(new Linear(2, 2), new BatchNorm1d(2));
        Tensor w = ((Linear) m.get(0)).weight;
        m.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, ((Linear) m.get(0)).weight.dtype());
        assertTrue(((Linear) m.get(0)).weight.requiresGrad());
        assertTrue(((Linear) m.get(0)).weight.allclose(w.to(DType.FLOAT64)));
        assertEquals(DType.FLOAT64, m.stateDict().get("1.running_mean").dtype());
        assertEquals(DType.INT64, m.stateDict().get("1.num_batches_tracked").dtype());
        assertEquals(0, m.stateDict().get("1.num_batches_tracked").dim());
        assertEquals(m.parameters().size(), 4);
        assertThrows(IllegalArgumentException.class, () -> m.to(DType.INT64));
        var d = new Derived();
        d.to(DType.FLOAT64);
        assertSame(d.head, d.shared);
        assertSame(d.head.weight, d.namedParameters().get("head.weight"));
        assertEquals(DType.FLOAT64, d.mask.dtype());   // the buffer field follows the conversion
        assertEquals(DType.FLOAT64, d.namedBuffers().get("mask").dtype());
        assertEquals(DType.FLOAT64, d.scale.dtype());
    }

    static final class Tied extends Module {
        final Embedding emb = new Embedding(5, 3);
        final Linear out = new Linear(3, 5, false);

        Tied() { out.weight = emb.weight; }

        @Override public Tensor forward(Tensor x) { return out.forward(emb.forward(x)); }
    }

    @Test void tiedWeightsStayTiedThroughTo() {
        var t = new Tied();
        assertEquals(1, t.parameters().size());
        t.to(DType.FLOAT64);
        assertSame(t.emb.weight, t.out.weight);
        assertEquals(DType.FLOAT64, t.out.weight.dtype());
    }

    @Test void zeroGradFreezeAndApply() {
        var net = new Net();
        net.forward(Tensor.randn(2, 784)).sum().backward();
        assertTrue(net.fc1.weight.grad() != null);
        net.zeroGrad();
        for (Tensor p : net.parameters()) assertNull(p.grad());
        net.fc1.requiresGrad(false);
        net.forward(Tensor.randn(2, 784)).sum().backward();
        assertNull(net.fc1.weight.grad());
        assertTrue(net.fc2.weight.grad() != null);
        assertEquals(512L * 10 + 10, net.numParameters(true));
        List<String> order = new ArrayList<>();
        net.apply(m -> order.add(m.typeName()));
        assertEquals(List.of("Linear", "Linear", "Net"), order);
        net.apply(m -> {
            if (m instanceof Linear l) init.zeros_(l.bias);
        });
        assertEquals(0.0, net.fc1.bias.abs().sum().item());
    }

    @Test void containers() {
        var seq = new Sequential(new Linear(4, 3)).add(new ReLU());
        assertEquals(2, seq.size());
        assertTrue(seq.get(-1) instanceof ReLU);
        assertThrows(IndexOutOfBoundsException.class, () -> seq.get(2));
        Map<String, Module> named = new LinkedHashMap<>();
        named.put("fc", new Linear(4, 2));
        named.put("act", new Tanh());
        var s2 = new Sequential(named);
        assertEquals(List.of("fc.weight", "fc.bias"), new ArrayList<>(s2.namedParameters().keySet()));
        assertArrayEquals(new int[]{5, 2}, s2.forward(Tensor.randn(5, 4)).shape());
        var list = new ModuleList(new Linear(2, 2), new Linear(2, 2));
        int n = 0;
        for (Module m : list) n += (int) m.numParameters();
        assertEquals(12, n);
        assertThrows(IllegalStateException.class, () -> list.forward(Tensor.zeros(2)));
        var dict = new ModuleDict();
        dict.put("a", new Linear(2, 1));
        assertTrue(dict.containsKey("a"));
        var e = assertThrows(IllegalArgumentException.class, () -> dict.get("b"));
        assertTrue(e.getMessage().contains("no module named \"b\""));
        assertEquals("ModuleDict(\n  (a): Linear(in_features=2, out_features=1, bias=True)\n)", dict.toString());
    }

    @Test void defaultInitMatchesPyTorchBounds() {
        Kindling.manualSeed(0);
        var fc = new Linear(784, 512);
        double bound = 1 / Math.sqrt(784);
        assertTrue(fc.weight.abs().max().item() <= bound);
        assertTrue(fc.weight.abs().max().item() > 0.95 * bound);
        assertTrue(fc.bias.abs().max().item() <= bound);
        // U(-b, b) has std b / sqrt(3)
        assertEquals(bound / Math.sqrt(3), fc.weight.std().item(), 0.01 * bound);
        var conv = new Conv2d(32, 64, 3);
        double cb = 1 / Math.sqrt(32 * 9);
        assertTrue(conv.weight.abs().max().item() <= cb && conv.bias.abs().max().item() <= cb);
        Tensor t = Tensor.empty(200, 300);
        init.xavierUniform_(t);
        assertEquals(Math.sqrt(2.0 / 500), t.std().item(), 0.02 * Math.sqrt(2.0 / 500));
        init.kaimingNormal_(t, 0, init.FanMode.FAN_OUT, init.Nonlinearity.RELU);
        assertEquals(Math.sqrt(2.0 / 200), t.std().item(), 0.02 * Math.sqrt(2.0 / 200));
        init.xavierNormal_(t, 2);
        assertEquals(2 * Math.sqrt(2.0 / 500), t.std().item(), 0.04 * Math.sqrt(2.0 / 500));
        assertEquals(5.0 / 3, init.calculateGain(init.Nonlinearity.TANH), 1e-12);
        assertEquals(Math.sqrt(2.0 / (1 + 0.04)), init.calculateGain(init.Nonlinearity.LEAKY_RELU, 0.2), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> init.xavierUniform_(Tensor.empty(3)));
        var emb = new Embedding(5, 3, 0);
        assertEquals(0.0, emb.weight.select(0, 0).abs().sum().item());
        init.ones_(t);
        init.constant_(t, 2);
        assertEquals(2.0, t.min().item());
        var g = new dev.kindling.Generator(7);
        Tensor u1 = init.uniform_(Tensor.empty(5), 0, 1, g);
        Tensor u2 = init.uniform_(Tensor.empty(5), 0, 1, new dev.kindling.Generator(7));
        assertTrue(u1.equal(u2), "a given generator makes init reproducible");
    }

    @Test void parameterPrintsAndWrapsData() {
        Tensor data = Tensor.of(1f, 2f);
        var p = new Parameter(data);
        assertTrue(p.requiresGrad() && p.isLeaf());
        assertTrue(p.toString().startsWith("Parameter containing:\ntensor([1., 2.]"), p.toString());
        assertFalse(new Parameter(data, false).requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> new Parameter(null));
    }

    @Test void unusualArgumentsThrow() {
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, 2, 0) {{ }}.forward(Tensor.zeros(1, 3, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 4, 3).groups(2).build());
        assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(3, 3, 3).stride(2).padding("same").build());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4));
        assertThrows(IllegalArgumentException.class, () -> new MSELoss(Reduction.BATCHMEAN));
        assertThrows(IllegalArgumentException.class, () -> F.pad(Tensor.zeros(2, 3), new int[]{3, 3}, PadMode.REFLECT, 0));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.zeros(2, 3)));
        assertThrows(IllegalArgumentException.class, () -> new Module() {
            @Override public Tensor forward(Tensor x) { return x; }
        }.registerModule("a.b", new ReLU()));
    }

    @Test void functionalHelpers() {
        Tensor oh = F.oneHot(Tensor.of(new long[]{0, 2}), 3);
        assertArrayEquals(new long[]{1, 0, 0, 0, 0, 1}, oh.toLongArray());
        assertArrayEquals(new int[]{2, 3}, F.oneHot(Tensor.of(new long[]{0, 2})).shape());
        Tensor x = Tensor.randn(2, 3, 4, 4);
        assertArrayEquals(new int[]{2, 3, 1, 1}, F.adaptiveAvgPool2d(x, 1).shape());
        assertTrue(F.avgPool2d(x, 2).allclose(new AvgPool2d(2).forward(x)));
        Tensor c1 = F.conv1d(Tensor.randn(1, 2, 5), Tensor.randn(3, 2, 2), null);
        assertArrayEquals(new int[]{1, 3, 4}, c1.shape());
        assertArrayEquals(new int[]{1, 2, 8, 8}, F.convTranspose2d(Tensor.randn(1, 3, 4, 4), Tensor.randn(3, 2, 2, 2), null, 2, 0).shape());
    }
}
