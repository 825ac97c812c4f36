package dev.kindling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.testing.Fixtures;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every row of {@code fixtures/tensor/ops.json} (written by {@code gen_tensor_fixtures.py} from PyTorch)
 * through the op of the same name: one table, one generic test, like PyTorch's OpInfo.
 * Ops whose name ends in {@code _} must return their first input and leave the result in it.
 */
class TensorOpTableTest {
    /** Positional arguments of a fixture row. */
    record Args(JsonNode a) {
        int i(int k) { return a.get(k).asInt(); }
        long l(int k) { return a.get(k).asLong(); }
        double d(int k) { return a.get(k).asDouble(); }
        boolean b(int k) { return a.get(k).asBoolean(); }
        int[] ints(int k) { return Fixtures.ints(a.get(k)); }
        int size() { return a.size(); }
    }

    private static final Map<String, BiFunction<List<Tensor>, Args, Object>> OPS = new HashMap<>();

    private static void op(String name, BiFunction<List<Tensor>, Args, Object> f) {
        if (OPS.put(name, f) != null) throw new IllegalStateException("duplicate op " + name);
    }

    private static void unary(String name, UnaryOperator<Tensor> f) { op(name, (x, a) -> f.apply(x.get(0))); }

    private static void binary(String name, BiFunction<Tensor, Tensor, Tensor> f) { op(name, (x, a) -> f.apply(x.get(0), x.get(1))); }

    private static void scalar(String name, BiFunction<Tensor, Double, Tensor> f) { op(name, (x, a) -> f.apply(x.get(0), a.d(0))); }

