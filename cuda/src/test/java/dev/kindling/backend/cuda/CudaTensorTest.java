package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.backend.Backends;
import dev.kindling.memory.MemoryStats;
import dev.kindling.nn.F;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tensors on a GPU give the CPU's results: copies, every elementwise family, reductions, products, autograd
 * and an optimizer step. Tagged {@code cuda}; skipped, with the reason, where no GPU is usable
 * ({@code bench/cuda/device-check.sh} runs them on one).
 */
@Tag("cuda")
class CudaTensorTest {
    static final Device GPU = Device.cuda();

    @BeforeEach
    void needsAGpu() {
        assumeTrue(Kindling.cudaAvailable(), () -> "no usable GPU: " + Backends.unavailableReason(Device.Type.CUDA));
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(GPU, actual.device(), what);
        assertArrayEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toDoubleArray(), a = actual.to(Device.CPU).toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i]) : Math.abs(e[i] - a[i]) <= tol * (1 + Math.abs(e[i]));
            assertTrue(ok, what + ": element " + i + " is " + a[i] + " on CUDA, " + e[i] + " on the CPU");
        }
    }

    @Test
    void everyDtypeRoundTripsExactly() {
        Tensor x = Tensor.randn(3, 5).mul(100);
        for (DType t : DType.values()) {
            Tensor c = x.to(t);
            Tensor back = c.to(GPU).to(Device.CPU);
            assertEquals(t, back.dtype());
            assertArrayEquals(c.toDoubleArray(), back.toDoubleArray(), 0.0, t.toString());
        }
        Tensor strided = x.transpose(0, 1).to(GPU);      // a non-contiguous source is made contiguous first
        assertArrayEquals(x.transpose(0, 1).toDoubleArray(), strided.to(Device.CPU).toDoubleArray(), 0.0);
        assertEquals(x.sum().item(), x.to(GPU).sum().item(), 1e-3);
    }

    @Test
    void unaryOpsMatchTheCpu() {
        Tensor x = Tensor.randn(4, 33).mul(2), pos = x.abs().add(0.1);
        List<UnaryOperator<Tensor>> ops = List.of(Tensor::neg, Tensor::abs, Tensor::exp, Tensor::tanh, Tensor::sigmoid,
                Tensor::relu, Tensor::sin, Tensor::cos, Tensor::floor, Tensor::ceil, Tensor::round, Tensor::sign);
        for (int i = 0; i < ops.size(); i++) assertClose(ops.get(i).apply(x), ops.get(i).apply(x.to(GPU)), 1e-5, "unary op " + i);
        assertClose(pos.log(), pos.to(GPU).log(), 1e-5, "log");
        assertClose(pos.sqrt(), pos.to(GPU).sqrt(), 1e-5, "sqrt");
        for (DType t : List.of(DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16)) {
            double tol = t == DType.FLOAT64 ? 1e-12 : 1e-2;
            assertClose(x.to(t).exp(), x.to(t).to(GPU).exp(), tol, "exp " + t);
            assertClose(x.to(t).relu(), x.to(t).to(GPU).relu(), 0, "relu " + t);
        }
    }

    @Test
    void binaryOpsBroadcastAndCompareLikeTheCpu() {
        Tensor a = Tensor.randn(5, 7), b = Tensor.randn(7), col = Tensor.randn(5, 1);
        List<BinaryOperator<Tensor>> ops = List.of(Tensor::add, Tensor::sub, Tensor::mul, Tensor::div, Tensor::maximum);
        for (int i = 0; i < ops.size(); i++) {
            assertClose(ops.get(i).apply(a, b), ops.get(i).apply(a.to(GPU), b.to(GPU)), 1e-6, "binary op " + i);
            assertClose(ops.get(i).apply(a, col), ops.get(i).apply(a.to(GPU), col.to(GPU)), 1e-6, "binary op " + i + " column");
        }
        assertClose(a.gt(b), a.to(GPU).gt(b.to(GPU)), 0, "gt");
        assertClose(a.transpose(0, 1).add(1), a.to(GPU).transpose(0, 1).add(1), 1e-6, "strided operand and a scalar");
        assertClose(a.clamp(-0.5, 0.5), a.to(GPU).clamp(-0.5, 0.5), 0, "clamp");
        Tensor ia = Tensor.randint(-20, 20, 30), ib = Tensor.randint(1, 7, 30);
        assertClose(ia.remainder(ib), ia.to(GPU).remainder(ib.to(GPU)), 0, "integer remainder");
        assertClose(ia.mul(ib), ia.to(GPU).mul(ib.to(GPU)), 0, "integer mul");
    }

    @Test
    void reductionsMatchTheCpu() {
        Tensor x = Tensor.randn(6, 50, 7);
        Tensor g = x.to(GPU);
        assertClose(x.sum(), g.sum(), 1e-5, "sum all");
        assertClose(x.sum(1), g.sum(1), 1e-5, "sum dim 1");
        assertClose(x.mean(new int[]{0, 2}, true), g.mean(new int[]{0, 2}, true), 1e-5, "mean dims 0, 2");
        assertClose(x.amax(2), g.amax(2), 0, "amax");
        assertClose(x.transpose(0, 2).sum(0), g.transpose(0, 2).sum(0), 1e-5, "sum of a transposed view");
        assertClose(x.softmax(1), g.softmax(1), 1e-6, "softmax (composite)");
        assertEquals(x.gt(0).sum().longItem(), g.gt(0).sum().longItem(), "sum of a BOOL tensor");
    }

    @Test
    void matmulMatchesTheCpuForEveryFloatDtypeAndLayout() {
        Tensor a = Tensor.randn(33, 17), b = Tensor.randn(17, 9);
        assertClose(a.matmul(b), a.to(GPU).matmul(b.to(GPU)), 1e-5, "mm");
        assertClose(a.matmul(b.t().contiguous().t()), a.to(GPU).matmul(b.to(GPU).t().contiguous().t()), 1e-5, "transposed b");
        assertClose(a.t().t().matmul(b), a.to(GPU).t().contiguous().t().matmul(b.to(GPU)), 1e-5, "a.T.T");
        Tensor x = Tensor.randn(4, 6, 17);
        assertClose(x.matmul(b), x.to(GPU).matmul(b.to(GPU)), 1e-5, "batched with a broadcast matrix");
        assertClose(a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)), a.to(DType.FLOAT64).to(GPU).matmul(b.to(DType.FLOAT64).to(GPU)), 1e-12, "f64");
        for (DType t : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            assertClose(a.to(t).matmul(b.to(t)), a.to(t).to(GPU).matmul(b.to(t).to(GPU)), 2e-2, "mm " + t);
        }
        Kindling.setAllowTf32(true);
        try {
            assertClose(a.matmul(b), a.to(GPU).matmul(b.to(GPU)), 5e-3, "tf32");
        } finally {
            Kindling.setAllowTf32(false);
        }
        Tensor w = Tensor.randn(9, 17), bias = Tensor.randn(9);
        assertClose(F.linear(a, w, bias), F.linear(a.to(GPU), w.to(GPU), bias.to(GPU)), 1e-5, "linear (addmm)");
    }

    @Test
    void anMlpTrainsStepForStepLikeOnTheCpu() {
        Kindling.manualSeed(0);
        var cpu = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 3));
        Kindling.manualSeed(0);
        var gpu = new Sequential(new Linear(20, 32), new ReLU(), new Linear(32, 3));
        gpu.to(GPU);
        Tensor x = Tensor.randn(16, 20), y = Tensor.randn(16, 3);
        Tensor xg = x.to(GPU), yg = y.to(GPU);
        var optC = new Adam(cpu.parameters(), 1e-2);
        var optG = new Adam(gpu.parameters(), 1e-2);
        for (int step = 0; step < 5; step++) {
            Tensor lc = F.mseLoss(cpu.forward(x), y), lg = F.mseLoss(gpu.forward(xg), yg);
            assertEquals(lc.item(), lg.item(), 1e-4 * (1 + Math.abs(lc.item())), "loss at step " + step);
            optC.zeroGrad();
            lc.backward();
            optC.step();
            optG.zeroGrad();
            lg.backward();
            optG.step();
        }
        List<Tensor> pc = cpu.parameters(), pg = gpu.parameters();
        for (int i = 0; i < pc.size(); i++) assertClose(pc.get(i), pg.get(i), 1e-4, "parameter " + i + " after 5 Adam steps");
    }

    @Test
    void randomFillsAndDropoutRunOnDeviceTensors() {
        Tensor u = Tensor.zeros(new int[]{1000}, DType.FLOAT32, GPU).uniform_(2, 3);
        assertEquals(GPU, u.device());
        double[] v = u.to(Device.CPU).toDoubleArray();
        for (double d : v) assertTrue(d >= 2 && d < 3, "uniform_ value " + d);
        Tensor h = Tensor.zeros(new int[]{64, 64}, DType.FLOAT16, GPU).normal_(0, 1);
        assertEquals(DType.FLOAT16, h.dtype());
        Tensor d = F.dropout(Tensor.ones(new int[]{10_000}, DType.FLOAT32).to(GPU), 0.5);
        double kept = d.gt(0).sum().item();
        assertTrue(kept > 4500 && kept < 5500, "dropout kept " + kept);
        assertEquals(2 * kept, d.sum().item(), 1e-3);
    }

    @Test
    void indexingAndCrossEntropyMatchTheCpu() {
        Tensor x = Tensor.randn(8, 10), g = x.to(GPU);
        assertClose(x.argmax(1), g.argmax(1), 0, "argmax");
        assertClose(x.max(0).values(), g.max(0).values(), 0, "max(0) values");
        assertClose(x.min(1).indices(), g.min(1).indices(), 0, "min(1) indices");
        Tensor y = Tensor.randint(0, 10, 8);
        Tensor lc = F.crossEntropy(x.requiresGrad(true), y);
        Tensor xg = x.detach().to(GPU).requiresGrad(true);
        Tensor lg = F.crossEntropy(xg, y.to(GPU));
        assertEquals(lc.item(), lg.item(), 1e-5, "cross entropy (gather)");
        lc.backward();
        lg.backward();
        assertClose(x.grad(), xg.grad(), 1e-5, "cross entropy gradient (scatter_add)");
        Tensor w = Tensor.randn(20, 4), ids = Tensor.randint(0, 20, 3, 5);
        Tensor wg = w.to(GPU).requiresGrad(true);
        Tensor e = F.embedding(ids.to(GPU), wg, -1);
        assertClose(F.embedding(ids, w, -1), e, 0, "embedding (index_select)");
        e.sum().backward();
        Tensor wc = w.requiresGrad(true);
        F.embedding(ids, wc, -1).sum().backward();
        assertClose(wc.grad(), wg.grad(), 1e-6, "embedding gradient (index_add)");
        Tensor bad = Tensor.of(new long[]{0, 99});
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> g.indexSelect(0, bad.to(GPU)).sum().item());
        assertTrue(oob.getMessage().contains("out of bounds"), oob.getMessage());
        assertEquals(x.sum().item(), g.sum().item(), 1e-4, "the device works on after the error");
    }

    @Test
    void autocastAndGradScalerTrainInFloat16() {
        Kindling.manualSeed(1);
        var model = new Sequential(new Linear(16, 32), new ReLU(), new Linear(32, 4));
        Tensor x = Tensor.randn(8, 16), y = Tensor.randint(0, 4, 8);
        Tensor expected = model.forward(x);
        model.to(GPU);
        var opt = new Adam(model.parameters(), 1e-3);
        var scaler = new dev.kindling.amp.GradScaler();
        Tensor out;
        try (var ac = Kindling.autocast(GPU, DType.FLOAT16)) {
            out = model.forward(x.to(GPU));
            assertEquals(DType.FLOAT16, out.dtype(), "linear runs in float16 under CUDA autocast");
            Tensor loss = F.crossEntropy(out, y.to(GPU));
            opt.zeroGrad();
            scaler.scale(loss).backward();
        }
        assertClose(expected, out.to(DType.FLOAT32), 2e-2, "float16 forward");
        boolean stepped = scaler.step(opt); // the float16 backward may overflow at the first scale, as in PyTorch
        scaler.update();
        assertEquals(stepped ? 65536.0 : 32768.0, scaler.getScale(), 0.0, "the scale follows whether the step ran");
    }

    @Test
    void sortTopkAndNonzeroRunThroughTheHost() {
        Tensor x = Tensor.randn(6, 9), g = x.to(GPU);
        assertClose(x.sort(1, true).values(), g.sort(1, true).values(), 0, "sort values");
        assertClose(x.sort(1, true).indices(), g.sort(1, true).indices(), 0, "sort indices");
        assertClose(x.topk(3, 1).values(), g.topk(3, 1).values(), 0, "topk");
        assertClose(x.gt(0.5).nonzero(), g.gt(0.5).nonzero(), 0, "nonzero");
    }

    @Test
    void aSmallCnnMatchesTheCpuForwardAndBackward() {
        Kindling.manualSeed(3);
        var cpu = new Sequential(new dev.kindling.nn.Conv2d(3, 8, 3, 1, 1), new ReLU(), new dev.kindling.nn.MaxPool2d(2),
                new dev.kindling.nn.Conv2d(8, 4, 3), new ReLU(), new dev.kindling.nn.AvgPool2d(2), new dev.kindling.nn.Flatten(),
                new Linear(4, 5));
        Kindling.manualSeed(3);
        var gpu = new Sequential(new dev.kindling.nn.Conv2d(3, 8, 3, 1, 1), new ReLU(), new dev.kindling.nn.MaxPool2d(2),
                new dev.kindling.nn.Conv2d(8, 4, 3), new ReLU(), new dev.kindling.nn.AvgPool2d(2), new dev.kindling.nn.Flatten(),
                new Linear(4, 5));
        gpu.to(GPU);
        Tensor x = Tensor.randn(2, 3, 10, 10), y = Tensor.randint(0, 5, 2);
        Tensor lc = F.crossEntropy(cpu.forward(x), y), lg = F.crossEntropy(gpu.forward(x.to(GPU)), y.to(GPU));
        assertEquals(lc.item(), lg.item(), 1e-5, "loss");
        lc.backward();
        lg.backward();
        List<Tensor> pc = cpu.parameters(), pg = gpu.parameters();
        for (int i = 0; i < pc.size(); i++) assertClose(pc.get(i).grad(), pg.get(i).grad(), 1e-4, "gradient of parameter " + i);
    }

    @Test
    void gradientsFlowBackAcrossDevices() {
        Tensor w = Tensor.randn(4).requiresGrad(true);
        Tensor loss = w.to(GPU).mul(3).sum();
        loss.backward();
        assertEquals(Device.CPU, w.grad().device());
        assertArrayEquals(new double[]{3, 3, 3, 3}, w.grad().toDoubleArray(), 0.0);
    }

    @Test
    void mixingDevicesNamesBothAndStagedOpsSaySo() {
        Tensor c = Tensor.randn(3), g = Tensor.randn(3).to(GPU);
        var e = assertThrows(IllegalArgumentException.class, () -> c.add(g));
        assertTrue(e.getMessage().contains("cpu") && e.getMessage().contains("cuda:0"), e.getMessage());
        Tensor h = Tensor.zeros(new int[]{4}, DType.FLOAT16, GPU), ix = Tensor.of(new long[]{0, 1}).to(GPU);
        var s = assertThrows(UnsupportedOperationException.class, () -> h.indexAdd(0, ix, Tensor.ones(new int[]{2}, DType.FLOAT16).to(GPU)));
        assertTrue(s.getMessage().contains("not implemented on CUDA yet"), s.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> Tensor.randn(2).to(Device.cuda(64)));
        assertTrue(d.getMessage().contains("CUDA GPU(s) are visible"), d.getMessage());
    }

    @Test
    void memoryIsCachedCountedAndReturned() throws InterruptedException {
        System.gc();            // let the Cleaner return what earlier tests left, so that nothing is freed mid-test
        Thread.sleep(200);
        Kindling.emptyCache(GPU);
        long before = Kindling.memoryStats(GPU).liveBytes();
        Tensor t = Tensor.zeros(new int[]{1024, 1024}, DType.FLOAT32, GPU);
        MemoryStats s = Kindling.memoryStats(GPU);
        assertEquals(before + (4L << 20), s.liveBytes());
        t.close();
        assertEquals(before, Kindling.memoryStats(GPU).liveBytes());
        assertTrue(Kindling.memoryStats(GPU).reservedBytes() >= before + (4L << 20));
        Tensor again = Tensor.zeros(new int[]{1024, 1024}, DType.FLOAT32, GPU); // served from the cache
        assertTrue(Kindling.memoryStats(GPU).poolHits() > s.poolHits());
        again.close();
        Kindling.emptyCache(GPU);
        assertEquals(before, Kindling.memoryStats(GPU).reservedBytes());
    }

    @Test
    void runningOutOfMemorySaysHowMuch() {
        List<Tensor> held = new ArrayList<>();
        try {
            var e = assertThrows(CudaOutOfMemoryError.class, () -> {
                for (int i = 0; i < 1000; i++) held.add(Tensor.zeros(new int[]{1 << 30}, DType.FLOAT64, GPU)); // 8 GiB each
            });
            assertTrue(e.getMessage().startsWith("CUDA out of memory on cuda:0: tried to allocate 8.00 GiB; "), e.getMessage());
        } finally {
            held.forEach(Tensor::close);
            Kindling.emptyCache(GPU);
        }
    }

    @Test
    void doctorNamesTheGpu() {
        String r = Kindling.doctor();
        assertTrue(r.contains("Device.cuda() runs on ") && r.contains("compute capability"), r);
        assertTrue(r.contains("\nGPU: used for tensors on Device.cuda()"), r);
    }
}
