package dev.kindling.autograd;

import dev.kindling.DType;
import dev.kindling.GradFn;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The behaviour PyTorch users rely on: accumulation, grad modes, detach, hooks, retained graphs, errors. */
class AutogradSemanticsTest {
    private static Tensor leaf(double... v) { return Tensor.of(v).requiresGrad(true); }

    private static void assertValues(double[] expected, Tensor t) {
        assertArrayEquals(expected, t.toDoubleArray(), 1e-12, () -> "got " + t);
    }

    // ------------------------------------------------------------------ accumulation and .grad

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(1, 2, 3);
        x.mul(2).sum().backward();
        x.mul(3).sum().backward();
        assertValues(new double[]{5, 5, 5}, x.grad());
    }

    @Test
    void zeroingTheGradRestartsAccumulation() {
        Tensor x = leaf(1, 2);
        x.square().sum().backward();
        Tensor g = x.grad();
        g.zero_();
        x.mul(3).sum().backward();
        assertValues(new double[]{3, 3}, x.grad());
        assertSame(g, x.grad(), "accumulation is in place, like PyTorch");
    }

    @Test
    void settingGradToNullStartsAfresh() {
        Tensor x = leaf(1, 2);
        x.mul(2).sum().backward();
        x.setGrad(null);
        assertNull(x.grad());
        x.mul(4).sum().backward();
        assertValues(new double[]{4, 4}, x.grad());
        assertThrows(IllegalArgumentException.class, () -> x.setGrad(Tensor.zeros(3)));
    }

    @Test
    void onlyLeavesGetGradUnlessRetained() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3);
        Tensor z = x.mul(2).retainGrad();
        y.mul(z).sum().backward();
        assertNull(y.grad(), "non-leaf without retainGrad");
        assertValues(new double[]{3, 6}, z.grad());
        assertTrue(z.retainsGrad());
        assertValues(new double[]{12, 24}, x.grad());
        Tensor r = x.mul(1).retainGrad();
        r.mul_(5);                         // the retained gradient is that of r's current value
        r.mul(2).sum().backward();
        assertValues(new double[]{2, 2}, r.grad());
    }

    @Test
    void leafFlagsAndNames() {
        Tensor x = leaf(1, 2), c = Tensor.of(3.0, 4.0);
        assertTrue(x.isLeaf());
        assertTrue(c.isLeaf());
        Tensor y = x.mul(c);
        assertFalse(y.isLeaf());
        assertTrue(y.requiresGrad());
        GradFn fn = y.gradFn();
        assertEquals("MulBackward0", fn.name());
        assertEquals("AccumulateGrad", fn.nextFunctions().get(0).name());
        assertNull(fn.nextFunctions().get(1), "an input that needs no grad has no edge");
        assertTrue(y.toString().contains("grad_fn=<MulBackward0>"), y.toString());
        // the names users meet most often, as PyTorch prints them
        assertEquals("SumBackward0", x.sum().gradFn().name());
        assertEquals("SumBackward1", x.sum(0).gradFn().name());
        assertEquals("MeanBackward0", x.mean().gradFn().name());
        assertEquals("MeanBackward1", x.mean(0).gradFn().name());
        assertEquals("SoftmaxBackward0", x.softmax(0).gradFn().name());
        assertEquals("LogSoftmaxBackward0", x.logSoftmax(0).gradFn().name());
        assertEquals("DotBackward0", x.dot(c).gradFn().name());
        assertEquals("MmBackward0", x.reshape(1, 2).matmul(c.reshape(2, 1)).gradFn().name());
        assertEquals("TBackward0", x.reshape(1, 2).t().gradFn().name());
        assertEquals("StdBackward0", x.std().gradFn().name());
        assertEquals("MaxBackward0", x.max(0).values().gradFn().name());
        assertTrue(x.toString().contains("requires_grad=True"), x.toString());
        assertFalse(c.mul(c).requiresGrad());
        assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
    }

    @Test
    void integerTensorsCannotRequireGrad() {
        Tensor i = Tensor.of(1L, 2L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> i.requiresGrad(true));
        assertTrue(e.getMessage().contains("INT64"), e.getMessage());
        assertFalse(leaf(1.5, 2.5).argmax().requiresGrad(), "integer results of differentiable inputs are not recorded");
    }

    // ------------------------------------------------------------------ grad modes

    @Test
    void noGradNestsAndEnableGradReenables() {
        Tensor x = leaf(1, 2);
        try (var off = Kindling.noGrad()) {
            assertFalse(Kindling.isGradEnabled());
            assertFalse(x.mul(2).requiresGrad());
            try (var off2 = Kindling.noGrad()) {
                assertFalse(x.exp().requiresGrad());
            }
            assertFalse(Kindling.isGradEnabled(), "closing the inner guard restores the outer mode");
            try (var on = Kindling.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(x.add(1).requiresGrad());
        }
        assertTrue(Kindling.isGradEnabled());
        try (var inf = Kindling.inferenceMode()) {
            assertFalse(x.mul(2).requiresGrad());
        }
    }

    @Test
    void noGradIsPerThread() throws Exception {
        Tensor x = leaf(1, 2);
        AtomicBoolean otherRecords = new AtomicBoolean();
        try (var off = Kindling.noGrad()) {
            Thread t = new Thread(() -> otherRecords.set(x.mul(2).requiresGrad()));
            t.start();
            t.join();
            assertFalse(x.mul(2).requiresGrad());
        }
        assertTrue(otherRecords.get(), "another thread keeps recording while this one is in noGrad");
    }

    @Test
    void separateThreadsBackwardSeparateGraphs() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Tensor> leaves = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int k = 1; k <= 4; k++) {
            Tensor x = leaf(k);
            leaves.add(x);
            threads.add(new Thread(() -> {
                try {
                    Tensor y = x;
                    for (int i = 0; i < 200; i++) y = y.mul(1.0).add(0.0);
                    y.square().sum().backward();
                } catch (Throwable e) {
                    failure.set(e);
                }
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertNull(failure.get());
        for (int k = 1; k <= 4; k++) assertValues(new double[]{2 * k}, leaves.get(k - 1).grad());
    }

    @Test
    void threadsBackwardIntoTheSameLeaf() throws Exception {
        Tensor w = leaf(0, 0);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 50; i++) w.mul(1.0).sum().backward();
            }));
        }
        for (Thread t : threads) t.start();
        for (Thread t : threads) t.join();
        assertValues(new double[]{200, 200}, w.grad());
    }

    // ------------------------------------------------------------------ detach and data

    @Test
    void detachSharesDataButNotHistory() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        Tensor d = y.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        d.fill_(7);     // shares storage with y (like PyTorch)
        assertValues(new double[]{7, 7}, y);
        // and the shared version counter sees the change: y's consumers would fail, y itself is fine
        Tensor z = x.mul(3);
        z.detach_();
        assertFalse(z.requiresGrad());
        assertNull(z.gradFn());
        z.sum();
    }

    @Test
    void detachedInPlaceChangeIsCaughtThroughTheSharedVersion() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp();            // ExpBackward0 saves its output
        y.detach().mul_(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
    }

    @Test
    void dataChangesAreInvisibleToAutograd() {
        Tensor w = leaf(1, 2);
        Tensor y = w.exp();
        w.data().mul_(10);             // the tutorial's w.data update: allowed, and not version-checked
        Tensor z = w.mul(2);
        z.sum().backward();
        assertValues(new double[]{2, 2}, w.grad());
        assertNotNull(y.gradFn());
    }

    // ------------------------------------------------------------------ hooks

    @Test
    void hooksSeeAndCanReplaceTheGradient() throws Exception {
        Tensor x = leaf(1, 2);
        List<Tensor> seen = new ArrayList<>();
        AutoCloseable h1 = x.registerHook(g -> { seen.add(g); return null; });
        x.mul(3).sum().backward();
        assertEquals(1, seen.size());
        assertValues(new double[]{3, 3}, seen.get(0));

        Tensor y = x.mul(2);
        y.registerHook(g -> g.mul(10));      // replaces the gradient flowing out of y
        x.setGrad(null);
        y.sum().backward();
        assertValues(new double[]{20, 20}, x.grad());

        h1.close();
        x.setGrad(null);
        x.sum().backward();
        assertEquals(2, seen.size(), "a closed hook is no longer called");
        assertThrows(IllegalStateException.class, () -> Tensor.of(1.0).registerHook(g -> g));
    }

    // ------------------------------------------------------------------ backward errors and graph lifetime

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        y.backward(Tensor.of(1.0, 0.5));
        assertValues(new double[]{2, 1}, x.grad());
        assertThrows(IllegalArgumentException.class, () -> x.mul(2).backward(Tensor.of(1.0)));
    }

    @Test
    void backwardTwiceNeedsRetainGraph() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time") && e.getMessage().contains("retainGraph"), e.getMessage());

        Tensor y = leaf(0, 0);
        Tensor l2 = y.exp().sum();
        l2.backward(true);
        l2.backward(true);
        assertValues(new double[]{2, 2}, y.grad());
    }

    @Test
    void nodesThatSavedNothingCanRunAgain() {
        Tensor w = Tensor.of(new double[][]{{1, 2}, {3, 4}}).requiresGrad(true);
        Tensor wt = w.t();                 // taken once, used by every step (TBackward0 saves nothing)
        for (int step = 0; step < 2; step++) {
            Tensor x = Tensor.of(new double[][]{{1, 0}, {0, 1}});
            x.matmul(wt).sum().backward();
        }
        assertValues(new double[]{2, 2, 2, 2}, w.grad().reshape(-1));
        Tensor e = w.exp();                // ExpBackward0 saved its output: a second pass is refused
        Tensor twice = e.sum();
        twice.backward();
        assertThrows(IllegalStateException.class, twice::backward);
    }

    @Test
    void gradOfSomethingThatDoesNotRequireGrad() {
        Tensor c = Tensor.of(1.0, 2.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.sum().backward());
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        Tensor x = leaf(1, 2);
        assertThrows(IllegalStateException.class, () -> Kindling.grad(x.sum(), List.of(c)));
        Tensor unused = leaf(3);
        IllegalStateException u = assertThrows(IllegalStateException.class, () -> Kindling.grad(x.sum(), List.of(unused)));
        assertTrue(u.getMessage().contains("allowUnused"), u.getMessage());
        List<Tensor> g = Kindling.grad(List.of(x.sum()), List.of(x, unused), null, false, false, true);
        assertNull(g.get(1));
    }

    @Test
    void inPlaceChangeOfASavedTensorIsAnError() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor a = x.mul(1);
        Tensor b = a.mul(w);           // MulBackward0 saves a
        a.add_(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.sum().backward());
        assertTrue(e.getMessage().contains("modified by an inplace operation"), e.getMessage());
        assertTrue(e.getMessage().contains("MulBackward0"), e.getMessage());
        assertTrue(e.getMessage().contains("version 1; expected version 0"), e.getMessage());

        Tensor s = x.sigmoid();        // saves its output
        s.mul_(2);
        assertThrows(IllegalStateException.class, () -> s.sum().backward());

        // an in-place op on something no formula saved is fine and differentiates through
        Tensor t = x.add(1);           // AddBackward0 saves nothing
        t.mul_(3);
        t.sum().backward();
        assertValues(new double[]{3, 3}, x.grad());
    }

    @Test
    void aViewTakenBeforeAnInPlaceChangeOfItsBaseIsRebased() {
        Tensor x = leaf(1, 2, 3);
        Tensor a = x.mul(1);
        Tensor v = a.slice(0, 0, 2);
        Tensor vv = v.unsqueeze(0);
        Tensor early = v.sum();            // used before the change: its gradient is that of the old values
        a.mul_(2);
        early.backward(true);
        assertValues(new double[]{1, 1, 0}, x.grad());
        x.setGrad(null);
        v.sum().backward(true);            // used after: v now holds 2x, as PyTorch rebases it
        assertValues(new double[]{2, 2, 0}, x.grad());
        x.setGrad(null);
        vv.sum().backward();
        assertValues(new double[]{2, 2, 0}, x.grad());
        assertEquals("AsStridedBackward0", v.gradFn().name());
    }

    @Test
    void inPlaceThroughAViewUpdatesTheBase() {
        Tensor h = leaf(1, 2, 3);
        Tensor out = Tensor.zeros(new int[]{2, 3}, DType.FLOAT64);
        out.select(0, 1).copy_(h.mul(2));  // out[1] = 2h, the usual way to fill a buffer step by step
        assertTrue(out.requiresGrad());
        assertEquals("CopySlices", out.gradFn().name());
        out.mul(Tensor.of(new double[][]{{5, 5, 5}, {1, 10, 100}})).sum().backward();
        assertValues(new double[]{2, 20, 200}, h.grad());

        Tensor x = leaf(-1, 2, -3, 4);
        Tensor a = x.mul(1);
        a.view(2, 2).relu_();
        a.sum().backward();
        assertValues(new double[]{0, 1, 0, 1}, x.grad());
    }

    @Test
    void inPlaceThroughAViewThatCannotBeRecorded() {
        Tensor w = leaf(1, 2, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.slice(0, 0, 2).mul_(2));
        assertTrue(e.getMessage().contains("view of a leaf Variable that requires grad"), e.getMessage());
        assertValues(new double[]{1, 2, 3}, w);
        Tensor a = leaf(1, 2).mul(1);
        RuntimeException x = assertThrows(RuntimeException.class, () -> a.unsqueeze(0).expand(3, 2).mul_(2));
        assertTrue(x.getMessage().contains("single memory location"), x.getMessage());
        try (var off = Kindling.noGrad()) {
            w.slice(0, 0, 2).mul_(2);      // how optimizers touch parameters: allowed
        }
        assertValues(new double[]{2, 4, 3}, w);
    }

    @Test
    void inPlaceOnALeafThatRequiresGrad() {
        Tensor x = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.add_(1));
        assertTrue(e.getMessage().contains("leaf Variable that requires grad"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> x.mul_(2));
        assertThrows(IllegalStateException.class, () -> x.zero_());
        assertThrows(IllegalStateException.class, () -> x.exp_());
        try (var off = Kindling.noGrad()) {
            x.sub_(1);                  // how optimizers update parameters
            x.mul_(2);
        }
        assertValues(new double[]{0, 2}, x);
        assertTrue(x.isLeaf());
        assertTrue(x.requiresGrad());
    }

    @Test
    void longChainsDoNotOverflowTheStack() {
        Tensor x = leaf(1.0);
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) y = y.add(1.0);
        y.backward();
        assertValues(new double[]{1}, x.grad());
    }

    @Test
    void theGraphIsFreedAfterBackward() {
        Tensor x = leaf(1, 2);
        Tensor z = makeProductOfIntermediate(x);
        WeakReference<Tensor> intermediate = lastIntermediate;
        lastIntermediate = null;
        System.gc();
        assertNotNull(intermediate.get(), "before backward the graph keeps the saved intermediate alive");
        z.backward();
        for (int i = 0; i < 20 && intermediate.get() != null; i++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertNull(intermediate.get(), "after backward the graph no longer holds its saved tensors");
        assertValues(new double[]{8, 16}, x.grad());
    }

    private static WeakReference<Tensor> lastIntermediate;

    private static Tensor makeProductOfIntermediate(Tensor x) {
        Tensor h = x.mul(2);                   // only the graph of z refers to h
        lastIntermediate = new WeakReference<>(h);
        return h.mul(h).sum();
    }

    // ------------------------------------------------------------------ anomaly mode

    @Test
    void detectAnomalyNamesTheOp() {
        Tensor x = leaf(-1, 4);
        try (var anomaly = Kindling.detectAnomaly()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.sqrt().sum().backward());
            assertTrue(e.getMessage().contains("SqrtBackward0"), e.getMessage());
            assertTrue(e.getMessage().contains("nan"), e.getMessage());
            assertNotNull(e.getCause(), "the forward call is attached");
            assertTrue(e.getCause().getStackTrace().length > 0);
            Tensor z = leaf(0, 1);
            IllegalStateException l = assertThrows(IllegalStateException.class, () -> z.log().sum().backward());
            assertTrue(l.getMessage().contains("LogBackward0"), l.getMessage());
        }
        Tensor y = leaf(-1, 4);
        y.sqrt().sum().backward();     // without the mode NaN flows silently, as in PyTorch
        assertTrue(Double.isNaN(y.grad().toDoubleArray()[0]));
    }

    // ------------------------------------------------------------------ higher order

    @Test
    void secondDerivativeWithCreateGraph() {
        Tensor x = leaf(1, 2, 3);
        Tensor g = Kindling.grad(x.pow(3).sum(), List.of(x), true).get(0);
        assertValues(new double[]{3, 12, 27}, g);
        assertTrue(g.requiresGrad());
        assertNull(x.grad(), "Kindling.grad leaves .grad alone");
        Tensor gg = Kindling.grad(g.sum(), List.of(x)).get(0);
        assertValues(new double[]{6, 12, 18}, gg);
        Tensor ggg = Kindling.grad(Kindling.grad(x.pow(3).sum(), List.of(x), true).get(0).sum(), List.of(x), true).get(0);
        assertValues(new double[]{6, 6, 6}, Kindling.grad(ggg.sum(), List.of(x)).get(0));
    }

    @Test
    void backwardWithCreateGraphMakesADifferentiableGrad() {
        Tensor x = leaf(2.0);
        x.pow(3).backward(null, false, true);
        Tensor g = x.grad();
        assertTrue(g.requiresGrad());
        assertValues(new double[]{12}, g);
        assertValues(new double[]{12}, Kindling.grad(g, List.of(x)).get(0));
    }

    @Test
    void gradWithRespectToAnIntermediate() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3);
        Tensor g = Kindling.grad(h.square().sum(), List.of(h)).get(0);
        assertValues(new double[]{6, 12}, g);
    }

    @Test
    void gradRunsOnlyThePartOfTheGraphItNeeds() {
        Tensor x = leaf(1, 2);
        Tensor h = x.exp();                // ExpBackward0 saves its output
        Tensor loss = h.mul(3).sum();
        assertValues(new double[]{3, 3}, Kindling.grad(loss, List.of(h)).get(0));
        // ExpBackward0 lies below h: it was neither run nor freed, so backward to x still works
        h.sum().backward();
        assertValues(Tensor.of(1.0, 2.0).exp().toDoubleArray(), x.grad());
    }

    @Test
    void aHookMustKeepTheShape() {
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.sum());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.mul(2).sum().backward());
        assertTrue(e.getMessage().contains("hook"), e.getMessage());
    }

    @Test
    void mixedDtypesGiveEachInputAGradOfItsOwnDtype() {
        Tensor x = Tensor.of(1f, 2f).requiresGrad(true);
        Tensor y = Tensor.of(3.0, 4.0).requiresGrad(true);
        Tensor z = x.mul(y);
        assertEquals(DType.FLOAT64, z.dtype());
        z.sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertEquals(DType.FLOAT64, y.grad().dtype());
        assertValues(new double[]{3, 4}, x.grad());
        assertValues(new double[]{1, 2}, y.grad());
        Tensor i = Tensor.of(2L, 3L);
        Tensor w = Tensor.of(0.5f, 0.5f).requiresGrad(true);
        w.mul(i).sum().backward();
        assertValues(new double[]{2, 3}, w.grad());
    }

    @Test
    void backwardWorksInsideNoGrad() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.square().sum();
        try (var off = Kindling.noGrad()) {
            loss.backward();
        }
        assertValues(new double[]{2, 4}, x.grad());
        assertFalse(x.grad().requiresGrad());
    }

    @Test
    void gradOfSeveralOutputsWithGivenGradients() {
        Tensor x = leaf(1, 2);
        Tensor a = x.mul(2), b = x.square();
        List<Tensor> g = Kindling.grad(List.of(a, b), List.of(x),
                List.of(Tensor.of(1.0, 1.0), Tensor.of(0.5, 2.0)), false, false, false);
        assertValues(new double[]{3, 10}, g.get(0));
        assertNull(x.grad());
        List<Tensor> twice = Kindling.grad(List.of(x.square().sum()), List.of(x, x), null, false, false, false);
        assertValues(new double[]{2, 4}, twice.get(0));
        assertValues(new double[]{2, 4}, twice.get(1));
    }

    @Test
    void sliceGradientsAddIntoTheirRegionWithoutTouchingSharedTensors() {
        Tensor x = leaf(1, 2, 3, 4);
        Tensor h = x.mul(1);
        Tensor y = h.add(h.select(0, 0)).add(h.slice(0, 1, 4, 2).sum());
        Tensor g = Tensor.of(1.0, 2.0, 3.0, 4.0);
        y.backward(g);
        assertValues(new double[]{1, 2, 3, 4}, g);             // the caller's gradient is not written to
        assertValues(new double[]{11, 12, 3, 14}, x.grad());   // g + [sum g, 0, 0, 0] + [0, sum g, 0, sum g]

        Tensor z = leaf(1, 2, 3, 4, 5, 6).reshape(3, 2);
        Tensor loss = null;
        int k = 1;
        for (Tensor row : z.unbind(0)) {
            Tensor part = row.mul((double) k++).sum();
            loss = loss == null ? part : loss.add(part);
        }
        Tensor gz = Kindling.grad(loss, List.of(z)).get(0);
        assertValues(new double[]{1, 1, 2, 2, 3, 3}, gz.reshape(-1));
    }

    @Test
    void broadcastGradientsAreSummedBack() {
        Tensor b = leaf(1, 2, 3);
        Tensor m = Tensor.ones(new int[]{4, 3}, DType.FLOAT64);
        m.add(b).sum().backward();
        assertValues(new double[]{4, 4, 4}, b.grad());
    }

    @Test
    void viewsPassGradientsToTheirBase() {
        Tensor x = Tensor.arange(0.0, 6.0, 1.0).to(DType.FLOAT64).reshape(2, 3).detach().requiresGrad(true);
        x.t().select(0, 1).mul(Tensor.of(1.0, 10.0)).sum().backward();
        assertValues(new double[]{0, 1, 0, 0, 10, 0}, x.grad().reshape(-1));
    }
}