    static {
        // creation
        op("zeros", (x, a) -> Tensor.zeros(a.ints(0)));
        op("ones", (x, a) -> Tensor.ones(a.ints(0)));
        op("full", (x, a) -> Tensor.full(a.ints(0), a.d(1)));
        op("fullInt64", (x, a) -> Tensor.full(a.ints(0), a.d(1), DType.INT64));
        op("eye", (x, a) -> Tensor.eye(a.i(0)));
        op("eye2", (x, a) -> Tensor.eye(a.i(0), a.i(1)));
        op("arange", (x, a) -> Tensor.arange(a.l(0)));
        op("arange3", (x, a) -> Tensor.arange(a.l(0), a.l(1), a.l(2)));
        op("arangeFloat", (x, a) -> Tensor.arange(a.d(0), a.d(1), a.d(2)));
        op("linspace", (x, a) -> Tensor.linspace(a.d(0), a.d(1), a.i(2)));
        unary("zerosLike", Tensor::zerosLike);
        unary("onesLike", Tensor::onesLike);
        op("fullLike", (x, a) -> Tensor.fullLike(x.get(0), a.d(0)));

        // unary pointwise
        unary("neg", Tensor::neg);
        unary("abs", Tensor::abs);
        unary("exp", Tensor::exp);
        unary("expm1", Tensor::expm1);
        unary("log", Tensor::log);
        unary("log1p", Tensor::log1p);
        unary("sqrt", Tensor::sqrt);
        unary("rsqrt", Tensor::rsqrt);
        unary("sin", Tensor::sin);
        unary("cos", Tensor::cos);
        unary("tan", Tensor::tan);
        unary("tanh", Tensor::tanh);
        unary("sigmoid", Tensor::sigmoid);
        unary("relu", Tensor::relu);
        unary("sign", Tensor::sign);
        unary("floor", Tensor::floor);
        unary("ceil", Tensor::ceil);
        unary("round", Tensor::round);
        unary("trunc", Tensor::trunc);
        unary("reciprocal", Tensor::reciprocal);
        unary("square", Tensor::square);
        unary("erf", Tensor::erf);
        unary("isnan", Tensor::isnan);
        unary("isinf", Tensor::isinf);
        unary("isfinite", Tensor::isfinite);
        unary("logicalNot", Tensor::logicalNot);
        op("clamp", (x, a) -> x.get(0).clamp(a.d(0), a.d(1)));
        scalar("clampMin", Tensor::clampMin);
        scalar("clampMax", Tensor::clampMax);

        // binary pointwise
        binary("add", Tensor::add);
        binary("sub", Tensor::sub);
        binary("mul", Tensor::mul);
        binary("div", Tensor::div);
        binary("pow", Tensor::pow);
        binary("maximum", Tensor::maximum);
        binary("minimum", Tensor::minimum);
        binary("atan2", Tensor::atan2);
        binary("remainder", Tensor::remainder);
        binary("floorDivide", Tensor::floorDivide);
        binary("eq", Tensor::eq);
        binary("ne", Tensor::ne);
        binary("lt", Tensor::lt);
        binary("le", Tensor::le);
        binary("gt", Tensor::gt);
        binary("ge", Tensor::ge);
        binary("logicalAnd", Tensor::logicalAnd);
        binary("logicalOr", Tensor::logicalOr);
        binary("logicalXor", Tensor::logicalXor);
        op("addAlpha", (x, a) -> x.get(0).add(x.get(1), a.d(0)));
        op("subAlpha", (x, a) -> x.get(0).sub(x.get(1), a.d(0)));
        op("where", (x, a) -> Tensor.where(x.get(0), x.get(1), x.get(2)));
        op("whereScalarB", (x, a) -> Tensor.where(x.get(0), x.get(1), a.d(0)));
        scalar("addScalar", Tensor::add);
        scalar("subScalar", Tensor::sub);
        scalar("rsubScalar", Tensor::rsub);
        scalar("mulScalar", Tensor::mul);
        scalar("divScalar", Tensor::div);
        scalar("rdivScalar", Tensor::rdiv);
        scalar("powScalar", Tensor::pow);
        scalar("remainderScalar", Tensor::remainder);
        scalar("fmodScalar", Tensor::fmod);
        scalar("floorDivideScalar", Tensor::floorDivide);
        scalar("eqScalar", Tensor::eq);
        scalar("neScalar", Tensor::ne);
        scalar("ltScalar", Tensor::lt);
        scalar("leScalar", Tensor::le);
        scalar("gtScalar", Tensor::gt);
        scalar("geScalar", Tensor::ge);

        // in place
        scalar("add_Scalar", Tensor::add_);
        scalar("sub_Scalar", Tensor::sub_);
        scalar("mul_Scalar", Tensor::mul_);
        scalar("div_Scalar", Tensor::div_);
        scalar("pow_Scalar", Tensor::pow_);
        scalar("fill_Scalar", Tensor::fill_);
        binary("add_", Tensor::add_);
        binary("sub_", Tensor::sub_);
        binary("mul_", Tensor::mul_);
        binary("div_", Tensor::div_);
        binary("maximum_", Tensor::maximum_);
        binary("copy_", Tensor::copy_);
        op("add_Alpha", (x, a) -> x.get(0).add_(x.get(1), a.d(0)));
        unary("neg_", Tensor::neg_);
        unary("abs_", Tensor::abs_);
        unary("exp_", Tensor::exp_);
        unary("log_", Tensor::log_);
        unary("sqrt_", Tensor::sqrt_);
        unary("sigmoid_", Tensor::sigmoid_);
        unary("tanh_", Tensor::tanh_);
        unary("relu_", Tensor::relu_);
        unary("floor_", Tensor::floor_);
        unary("ceil_", Tensor::ceil_);
        unary("round_", Tensor::round_);
        unary("sign_", Tensor::sign_);
        unary("zero_", Tensor::zero_);
        op("clamp_", (x, a) -> x.get(0).clamp_(a.d(0), a.d(1)));
        scalar("clampMin_", Tensor::clampMin_);
        scalar("clampMax_", Tensor::clampMax_);
        op("addcmul_", (x, a) -> x.get(0).addcmul_(x.get(1), x.get(2), a.d(0)));
        op("addcdiv_", (x, a) -> x.get(0).addcdiv_(x.get(1), x.get(2), a.d(0)));
        op("lerp_", (x, a) -> x.get(0).lerp_(x.get(1), a.d(0)));
        op("maskedFill_", (x, a) -> x.get(0).maskedFill_(x.get(1), a.d(0)));
        op("scatter_", (x, a) -> x.get(0).scatter_(a.i(0), x.get(1), x.get(2)));
        op("scatterAdd_", (x, a) -> x.get(0).scatterAdd_(a.i(0), x.get(1), x.get(2)));

        // reductions
        unary("sum", Tensor::sum);
        op("sumDim", (x, a) -> x.get(0).sum(a.i(0), a.b(1)));
        op("sumDims", (x, a) -> x.get(0).sum(a.ints(0), a.b(1)));
        unary("mean", Tensor::mean);
        op("meanDim", (x, a) -> x.get(0).mean(a.i(0), a.b(1)));
        op("meanDims", (x, a) -> x.get(0).mean(a.ints(0), a.b(1)));
        unary("prod", Tensor::prod);
        op("prodDim", (x, a) -> x.get(0).prod(a.i(0), a.b(1)));
        unary("max", Tensor::max);
        unary("min", Tensor::min);
        op("maxDim", (x, a) -> x.get(0).max(a.i(0), a.b(1)));
        op("minDim", (x, a) -> x.get(0).min(a.i(0), a.b(1)));
        op("amax", (x, a) -> x.get(0).amax(a.ints(0), a.b(1)));
        op("amin", (x, a) -> x.get(0).amin(a.ints(0), a.b(1)));
        unary("argmax", Tensor::argmax);
        unary("argmin", Tensor::argmin);
        op("argmaxDim", (x, a) -> x.get(0).argmax(a.i(0), a.b(1)));
        op("argminDim", (x, a) -> x.get(0).argmin(a.i(0), a.b(1)));
        unary("var", Tensor::var);
        op("varUnbiased", (x, a) -> x.get(0).var(a.b(0)));
        op("varDim", (x, a) -> x.get(0).var(a.i(0), a.b(1), a.b(2)));
        op("varDims", (x, a) -> x.get(0).var(a.ints(0), a.b(1), a.b(2)));
        unary("std", Tensor::std);
        op("stdUnbiased", (x, a) -> x.get(0).std(a.b(0)));
        op("stdDim", (x, a) -> x.get(0).std(a.i(0), a.b(1), a.b(2)));
        op("logsumexp", (x, a) -> x.get(0).logsumexp(a.i(0), a.b(1)));
        op("softmax", (x, a) -> x.get(0).softmax(a.i(0)));
        op("logSoftmax", (x, a) -> x.get(0).logSoftmax(a.i(0)));
        unary("all", Tensor::all);
        unary("any", Tensor::any);
        op("allDim", (x, a) -> x.get(0).all(a.i(0)));
        op("anyDim", (x, a) -> x.get(0).any(a.i(0)));
        op("norm", (x, a) -> x.get(0).norm(a.d(0)));

        // linear algebra
        binary("matmul", Tensor::matmul);
        binary("mm", Tensor::mm);
        binary("bmm", Tensor::bmm);
        op("addmm", (x, a) -> x.get(0).addmm(x.get(1), x.get(2)));
        binary("dot", Tensor::dot);
        binary("outer", Tensor::outer);
        unary("t", Tensor::t);

        // shapes
        op("view", (x, a) -> x.get(0).view(a.ints(0)));
        op("reshape", (x, a) -> x.get(0).reshape(a.ints(0)));
        op("slice", (x, a) -> x.get(0).slice(a.i(0), a.i(1), a.i(2), a.i(3)));
        op("select", (x, a) -> x.get(0).select(a.i(0), a.i(1)));
        op("narrow", (x, a) -> x.get(0).narrow(a.i(0), a.i(1), a.i(2)));
        op("transpose", (x, a) -> x.get(0).transpose(a.i(0), a.i(1)));
        op("permute", (x, a) -> x.get(0).permute(a.ints(0)));
        op("expand", (x, a) -> x.get(0).expand(a.ints(0)));
        unary("squeeze", Tensor::squeeze);
        op("squeezeDim", (x, a) -> x.get(0).squeeze(a.i(0)));
        op("unsqueeze", (x, a) -> x.get(0).unsqueeze(a.i(0)));
        unary("flatten", Tensor::flatten);
        op("flattenFrom", (x, a) -> x.get(0).flatten(a.i(0)));
        op("unflatten", (x, a) -> x.get(0).unflatten(a.i(0), a.ints(1)));
        unary("contiguous", Tensor::contiguous);
        op("repeat", (x, a) -> x.get(0).repeat(a.ints(0)));
        op("flip", (x, a) -> x.get(0).flip(a.ints(0)));
        op("cat", (x, a) -> Tensor.cat(x, a.i(0)));
        op("stack", (x, a) -> Tensor.stack(x, a.i(0)));
        op("split", (x, a) -> x.get(0).split(a.i(0), a.i(1)));
        op("splitSizes", (x, a) -> x.get(0).split(a.ints(0), a.i(1)));
        op("chunk", (x, a) -> x.get(0).chunk(a.i(0), a.i(1)));
        op("unbind", (x, a) -> x.get(0).unbind(a.i(0)));

        // indexing
        op("indexSelect", (x, a) -> x.get(0).indexSelect(a.i(0), x.get(1)));
        op("gather", (x, a) -> x.get(0).gather(a.i(0), x.get(1)));
        op("scatter", (x, a) -> x.get(0).scatter(a.i(0), x.get(1), x.get(2)));
        op("scatterValue", (x, a) -> x.get(0).scatter(a.i(0), x.get(1), a.d(1)));
        op("scatterAdd", (x, a) -> x.get(0).scatterAdd(a.i(0), x.get(1), x.get(2)));
        op("indexAdd", (x, a) -> x.get(0).indexAdd(a.i(0), x.get(1), x.get(2)));
        op("maskedFill", (x, a) -> x.get(0).maskedFill(x.get(1), a.d(0)));
        binary("maskedSelect", Tensor::maskedSelect);
        unary("nonzero", Tensor::nonzero);
        op("oneHot", (x, a) -> x.get(0).oneHot(a.i(0)));
        op("topk", (x, a) -> x.get(0).topk(a.i(0), a.i(1), a.b(2), a.b(3)));
        op("sort", (x, a) -> x.get(0).sort(a.i(0), a.b(1)));
        op("argsort", (x, a) -> x.get(0).argsort(a.i(0), a.b(1)));

        // conversion
        unary("toInt64", t -> t.to(DType.INT64));
        unary("toInt32", t -> t.to(DType.INT32));
        unary("toFloat64", t -> t.to(DType.FLOAT64));
        unary("toFloat32", t -> t.to(DType.FLOAT32));
        unary("toBool", t -> t.to(DType.BOOL));
    }

