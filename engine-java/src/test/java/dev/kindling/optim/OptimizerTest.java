package dev.kindling.optim;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bookkeeping of the Optimizer base (groups, zeroGrad, closures, state dicts) and its error paths. */
class OptimizerTest {
    static Tensor param(float... v) { return Tensor.of(v).requiresGrad(true); }

    static void fails(Class<? extends Throwable> type, String fragment, org.junit.jupiter.api.function.Executable body) {
        Throwable t = assertThrows(type, body);
        assertTrue(t.getMessage().contains(fragment), "message \"" + t.getMessage() + "\" lacks \"" + fragment + "\"");
    }

    @Test void badHyperparametersAreRejectedAtConstruction() {
        List<Tensor> ps = List.of(param(1, 2));
        fails(IllegalArgumentException.class, "learning rate", () -> new SGD(ps, -0.1));
        fails(IllegalArgumentException.class, "momentum", () -> new SGD(ps, 0.1, -0.5));
        fails(IllegalArgumentException.class, "Nesterov", () -> SGD.builder(ps).lr(0.1).momentum(0.9).dampening(0.1).nesterov(true).build());
        fails(IllegalArgumentException.class, "Nesterov", () -> SGD.builder(ps).lr(0.1).nesterov(true).build());
        fails(IllegalArgumentException.class, "beta parameter at index 0", () -> new Adam(ps, 1e-3, 1.0, 0.999));
        fails(IllegalArgumentException.class, "beta parameter at index 1", () -> Adam.builder(ps).betas(0.9, -0.1).build());
        fails(IllegalArgumentException.class, "epsilon", () -> Adam.builder(ps).eps(-1e-8).build());
        fails(IllegalArgumentException.class, "weight_decay", () -> AdamW.builder(ps).weightDecay(-1).build());
        fails(IllegalArgumentException.class, "learning rate", () -> new Adam(ps, Double.NaN));
        fails(IllegalArgumentException.class, "alpha", () -> RMSprop.builder(ps).alpha(-0.1).build());
        fails(IllegalArgumentException.class, "initial_accumulator_value", () -> Adagrad.builder(ps).initialAccumulatorValue(-1).build());
        fails(IllegalArgumentException.class, "lr_decay", () -> new Adagrad(ps, 0.1, -0.1, 0));
    }

    @Test void badParameterListsAreRejected() {
        Tensor p = param(1, 2);
        fails(IllegalArgumentException.class, "same parameter twice", () -> new SGD(List.of(p, p), 0.1));
        fails(IllegalArgumentException.class, "more than one parameter group",
                () -> new SGD(List.of(ParamGroup.of(List.of(p)), ParamGroup.of(List.of(param(3), p))), 0.1));
        fails(IllegalArgumentException.class, "empty parameter list", () -> new Adam(List.of()));
        fails(IllegalArgumentException.class, "non-leaf", () -> new Adam(List.of(p.mul(2))));
        fails(IllegalArgumentException.class, "floating point", () -> new Adam(List.of(Tensor.of(1L, 2L))));
        var opt = new SGD(List.of(p), 0.1);
        fails(IllegalArgumentException.class, "more than one parameter group", () -> opt.addParamGroup(ParamGroup.of(List.of(p))));
        fails(IllegalArgumentException.class, "learning rate", () -> opt.addParamGroup(ParamGroup.of(List.of(param(1))).lr(-1)));
        assertEquals(1, opt.paramGroups().size(), "a rejected group is not added");
    }

    @Test void groupsKeepTheirOwnOptionsAndInheritTheRest() {
        Tensor a = param(1, 1), b = param(1, 1);
        var opt = new SGD(List.of(ParamGroup.of(List.of(a)).lr(1.0), ParamGroup.of(List.of(b))), 0.1, 0.0);
        assertEquals(1.0, opt.paramGroups().get(0).lr());
        assertEquals(0.1, opt.paramGroups().get(1).lr());
        assertEquals(0.0, opt.paramGroups().get(1).getDouble("momentum"));
        a.setGrad(Tensor.of(1f, 2f));
        b.setGrad(Tensor.of(1f, 2f));
        opt.step();
        assertArrayEquals(new float[]{0f, -1f}, a.toFloatArray(), 1e-6f);
        assertArrayEquals(new float[]{0.9f, 0.8f}, b.toFloatArray(), 1e-6f);
        Tensor c = param(5);
        opt.addParamGroup(ParamGroup.of(List.of(c)).set("momentum", 0.9));
        assertEquals(0.1, opt.paramGroups().get(2).lr());
        assertEquals(0.9, opt.paramGroups().get(2).getDouble("momentum"));
    }

    @Test void zeroGradSetsToNullOrZeroesInPlace() {
        Tensor p = param(1, 2);
        var opt = new Adam(List.of(p));
        p.mul(3).sum().backward();
        Tensor g = p.grad();
        opt.zeroGrad(false);
        assertSame(g, p.grad());
        assertArrayEquals(new float[]{0, 0}, g.toFloatArray());
        opt.zeroGrad();
        assertNull(p.grad());
    }

