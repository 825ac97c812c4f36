package dev.kindling.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.optim.lr.ReduceLROnPlateau;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed workflow: Adam with weight decay 1e-4 and ReduceLROnPlateau(patience 5) driven by a validation
 * loss, 60 epochs on the fixture MLP, against PyTorch.
 */
class SeedWorkflowTest {
    static final JsonNode FIX = Fixtures.load("seed_workflow.json");
    static final JsonNode PROB = Fixtures.load("trajectories.json").get("problems").get("mlp");

    static List<Tensor> params() {
        List<Tensor> ps = Fixtures.tensors(PROB.get("params"), PROB.get("shapes"), DType.FLOAT64);
        for (Tensor p : ps) p.requiresGrad(true);
        return ps;
    }

    static Tensor mse(List<Tensor> ps, Tensor x, Tensor y) {
        Tensor h = x.matmul(ps.get(0).t()).add(ps.get(1)).tanh();
        return h.matmul(ps.get(2).t()).add(ps.get(3)).sub(y).pow(2).mean();
    }

    @Test void fedPyTorchsGradientsAndLossesTheRunIsIdentical() {
        List<Tensor> ps = params();
        var opt = Adam.builder(ps).lr(0.05).weightDecay(1e-4).build();
        var sched = new ReduceLROnPlateau(opt, 5);
        for (int e = 0; e < FIX.get("lrs").size(); e++) {
            opt.zeroGrad();
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).setGrad(Tensor.fromArray(Fixtures.doubles(FIX.get("grads").get(e).get(i)), ps.get(i).shape()));
            }
            opt.step();
            assertNull(Fixtures.compare(ps, FIX.get("params").get(e), 0, "epoch " + e));
            sched.step(FIX.get("val_losses").get(e).asDouble());
            assertEquals(FIX.get("lrs").get(e).asDouble(), opt.paramGroups().get(0).lr(), 0.0, "lr after epoch " + e);
        }
        assertTrue(opt.paramGroups().get(0).lr() < 0.05, "the plateau must have cut the learning rate");
    }

    @Test void withItsOwnGradientsTheRunFollowsPyTorch() {
        List<Tensor> ps = params();
        Tensor x = Fixtures.matrix(PROB.get("X"), DType.FLOAT64), y = Fixtures.matrix(PROB.get("Y"), DType.FLOAT64);
        Tensor xv = Fixtures.matrix(FIX.get("X_val"), DType.FLOAT64), yv = Fixtures.matrix(FIX.get("Y_val"), DType.FLOAT64);
        var opt = Adam.builder(ps).lr(0.05).weightDecay(1e-4).build();
        var sched = new ReduceLROnPlateau(opt, 5);
        for (int e = 0; e < FIX.get("lrs").size(); e++) {
            try (var scope = Kindling.scope()) {
                opt.zeroGrad();
                mse(ps, x, y).backward();
                opt.step();
                double val;
                try (var off = Kindling.noGrad()) {
                    val = mse(ps, xv, yv).item();
                }
                assertEquals(FIX.get("val_losses").get(e).asDouble(), val, 1e-9, "validation loss of epoch " + e);
                sched.step(val);
            }
            assertEquals(FIX.get("lrs").get(e).asDouble(), opt.paramGroups().get(0).lr(), 0.0, "lr after epoch " + e);
        }
        assertNull(Fixtures.compare(ps, FIX.get("params").get(FIX.get("params").size() - 1), 1e-8, "final"));
    }
}
