package dev.kindling.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.kindling.autograd.Fixture.assertClose;
import static dev.kindling.autograd.Fixture.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Gradients of composed expressions against values PyTorch 1.13 computed (gen_autograd_fixtures.py). */
class PyTorchGradientsTest {
    private static final double F32_RTOL = 1e-4, F32_ATOL = 1e-6, F64_RTOL = 1e-10, F64_ATOL = 1e-12;

    @Test
    void seedManualGradientDescent() {
        JsonNode c = Fixture.get("seed_gradient_descent");
        Tensor x = tensor(c.get("X"), DType.FLOAT32), y = tensor(c.get("Y"), DType.FLOAT32);
        Tensor w = Tensor.scalar(0.0).requiresGrad(true);
        for (int epoch = 0; epoch < c.get("w").size(); epoch++) {
            Tensor loss = w.mul(x).sub(y).pow(2).mean();
            loss.backward();
            assertEquals(c.get("grad").get(epoch).asDouble(), w.grad().item(), 1e-4, "grad at epoch " + epoch);
            // w.data = w.data - 0.01 * w.grad.data; w.grad.data.zero_()
            w.data().copy_(w.data().sub(w.grad().data().mul(0.01)));
            w.grad().data().zero_();
            assertEquals(c.get("loss").get(epoch).asDouble(), loss.item(), 1e-4, "loss at epoch " + epoch);
            assertEquals(c.get("w").get(epoch).asDouble(), w.item(), 1e-6, "w after epoch " + epoch);
        }
        assertEquals(0.0, w.grad().item());
    }

    @Test
    void seedProductPlusSquare() {
        JsonNode c = Fixture.get("seed_xy_plus_x2");
        Tensor x = tensor(c.get("x"), DType.FLOAT32).requiresGrad(true), y = tensor(c.get("y"), DType.FLOAT32).requiresGrad(true);
        Tensor z = x.mul(y).add(x.pow(2));
        z.sum().backward();
        assertClose(c.get("z"), z, F32_RTOL, F32_ATOL, "z");
        assertClose(c.get("x_grad"), x.grad(), F32_RTOL, F32_ATOL, "x.grad = y + 2x");
        assertClose(c.get("y_grad"), y.grad(), F32_RTOL, F32_ATOL, "y.grad = x");
    }

    @Test
    void threeLayerPerceptron() {
        JsonNode c = Fixture.get("mlp");
        Tensor in = tensor(c.get("input"), DType.FLOAT32);
        Tensor target = Fixture.longs(c.get("target"));
        Map<String, Tensor> p = new java.util.LinkedHashMap<>();
        c.get("params").fieldNames().forEachRemaining(k -> p.put(k, tensor(c.get("params").get(k), DType.FLOAT32).requiresGrad(true)));
        Tensor h = in.matmul(p.get("w0").t()).add(p.get("b0")).tanh();
        h = h.matmul(p.get("w1").t()).add(p.get("b1")).relu();
        Tensor logits = h.matmul(p.get("w2").t()).add(p.get("b2"));
        Tensor loss = logits.logSoftmax(1).gather(1, target.unsqueeze(1)).neg().mean();
        loss.backward();
        assertClose(c.get("logits"), logits, F32_RTOL, F32_ATOL, "logits");
        assertEquals(c.get("loss").asDouble(), loss.item(), 1e-5, "loss");
        for (var e : p.entrySet()) assertClose(c.get("grads").get(e.getKey()), e.getValue().grad(), F32_RTOL, F32_ATOL, e.getKey() + ".grad");
    }