    private static final JsonNode TABLE = Fixtures.load("fixtures/tensor/ops.json").get("cases");

    /** Builds an input and applies its view steps, so ops also see transposed, sliced and expanded data. */
    static Tensor input(JsonNode spec) {
        Tensor t = Fixtures.tensor(spec);
        JsonNode steps = spec.get("view");
        if (steps == null) return t;
        for (JsonNode s : steps) {
            t = switch (s.get(0).asText()) {
                case "t" -> t.t();
                case "transpose" -> t.transpose(s.get(1).asInt(), s.get(2).asInt());
                case "permute" -> t.permute(rest(s));
                case "slice" -> t.slice(s.get(1).asInt(), s.get(2).asInt(), s.get(3).asInt(), s.get(4).asInt());
                case "select" -> t.select(s.get(1).asInt(), s.get(2).asInt());
                case "expand" -> t.expand(rest(s));
                default -> throw new IllegalArgumentException("unknown view step " + s);
            };
        }
        return t;
    }

    private static int[] rest(JsonNode s) {
        int[] r = new int[s.size() - 1];
        for (int i = 0; i < r.length; i++) r[i] = s.get(i + 1).asInt();
        return r;
    }

    static void run(JsonNode c) {
        String id = c.get("id").asText(), name = c.get("op").asText();
        var f = OPS.get(name);
        if (f == null) throw new AssertionError(id + ": the runner has no op named " + name);
        List<Tensor> in = new ArrayList<>();
        for (JsonNode spec : c.get("inputs")) in.add(input(spec));
        try (var s = Kindling.scope()) {
            Object out = f.apply(in, new Args(c.get("args")));
            double rtol = c.get("rtol").asDouble(), atol = c.get("atol").asDouble();
            JsonNode exp = c.get("out");
            if (name.endsWith("_")) {
                assertSame(in.get(0), out, id + ": an in-place op returns its receiver");
            }
            if (out instanceof Tensor t) {
                Fixtures.assertTensor(id, exp, t, rtol, atol);
            } else if (out instanceof ValuesIndices vi) {
                Fixtures.assertTensor(id + " values", exp.get(0), vi.values(), rtol, atol);
                Fixtures.assertTensor(id + " indices", exp.get(1), vi.indices(), rtol, atol);
            } else if (out instanceof List<?> list) {
                assertEquals(exp.size(), list.size(), id + ": number of pieces");
                for (int i = 0; i < list.size(); i++) {
                    Fixtures.assertTensor(id + " piece " + i, exp.get(i), (Tensor) list.get(i), rtol, atol);
                }
            } else {
                throw new AssertionError(id + ": unexpected result " + out);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> pytorchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : TABLE) tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> run(c)));
        return tests.stream();
    }

    @Test
    void everyRunnerOpHasAFixture() {
        Set<String> used = new HashSet<>();
        for (JsonNode c : TABLE) used.add(c.get("op").asText());
        Set<String> unused = new HashSet<>(OPS.keySet());
        unused.removeAll(used);
        assertTrue(unused.isEmpty(), "ops with no PyTorch reference row: " + unused);
    }
}
