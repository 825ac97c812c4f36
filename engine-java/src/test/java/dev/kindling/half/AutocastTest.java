package dev.kindling.half;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Autocast;
import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.F;
import dev.kindling.nn.Reduction;
import dev.kindling.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CPU autocast against PyTorch 1.13's torch.autocast("cpu", torch.bfloat16) (fixtures/half/half.json). */
class AutocastTest {
    private static final JsonNode FIX = Fixtures.load("fixtures/half/half.json");

    /** Each op of the fixture, on inputs of {@code src}; the float32 "other" operand stays float32. */
    private static Map<String, Supplier<Tensor>> ops(DType src) {
        Kindling.manualSeed(5);
        Tensor x = Tensor.randn(4, 6).to(src), w = Tensor.randn(5, 6).to(src), bias = Tensor.randn(5).to(src);
        Tensor img = Tensor.randn(2, 3, 6, 6).to(src), k = Tensor.randn(4, 3, 3, 3).to(src);
        Tensor seq = Tensor.randn(2, 3, 8).to(src), k1 = Tensor.randn(4, 3, 3).to(src), kt = Tensor.randn(3, 4, 3, 3).to(src);
        Tensor p = Tensor.rand(4, 6).to(src), t = Tensor.rand(4, 6).to(src), lbl = Tensor.of(new long[]{0, 1, 2, 3});
        Tensor b3 = Tensor.randn(2, 4, 6).to(src), c3 = Tensor.randn(2, 6, 3).to(src), other = Tensor.randn(4, 6);
        Map<String, Supplier<Tensor>> m = new HashMap<>();
        m.put("mm", () -> x.mm(w.t()));
        m.put("matmul", () -> x.matmul(w.t()));
        m.put("addmm", () -> bias.addmm(x, w.t()));
        m.put("bmm", () -> b3.bmm(c3));
        m.put("linear", () -> F.linear(x, w, bias));
        m.put("conv2d", () -> F.conv2d(img, k));
        m.put("conv1d", () -> F.conv1d(seq, k1));
        m.put("conv_transpose2d", () -> F.convTranspose2d(img, kt));
        m.put("mse_loss", () -> F.mseLoss(x, t));
        m.put("l1_loss", () -> F.l1Loss(x, t));
        m.put("smooth_l1_loss", () -> F.smoothL1Loss(x, t));
        m.put("binary_cross_entropy", () -> F.binaryCrossEntropy(p, t));
        m.put("binary_cross_entropy_with_logits", () -> F.binaryCrossEntropyWithLogits(x, t));
        m.put("nll_loss", () -> F.nllLoss(x, lbl));
        m.put("cross_entropy", () -> F.crossEntropy(x, lbl));
        m.put("kl_div", () -> F.klDiv(x, p, Reduction.BATCHMEAN));
        m.put("prod", x::prod);
        m.put("softmax", () -> x.softmax(1));
        m.put("log_softmax", () -> x.logSoftmax(1));
        m.put("exp", x::exp);
        m.put("log", p::log);
        m.put("sum", x::sum);
        m.put("mean", x::mean);
        m.put("relu", x::relu);
        m.put("sigmoid", x::sigmoid);
        m.put("tanh", x::tanh);
        m.put("add_float32", () -> x.add(other));
        m.put("mul_float32", () -> x.mul(other));
        m.put("cat_float32", () -> Tensor.cat(List.of(x, other)));
        m.put("stack_float32", () -> Tensor.stack(List.of(x, other)));
        m.put("max_pool2d", () -> F.maxPool2d(img, 2));
        m.put("avg_pool2d", () -> F.avgPool2d(img, 2));
        m.put("batch_norm", () -> F.batchNorm(img, null, null, null, null, true, 0.1, 1e-5));
        m.put("layer_norm", () -> F.layerNorm(x, new int[]{6}));
        m.put("dropout_eval", () -> F.dropout(x, 0.5, false));
        m.put("pow", () -> x.pow(2));
        m.put("norm", x::norm);
        return m;
    }