    @Test
    void softmaxWithNllLoss() {
        JsonNode c = Fixture.get("softmax_nll");
        Tensor logits = tensor(c.get("logits"), DType.FLOAT64).requiresGrad(true);
        Tensor target = Fixture.longs(c.get("target")).unsqueeze(1);
        Tensor mean = logits.logSoftmax(1).gather(1, target).neg().mean();
        mean.backward();
        assertEquals(c.get("loss_mean").asDouble(), mean.item(), 1e-12);
        assertClose(c.get("grad_mean"), logits.grad(), F64_RTOL, F64_ATOL, "fused grad");
        logits.setGrad(null);
        Tensor sum = logits.softmax(1).log().gather(1, target).neg().sum();
        sum.backward();
        assertEquals(c.get("loss_sum").asDouble(), sum.item(), 1e-12);
        assertClose(c.get("grad_sum"), logits.grad(), F64_RTOL, F64_ATOL, "composed grad");
    }

    @Test
    void extremeLogitsKeepFiniteGradients() {
        JsonNode c = Fixture.get("extreme_logits");
        Tensor x = tensor(c.get("x"), DType.FLOAT64).requiresGrad(true);
        Tensor v = tensor(c.get("v"), DType.FLOAT64);
        x.logSoftmax(1).mul(v).sum().backward();
        assertClose(c.get("log_softmax_grad"), x.grad(), F64_RTOL, F64_ATOL, "logSoftmax");
        x.setGrad(null);
        x.softmax(1).mul(v).sum().backward();
        assertClose(c.get("softmax_grad"), x.grad(), F64_RTOL, F64_ATOL, "softmax");
        x.setGrad(null);
        x.logsumexp(1, false).sum().backward();
        assertClose(c.get("logsumexp_grad"), x.grad(), F64_RTOL, F64_ATOL, "logsumexp");
    }

    @Test
    void doubleBackward() {
        JsonNode c = Fixture.get("double_backward");
        Tensor x = tensor(c.get("x"), DType.FLOAT64).requiresGrad(true);
        Tensor g = Kindling.grad(x.pow(3).sum(), List.of(x), true).get(0);
        assertClose(c.get("grad"), g, F64_RTOL, F64_ATOL, "d(x^3)/dx");
        Tensor gg = Kindling.grad(g.sum(), List.of(x)).get(0);
        assertClose(c.get("grad_of_grad"), gg, F64_RTOL, F64_ATOL, "d2(x^3)/dx2 = 6x");

        Tensor xt = tensor(c.get("tanh_x"), DType.FLOAT64).requiresGrad(true), vt = tensor(c.get("tanh_v"), DType.FLOAT64);
        Tensor g1 = Kindling.grad(xt.tanh().sum(), List.of(xt), true).get(0);
        assertClose(c.get("tanh_grad"), g1, F64_RTOL, F64_ATOL, "tanh'");
        assertClose(c.get("tanh_grad_of_grad"), Kindling.grad(g1.mul(vt).sum(), List.of(xt)).get(0), F64_RTOL, F64_ATOL, "tanh''");

        Tensor xp = tensor(c.get("penalty_x"), DType.FLOAT64).requiresGrad(true);
        Tensor wp = tensor(c.get("penalty_w"), DType.FLOAT64).requiresGrad(true);
        Tensor gw = Kindling.grad(xp.matmul(wp).sigmoid().sum(), List.of(wp), true).get(0);
        Tensor penalty = gw.pow(2).sum();
        penalty.backward();
        assertEquals(c.get("penalty").asDouble(), penalty.item(), 1e-12);
        assertClose(c.get("penalty_x_grad"), xp.grad(), F64_RTOL, F64_ATOL, "penalty d/dx");
        assertClose(c.get("penalty_w_grad"), wp.grad(), F64_RTOL, F64_ATOL, "penalty d/dw");
    }