    @Test void stateIsCreatedLazilyAndParamsWithoutGradsAreSkipped() {
        Tensor a = param(1, 2), b = param(3);
        var opt = new Adam(List.of(a, b), 0.1);
        assertTrue(opt.state(a).isEmpty());
        a.setGrad(Tensor.of(1f, 1f));
        opt.step();
        assertEquals(1L, opt.state(a).get("step"));
        assertTrue(opt.state(b).isEmpty());
        assertArrayEquals(new float[]{3}, b.toFloatArray());
        Map<String, Object> sd = opt.stateDict();
        assertEquals(List.of(0), ((Map<?, ?>) sd.get("state")).keySet().stream().toList());
        Map<?, ?> s0 = (Map<?, ?>) ((Map<?, ?>) sd.get("state")).get(0);
        assertEquals(1.0, ((Tensor) s0.get("step")).item());
        assertEquals(DType.FLOAT32, ((Tensor) s0.get("step")).dtype());
        Map<?, ?> g0 = (Map<?, ?>) ((List<?>) sd.get("param_groups")).get(0);
        assertEquals(List.of(0, 1), g0.get("params"));
        assertEquals(List.of(0.9, 0.999), g0.get("betas"));
    }

    @Test void closureIsCalledWithGradEnabledAndItsLossReturned() {
        Tensor p = param(2);
        var opt = new SGD(List.of(p), 0.5);
        AtomicInteger calls = new AtomicInteger();
        Tensor loss = opt.step(() -> {
            calls.incrementAndGet();
            opt.zeroGrad();
            Tensor l = p.mul(p).sum();
            l.backward();
            return l;
        });
        assertEquals(1, calls.get());
        assertEquals(4.0, loss.item(), 1e-6);
        assertArrayEquals(new float[]{0}, p.toFloatArray(), 1e-6f);
    }

    @Test void stateDictsFromAnotherOptimizerOrModelAreRejected() {
        Tensor p = param(1, 2);
        var adam = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(1f, 1f));
        adam.step();
        var sgd = new SGD(List.of(param(1, 2)), 0.1, 0.9);
        fails(IllegalArgumentException.class, "another optimizer", () -> sgd.loadStateDict(adam.stateDict()));
        var rms = new RMSprop(List.of(param(1, 2)));
        fails(IllegalArgumentException.class, "another optimizer", () -> rms.loadStateDict(adam.stateDict()));
        var otherShape = new Adam(List.of(param(1, 2, 3)), 0.1);
        fails(IllegalArgumentException.class, "shape [3]", () -> otherShape.loadStateDict(adam.stateDict()));
        var twoParams = new Adam(List.of(param(1, 2), param(1)), 0.1);
        fails(IllegalArgumentException.class, "doesn't match the size", () -> twoParams.loadStateDict(adam.stateDict()));
        var twoGroups = new Adam(List.of(ParamGroup.of(List.of(param(1, 2))), ParamGroup.of(List.of(param(1)))), 0.1);
        fails(IllegalArgumentException.class, "parameter groups", () -> twoGroups.loadStateDict(adam.stateDict()));
        fails(IllegalArgumentException.class, "\"state\"", () -> twoGroups.loadStateDict(Map.of("x", 1)));
        // a failed load leaves the optimizer as it was
        assertTrue(otherShape.state(otherShape.paramGroups().get(0).params().get(0)).isEmpty());
    }

    @Test void loadedStateIsACopyCastToTheParameterDtype() {
        Tensor p = param(1, 2);
        var opt = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(1f, 1f));
        opt.step();
        Tensor q = Tensor.of(1.0, 2.0).requiresGrad(true);
        var other = new Adam(List.of(q), 0.1);
        other.loadStateDict(opt.stateDict());
        Tensor expAvg = (Tensor) other.state(q).get("exp_avg");
        assertEquals(DType.FLOAT64, expAvg.dtype());
        assertFalse(expAvg == opt.state(p).get("exp_avg"));
        assertNotNull(other.toString());
    }

    /** Heap bytes allocated so far by all live threads (kernels run on worker threads too). */
    static long heapAllocated() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long b : mx.getThreadAllocatedBytes(mx.getAllThreadIds())) if (b > 0) sum += b;
        return sum;
    }

    @Test void aStepCreatesNoGarbageProportionalToTheModel() {
        List<Tensor> ps = List.of(Tensor.zeros(1000, 1000).requiresGrad(true), Tensor.zeros(1000).requiresGrad(true));
        for (Tensor p : ps) p.setGrad(Tensor.onesLike(p));
        for (Optimizer opt : List.of(Adam.builder(ps).weightDecay(1e-4).amsgrad(true).build(),
                SGD.builder(ps).lr(0.1).momentum(0.9).nesterov(true).build(), new RMSprop(ps), new Adagrad(ps))) {
            for (int i = 0; i < 3; i++) opt.step();
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                long before = heapAllocated();
                opt.step();
                best = Math.min(best, heapAllocated() - before);
            }
            // the model is 4 MB of parameters; a step may only allocate per-tensor bookkeeping
            assertTrue(best < 256 * 1024, opt.getClass().getSimpleName() + " allocated " + best + " heap bytes in one step");
        }
    }

    @Test void maximizeClimbs() {
        Tensor p = param(1);
        var opt = SGD.builder(List.of(p)).lr(0.1).maximize(true).build();
        p.setGrad(Tensor.of(1f));
        opt.step();
        assertArrayEquals(new float[]{1.1f}, p.toFloatArray(), 1e-6f);
    }
}