    @Test
    void everyOpGivesPyTorchsDtypeUnderCpuAutocast() {
        for (Iterator<Map.Entry<String, JsonNode>> srcs = FIX.get("autocast_ops").fields(); srcs.hasNext(); ) {
            Map.Entry<String, JsonNode> src = srcs.next();
            Map<String, Supplier<Tensor>> ops = ops(Fixtures.dtype(src.getKey()));
            int checked = 0;
            try (Autocast ac = Kindling.autocast(Device.cpu(), DType.BFLOAT16)) {
                for (Iterator<Map.Entry<String, JsonNode>> it = src.getValue().fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Supplier<Tensor> op = ops.get(e.getKey());
                    assertTrue(op != null, "no Java twin for " + e.getKey());
                    assertEquals(Fixtures.dtype(e.getValue().asText()), op.get().dtype(), e.getKey() + " of " + src.getKey() + " inputs");
                    checked++;
                }
            }
            assertEquals(ops.size(), checked);
        }
    }

    /** The seed MLP and CNN, float32 weights, one forward + loss under autocast and backward outside, as in PyTorch. */
    @Test
    void seedModelsTrainUnderAutocastLikePyTorch() {
        for (String name : new String[]{"mlp", "cnn"}) {
            JsonNode ref = FIX.get("models").get(name + "_bfloat16"), c = FIX.get("models").get(name + "_autocast");
            Map<String, Tensor> p = SeedModels.params(ref.get("params"), DType.FLOAT32);
            Tensor x = Fixtures.tensor(ref.get("x")), y = Fixtures.tensor(ref.get("y"));
            Map<String, DType> dtypes = new HashMap<>();
            Tensor logits, loss;
            try (Autocast ac = Kindling.autocast(Device.cpu(), DType.BFLOAT16)) {
                logits = SeedModels.forward(name, p, x, dtypes);
                loss = F.crossEntropy(logits, y);
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("layer_dtypes").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertEquals(Fixtures.dtype(e.getValue().asText()), dtypes.get(e.getKey()), name + " " + e.getKey());
            }
            Fixtures.assertTensor(name + " logits", c.get("logits"), logits, 0.02, 0.02);
            Fixtures.assertTensor(name + " loss", c.get("loss"), loss, 0.01, 0.01);
            loss.backward();
            for (Iterator<Map.Entry<String, JsonNode>> it = c.get("grads").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Tensor g = p.get(e.getKey()).grad();
                assertSame(DType.FLOAT32, g.dtype(), "gradients reach float32 parameters in float32");
                Fixtures.assertTensor(name + " grad " + e.getKey(), e.getValue(), g, 0.05, 0.02);
            }
        }
    }

    @Test
    void regionsNestDisableAndRestore() {
        Tensor a = Tensor.randn(3, 4), b = Tensor.randn(4, 2);
        assertFalse(Kindling.isAutocastEnabled(Device.cpu()));
        assertSame(DType.FLOAT32, a.matmul(b).dtype());
        try (Autocast outer = Kindling.autocast(Device.cpu())) {
            assertTrue(Kindling.isAutocastEnabled(Device.cpu()));
            assertSame(DType.BFLOAT16, Autocast.dtype(Device.cpu()));
            assertSame(DType.BFLOAT16, a.matmul(b).dtype());
            try (Autocast inner = Kindling.autocast(Device.cpu(), DType.BFLOAT16, false)) {
                assertFalse(Kindling.isAutocastEnabled(Device.cpu()));
                assertSame(DType.FLOAT32, a.matmul(b).dtype());
            }
            assertSame(DType.BFLOAT16, a.matmul(b).dtype(), "the outer region is back");
            // float64 inputs are not lowered, as in PyTorch
            assertSame(DType.FLOAT64, a.double_().matmul(b.double_()).dtype());
            // a CUDA region does not touch CPU tensors
            try (Autocast gpu = Kindling.autocast(Device.cuda(), DType.FLOAT16)) {
                assertTrue(Kindling.isAutocastEnabled(Device.cuda()));
                assertSame(DType.BFLOAT16, a.matmul(b).dtype());
            }
            assertFalse(Kindling.isAutocastEnabled(Device.cuda()));
        }
        assertFalse(Kindling.isAutocastEnabled(Device.cpu()));
        assertSame(DType.FLOAT32, a.matmul(b).dtype());
    }