    @Test
    void inPlaceChangesThroughViews() {
        JsonNode c = Fixture.get("inplace_views");
        Tensor x = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor a = x.mul(1);
        Tensor v = a.slice(0, 0, 2);
        a.mul_(Tensor.of(2.0, 3.0, 4.0));
        v.sum().backward();
        assertClose(c.get("stale_view_grad"), x.grad(), F64_RTOL, F64_ATOL, "view taken before a.mul_");

        Tensor h = Tensor.of(1.0, 2.0, 3.0).requiresGrad(true);
        Tensor out = Tensor.zeros(new int[]{2, 3}, DType.FLOAT64);
        Tensor column = out.select(1, 0);
        out.select(0, 1).copy_(h.mul(2));
        // column was taken before out had a history: reading it now must see h (PyTorch rebases it)
        out.mul(Tensor.of(new double[][]{{5, 5, 5}, {1, 10, 100}})).sum().add(column.mul(Tensor.of(5.0, 7.0)).sum()).backward();
        assertClose(c.get("buffer"), out, F64_RTOL, F64_ATOL, "buffer");
        assertClose(c.get("buffer_grad"), h.grad(), F64_RTOL, F64_ATOL, "buffer grad");
        assertEquals(c.get("buffer_grad_fn").asText(), out.gradFn().name());
    }

    // ------------------------------------------------------------------ PyTorch's choices at kinks and ties

    /** Runs {@code fn} on the case's inputs, backward with ones, and compares every input's gradient. */
    private static void convention(String name, Function<List<Tensor>, Tensor> fn) {
        JsonNode c = Fixture.get("conventions").get(name);
        List<Tensor> xs = new ArrayList<>();
        for (JsonNode in : c.get("inputs")) xs.add(tensor(in, DType.FLOAT64).requiresGrad(true));
        Tensor out = fn.apply(xs);
        assertEquals(c.get("grad_fn").asText(), out.gradFn().name(), name + ": grad_fn");
        out.backward(Tensor.onesLike(out));
        for (int i = 0; i < xs.size(); i++) {
            JsonNode expected = c.get("grads").get(i);
            if (expected.isNull()) assertNull(xs.get(i).grad(), name + " input " + i);
            else assertClose(expected, xs.get(i).grad(), F64_RTOL, F64_ATOL, name + " input " + i);
        }
    }

    @Test void absAtZero() { convention("abs_at_0", in -> in.get(0).abs()); }

    @Test void reluAtZero() { convention("relu_at_0", in -> in.get(0).relu()); }

    @Test void clampAtBounds() { convention("clamp_at_bounds", in -> in.get(0).clamp(-1, 1)); }

    @Test void amaxTiesShareEvenly() { convention("amax_ties", in -> in.get(0).amax(new int[]{1}, false)); }

    @Test void maxAllTiesShareEvenly() { convention("max_all_ties", in -> in.get(0).max()); }

    @Test void maxDimTiesGoToTheSelectedIndex() { convention("max_dim_ties", in -> in.get(0).max(1).values()); }

    @Test void minDimTiesGoToTheSelectedIndex() { convention("min_dim_ties", in -> in.get(0).min(0).values()); }

    @Test void maximumTiesHalve() { convention("maximum_ties", in -> in.get(0).maximum(in.get(1))); }

    @Test void prodWithZeros() { convention("prod_zeros", in -> in.get(0).prod(1, false)); }

    @Test void sqrtAtZero() { convention("sqrt_at_0", in -> in.get(0).sqrt()); }

    @Test void normAtZero() { convention("norm_at_0", in -> in.get(0).norm()); }

    @Test void powZeroAtZero() { convention("pow_scalar_0_at_0", in -> in.get(0).pow(0)); }

    @Test void powTensorAtZero() { convention("pow_tensor_at_0", in -> in.get(0).pow(in.get(1))); }

    @Test void stdOfConstant() { convention("std_constant", in -> in.get(0).std()); }

    @Test void sortTiesAreStable() {
        convention("sort_ties", in -> in.get(0).sort().values().mul(Tensor.of(1.0, 2.0, 3.0)));
    }

    @Test void whereIgnoresTheOtherBranch() {
        convention("where_nan_branch", in -> Tensor.where(in.get(0).gt(0), in.get(0).sqrt(), Tensor.zerosLike(in.get(0))));
    }

    @Test void stepFunctionsHaveZeroGradient() {
        convention("sign_floor_round", in -> in.get(0).sign().add(in.get(0).floor()).add(in.get(0).round()));
    }
}