    /** PyTorch: a bfloat16 activation through a float32 BatchNorm stays bfloat16 (its mixed-dtype kernel). */
    @Test
    void normalisationKeepsTheActivationsDtype() {
        Kindling.manualSeed(0);
        var net = new dev.kindling.nn.Sequential(new dev.kindling.nn.Linear(6, 6), new dev.kindling.nn.BatchNorm1d(6),
                new dev.kindling.nn.ReLU(), new dev.kindling.nn.Linear(6, 3));
        Tensor x = Tensor.randn(4, 6);
        try (Autocast ac = Kindling.autocast(Device.cpu())) {
            Tensor h = net.get(1).forward(net.get(0).forward(x));
            assertSame(DType.BFLOAT16, h.dtype());
            assertSame(DType.BFLOAT16, net.forward(x).dtype());
        }
        var bn = (dev.kindling.nn.BatchNorm1d) net.get(1);
        assertSame(DType.FLOAT32, bn.runningMean().dtype(), "running statistics stay float32");
        Tensor xb = Tensor.randn(4, 6).bfloat16();
        assertSame(DType.BFLOAT16, new dev.kindling.nn.LayerNorm(new int[]{6}).forward(xb).dtype());
        assertSame(DType.BFLOAT16, new dev.kindling.nn.GroupNorm(2, 6).forward(xb).dtype());
    }

    @Test
    void regionsAreThreadLocal() throws Exception {
        var pool = Executors.newSingleThreadExecutor();
        try (Autocast ac = Kindling.autocast(Device.cpu())) {
            Future<DType> other = pool.submit(() -> Tensor.randn(2, 2).matmul(Tensor.randn(2, 2)).dtype());
            assertSame(DType.FLOAT32, other.get(), "another thread is not in this region");
            assertSame(DType.BFLOAT16, Tensor.randn(2, 2).matmul(Tensor.randn(2, 2)).dtype());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void backwardInsideARegionRunsInTheTensorsOwnDtypes() {
        Tensor w = Tensor.randn(4, 3).requiresGrad(true), x = Tensor.randn(5, 4);
        try (Autocast ac = Kindling.autocast(Device.cpu())) {
            Tensor out = x.matmul(w);
            assertSame(DType.BFLOAT16, out.dtype());
            out.float_().sum().backward();
        }
        assertSame(DType.FLOAT32, w.grad().dtype());
        // d(sum(x @ w))/dw = x^T @ ones, in bfloat16 precision
        Tensor expected = x.t().matmul(Tensor.ones(5, 3));
        assertTrue(w.grad().sub(expected).abs().max().item() < 0.1, "gradient " + w.grad() + " vs " + expected);
    }

    @Test
    void aWeightIsCastOncePerRegionAndAgainAfterAnInPlaceChange() {
        Tensor w = Tensor.randn(4, 4).requiresGrad(true), x = Tensor.randn(2, 4);
        try (Autocast ac = Kindling.autocast(Device.cpu())) {
            Tensor y1 = F.linear(x, w), y2 = F.linear(x, w);
            assertEquals(y1.toFloatArray()[0], y2.toFloatArray()[0]);
            try (var off = Kindling.noGrad()) {
                w.mul_(2);
            }
            Tensor y3 = F.linear(x, w);
            assertEquals(2 * y1.toFloatArray()[0], y3.toFloatArray()[0], Math.abs(y1.toFloatArray()[0]) * 0.02 + 1e-3,
                    "a stale cast would give the old product");
        }
    }

    @Test
    void badInputGetsClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kindling.autocast(Device.cpu(), DType.FLOAT16));
        assertTrue(e.getMessage().contains("BFLOAT16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Kindling.autocast(Device.cuda(), DType.FLOAT32));
        assertTrue(e.getMessage().contains("FLOAT16 or BFLOAT16"), e.getMessage());
        Autocast ac = Kindling.autocast(Device.cpu());
        try {
            var pool = Executors.newSingleThreadExecutor();
            try {
                Throwable t = assertThrows(java.util.concurrent.ExecutionException.class, () -> pool.submit(() -> {
                    ac.close();
                    return null;
                }).get()).getCause();
                assertTrue(t.getMessage().contains("thread that opened it"), t.getMessage());
            } finally {
                pool.shutdown();
            }
        } finally {
            ac.close();
        }
        assertFalse(Kindling.isAutocastEnabled(Device.cpu()));
    }
}
