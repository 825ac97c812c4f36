package dev.kindling.autograd;

import dev.kindling.DType;
import dev.kindling.Generator;
import dev.kindling.Tensor;
import dev.kindling.testing.GradCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Every differentiable op of the engine, one row each: first derivatives by float64 central differences
 * (GradCheck.gradcheck) and, unless a row says otherwise, second derivatives (gradgradcheck), including
 * broadcast operands and non-contiguous inputs.
 */
class OpGradTest {
    /** One op under test: how to build its inputs and the function of them whose Jacobian is checked. */
    record Row(String name, Supplier<List<Tensor>> inputs, Function<List<Tensor>, Tensor> fn, boolean second, double eps) {
        @Override public String toString() { return name; }
    }

    private static final Generator GEN = new Generator(7);

    // ------------------------------------------------------------------ inputs

    /** Standard normal leaf, float64. */
    static Tensor any(int... shape) { return Tensor.randn(GEN, shape).to(DType.FLOAT64).requiresGrad(true); }

    /** Values in [0.5, 1.5): for log, sqrt, division and pow bases. */
    static Tensor pos(int... shape) {
        return Tensor.rand(GEN, shape).to(DType.FLOAT64).add(0.5).requiresGrad(true);
    }

    /** Normal values kept at least 0.2 from zero: for abs, relu, sign and other kinks at 0. */
    static Tensor away(int... shape) {
        Tensor r = Tensor.randn(GEN, shape).to(DType.FLOAT64);
        return r.add(r.sign().mul(0.2)).requiresGrad(true);
    }

    /** A non-contiguous leaf of the given shape (the transpose of a contiguous one). */
    static Tensor nc(int... shape) {
        int[] rev = shape.clone();
        for (int i = 0; i < rev.length / 2; i++) {
            int t = rev[i];
            rev[i] = rev[rev.length - 1 - i];
            rev[rev.length - 1 - i] = t;
        }
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = order.length - 1 - i;
        return Tensor.randn(GEN, rev).to(DType.FLOAT64).permute(order).requiresGrad(true);
    }

    /** A constant (no grad) float64 tensor. */
    static Tensor c(int... shape) { return Tensor.randn(GEN, shape).to(DType.FLOAT64); }

    static Tensor idx(long... v) { return Tensor.of(v); }

    static Tensor idx2(long[][] v) {
        long[] flat = Arrays.stream(v).flatMapToLong(Arrays::stream).toArray();
        return Tensor.fromArray(flat, v.length, v[0].length);
    }

    // ------------------------------------------------------------------ table

    private static final List<Row> ROWS = new ArrayList<>();

    static void row(String name, Function<List<Tensor>, Tensor> fn, Supplier<List<Tensor>> in) {
        ROWS.add(new Row(name, in, fn, true, GradCheck.EPS));
    }

    static void firstOnly(String name, Function<List<Tensor>, Tensor> fn, Supplier<List<Tensor>> in) {
        ROWS.add(new Row(name, in, fn, false, GradCheck.EPS));
    }

    static Tensor x(List<Tensor> in) { return in.get(0); }

    static Tensor y(List<Tensor> in) { return in.get(1); }

    /** Joins several outputs into one, weighting each differently so that a swapped gradient is caught. */
    static Tensor joined(List<Tensor> parts) {
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) flat.add(parts.get(i).reshape(-1).mul(i + 1));
        return Tensor.cat(flat, 0);
    }

    static {
        // unary
        row("neg", in -> x(in).neg(), () -> List.of(any(3, 4)));
        row("abs", in -> x(in).abs(), () -> List.of(away(3, 4)));
        row("exp", in -> x(in).exp(), () -> List.of(any(3, 4)));
        row("expm1", in -> x(in).expm1(), () -> List.of(any(3, 4)));
        row("log", in -> x(in).log(), () -> List.of(pos(3, 4)));
        row("log1p", in -> x(in).log1p(), () -> List.of(pos(3, 4)));
        row("sqrt", in -> x(in).sqrt(), () -> List.of(pos(3, 4)));
        row("rsqrt", in -> x(in).rsqrt(), () -> List.of(pos(3, 4)));
        row("sin", in -> x(in).sin(), () -> List.of(any(3, 4)));
        row("cos", in -> x(in).cos(), () -> List.of(any(3, 4)));
        row("tan", in -> x(in).mul(0.5).tan(), () -> List.of(any(3, 4)));
        row("tanh", in -> x(in).tanh(), () -> List.of(any(3, 4)));
        row("sigmoid", in -> x(in).sigmoid(), () -> List.of(any(3, 4)));
        row("relu", in -> x(in).relu(), () -> List.of(away(3, 4)));
        row("reciprocal", in -> x(in).reciprocal(), () -> List.of(away(3, 4)));
        row("square", in -> x(in).square(), () -> List.of(any(3, 4)));
        row("erf", in -> x(in).erf(), () -> List.of(any(3, 4)));
        row("sign", in -> x(in).sign(), () -> List.of(away(3, 4)));
        row("floor", in -> x(in).floor(), () -> List.of(any(3, 4)));
        row("ceil", in -> x(in).ceil(), () -> List.of(any(3, 4)));
        row("round", in -> x(in).round(), () -> List.of(any(3, 4)));
        row("trunc", in -> x(in).trunc(), () -> List.of(any(3, 4)));
        row("exp non-contiguous", in -> x(in).exp(), () -> List.of(nc(3, 4)));
        row("sqrt of slice with step", in -> x(in).slice(1, 0, 6, 2).sqrt(), () -> List.of(pos(3, 6)));

        // binary, same shape, broadcast and with 0-d operands
        row("add", in -> x(in).add(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("add broadcast [3,4]+[4]", in -> x(in).add(y(in)), () -> List.of(any(3, 4), any(4)));
        row("add broadcast [3,1]+[1,4]", in -> x(in).add(y(in)), () -> List.of(any(3, 1), any(1, 4)));
        row("add 0-d", in -> x(in).add(y(in)), () -> List.of(any(3, 4), any()));
        row("add alpha", in -> x(in).add(y(in), 2.5), () -> List.of(any(3, 4), any(4)));
        row("sub", in -> x(in).sub(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("sub broadcast", in -> x(in).sub(y(in)), () -> List.of(any(2, 1, 4), any(3, 1)));
        row("sub alpha", in -> x(in).sub(y(in), 0.5), () -> List.of(any(3, 4), any(3, 4)));
        row("mul", in -> x(in).mul(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("mul broadcast non-contiguous", in -> x(in).mul(y(in)), () -> List.of(nc(3, 4), any(3, 1)));
        row("mul 0-d", in -> x(in).mul(y(in)), () -> List.of(any(), any(2, 3)));
        row("mul self", in -> x(in).mul(x(in)), () -> List.of(any(3, 4)));
        row("div", in -> x(in).div(y(in)), () -> List.of(any(3, 4), pos(3, 4)));
        row("div broadcast", in -> x(in).div(y(in)), () -> List.of(any(3, 4), pos(4)));
        row("pow tensor exponent", in -> x(in).pow(y(in)), () -> List.of(pos(3, 4), any(3, 4)));
        row("pow tensor exponent broadcast", in -> x(in).pow(y(in)), () -> List.of(pos(3, 4), any(4)));
        row("atan2", in -> x(in).atan2(y(in)), () -> List.of(any(3, 4), away(3, 4)));
        row("maximum", in -> x(in).maximum(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("maximum broadcast", in -> x(in).maximum(y(in)), () -> List.of(any(3, 4), any(4)));
        row("minimum", in -> x(in).minimum(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("remainder", in -> x(in).remainder(y(in)), () -> List.of(any(3, 4), pos(3, 4)));

        // scalar variants
        row("add scalar", in -> x(in).add(2.5), () -> List.of(any(3, 4)));
        row("sub scalar", in -> x(in).sub(1.5), () -> List.of(any(3, 4)));
        row("rsub scalar", in -> x(in).rsub(2), () -> List.of(any(3, 4)));
        row("mul scalar", in -> x(in).mul(3), () -> List.of(any(3, 4)));
        row("div scalar", in -> x(in).div(4), () -> List.of(any(3, 4)));
        row("rdiv scalar", in -> x(in).rdiv(2), () -> List.of(pos(3, 4)));
        row("pow 2", in -> x(in).pow(2), () -> List.of(any(3, 4)));
        row("pow 3", in -> x(in).pow(3), () -> List.of(any(3, 4)));
        row("pow 0.5", in -> x(in).pow(0.5), () -> List.of(pos(3, 4)));
        row("pow -1.5", in -> x(in).pow(-1.5), () -> List.of(pos(3, 4)));
        row("pow 0", in -> x(in).pow(0), () -> List.of(any(3, 4)));
        row("pow 1", in -> x(in).pow(1), () -> List.of(any(3, 4)));
        row("remainder scalar", in -> x(in).remainder(1.5), () -> List.of(any(3, 4)));
        row("fmod scalar", in -> x(in).fmod(1.5), () -> List.of(any(3, 4)));

        // clamp, where, maskedFill
        row("clamp", in -> x(in).clamp(-0.5, 0.5), () -> List.of(away(4, 5)));
        row("clampMin", in -> x(in).clampMin(0.1), () -> List.of(away(4, 5)));
        row("clampMax", in -> x(in).clampMax(-0.1), () -> List.of(away(4, 5)));
        row("where", in -> Tensor.where(x(in).gt(0), x(in), y(in)), () -> List.of(away(3, 4), any(3, 4)));
        row("where broadcast", in -> Tensor.where(in.get(2).gt(0), x(in), y(in)), () -> List.of(any(3, 4), any(4), c(3, 1)));
        row("where scalar", in -> Tensor.where(x(in).gt(0), x(in), 2.0), () -> List.of(away(3, 4)));
        row("where scalar first", in -> Tensor.where(x(in).gt(0), -1.0, x(in)), () -> List.of(away(3, 4)));
        row("maskedFill", in -> x(in).maskedFill(in.get(1).gt(0), 3.0), () -> List.of(any(3, 4), c(4)));

        // reductions
        row("sum", in -> x(in).sum(), () -> List.of(any(3, 4)));
        row("sum dim", in -> x(in).sum(1), () -> List.of(any(3, 4)));
        row("sum dim keepdim", in -> x(in).sum(0, true), () -> List.of(nc(3, 4)));
        row("sum dims", in -> x(in).sum(new int[]{0, 2}, false), () -> List.of(any(2, 3, 4)));
        row("mean", in -> x(in).mean(), () -> List.of(any(3, 4)));
        row("mean dim", in -> x(in).mean(-1), () -> List.of(any(3, 4)));
        row("mean dims keepdim", in -> x(in).mean(new int[]{1, 2}, true), () -> List.of(any(2, 3, 4)));
        row("prod", in -> x(in).prod(), () -> List.of(away(2, 3)));
        row("prod dim", in -> x(in).prod(1, false), () -> List.of(away(3, 4)));
        row("prod one zero", in -> x(in).prod(), () -> List.of(Tensor.of(2.0, 0.0, -1.5, 3.0).requiresGrad(true)));
        row("prod two zeros", in -> x(in).prod(), () -> List.of(Tensor.of(2.0, 0.0, -1.5, 0.0).requiresGrad(true)));
        row("prod dim zeros", in -> x(in).prod(1, true),
                () -> List.of(Tensor.of(new double[][]{{1.5, 0, 2}, {0, 0, 3}, {1, 2, -1}}).requiresGrad(true)));
        row("amax", in -> x(in).amax(new int[]{1}, false), () -> List.of(any(3, 4)));
        row("amax all keepdim", in -> x(in).amax(new int[]{0, 1}, true), () -> List.of(any(3, 4)));
        row("amin", in -> x(in).amin(new int[]{0}, true), () -> List.of(any(3, 4)));
        row("max", in -> x(in).max(), () -> List.of(any(3, 4)));
        row("min", in -> x(in).min(), () -> List.of(any(3, 4)));
        row("max dim values", in -> x(in).max(1).values(), () -> List.of(any(3, 4)));
        row("max dim keepdim values", in -> x(in).max(0, true).values(), () -> List.of(nc(3, 4)));
        row("min dim values", in -> x(in).min(-1).values(), () -> List.of(any(3, 4)));
        row("var", in -> x(in).var(), () -> List.of(any(3, 4)));
        row("var biased", in -> x(in).var(false), () -> List.of(any(3, 4)));
        row("var dim", in -> x(in).var(1, true, false), () -> List.of(any(3, 4)));
        row("var dims keepdim", in -> x(in).var(new int[]{0, 1}, true, true), () -> List.of(any(2, 3, 2)));
        row("std", in -> x(in).std(), () -> List.of(any(3, 4)));
        row("std dim", in -> x(in).std(0, false, true), () -> List.of(any(3, 4)));
        row("logsumexp", in -> x(in).logsumexp(1, false), () -> List.of(any(3, 4)));
        row("logsumexp keepdim", in -> x(in).logsumexp(0, true), () -> List.of(nc(3, 4)));
        row("softmax", in -> x(in).softmax(1), () -> List.of(any(3, 4)));
        row("softmax dim 0", in -> x(in).softmax(0), () -> List.of(nc(3, 4)));
        row("softmax 3-d", in -> x(in).softmax(-1), () -> List.of(any(2, 2, 3)));
        row("logSoftmax", in -> x(in).logSoftmax(1), () -> List.of(any(3, 4)));
        row("logSoftmax dim 0", in -> x(in).logSoftmax(0), () -> List.of(nc(3, 4)));
        row("norm 2", in -> x(in).norm(), () -> List.of(any(3, 4)));
        row("norm 1", in -> x(in).norm(1), () -> List.of(away(3, 4)));
        row("norm 3", in -> x(in).norm(3), () -> List.of(away(3, 4)));
        row("norm inf", in -> x(in).norm(Double.POSITIVE_INFINITY), () -> List.of(away(3, 4)));

        // linear algebra, every rank case of matmul
        row("mm", in -> x(in).mm(y(in)), () -> List.of(any(3, 4), any(4, 2)));
        row("mm non-contiguous", in -> x(in).mm(y(in)), () -> List.of(nc(3, 4), nc(4, 2)));
        row("mm transposed", in -> x(in).mm(y(in).t()), () -> List.of(any(3, 4), any(2, 4)));
        row("mm column-major a", in -> x(in).t().mm(y(in)), () -> List.of(any(4, 3), any(4, 2)));
        row("addmm", in -> in.get(2).addmm(x(in), y(in)), () -> List.of(any(3, 4), any(4, 2), any(3, 2)));
        row("addmm bias row", in -> in.get(2).addmm(x(in), y(in).t()), () -> List.of(any(3, 4), any(2, 4), any(2)));
        row("addmm column-major", in -> in.get(2).addmm(x(in).t(), y(in).t()), () -> List.of(any(4, 3), any(2, 4), any(1, 2)));
        row("linear", in -> dev.kindling.nn.F.linear(x(in), y(in), in.get(2)), () -> List.of(any(5, 4), any(3, 4), any(3)));
        row("linear 3-d", in -> dev.kindling.nn.F.linear(x(in), y(in), in.get(2)), () -> List.of(any(2, 5, 4), any(3, 4), any(3)));
        row("bmm", in -> x(in).bmm(y(in)), () -> List.of(any(2, 3, 4), any(2, 4, 2)));
        row("bmm non-contiguous", in -> x(in).bmm(y(in)), () -> List.of(nc(2, 3, 4), any(2, 4, 2)));
        row("matmul 1x1", in -> x(in).matmul(y(in)), () -> List.of(any(4), any(4)));
        row("matmul 1x2", in -> x(in).matmul(y(in)), () -> List.of(any(4), any(4, 3)));
        row("matmul 2x1", in -> x(in).matmul(y(in)), () -> List.of(any(3, 4), any(4)));
        row("matmul 2x2", in -> x(in).matmul(y(in)), () -> List.of(any(3, 4), any(4, 2)));
        row("matmul 3x2", in -> x(in).matmul(y(in)), () -> List.of(any(2, 3, 4), any(4, 2)));
        row("matmul 3x1", in -> x(in).matmul(y(in)), () -> List.of(any(2, 3, 4), any(4)));
        row("matmul 1x3", in -> x(in).matmul(y(in)), () -> List.of(any(4), any(2, 4, 3)));
        row("matmul 2x3", in -> x(in).matmul(y(in)), () -> List.of(any(3, 4), any(2, 4, 2)));
        row("matmul 3x3", in -> x(in).matmul(y(in)), () -> List.of(any(2, 3, 4), any(2, 4, 2)));
        row("matmul batch broadcast", in -> x(in).matmul(y(in)), () -> List.of(any(2, 1, 2, 3), any(3, 3, 2)));
        row("matmul 4x2 non-contiguous", in -> x(in).matmul(y(in)), () -> List.of(nc(2, 2, 2, 3), nc(3, 2)));
        row("dot", in -> x(in).dot(y(in)), () -> List.of(any(5), any(5)));
        row("outer", in -> x(in).outer(y(in)), () -> List.of(any(3), any(4)));

        // views and shape ops
        row("view", in -> x(in).view(4, 3), () -> List.of(any(3, 4)));
        row("view -1", in -> x(in).view(2, -1).mul(y(in)), () -> List.of(any(3, 4), any(6)));
        row("reshape", in -> x(in).reshape(2, 6), () -> List.of(any(3, 4)));
        row("reshape non-contiguous", in -> x(in).reshape(12), () -> List.of(nc(3, 4)));
        row("viewAs", in -> x(in).viewAs(in.get(1)), () -> List.of(any(3, 4), c(2, 6)));
        row("reshapeAs", in -> x(in).reshapeAs(in.get(1)), () -> List.of(nc(3, 4), c(12)));
        row("slice", in -> x(in).slice(1, 1, 3), () -> List.of(any(3, 4)));
        row("slice negative", in -> x(in).slice(0, -2, 5), () -> List.of(any(3, 4)));
        row("slice with step", in -> x(in).slice(1, 1, 6, 2), () -> List.of(any(3, 7)));
        row("slice with step non-contiguous", in -> x(in).slice(0, 0, 4, 3), () -> List.of(nc(4, 3)));
        row("select", in -> x(in).select(1, 2), () -> List.of(any(3, 4)));
        row("select negative", in -> x(in).select(0, -1), () -> List.of(any(3, 4)));
        row("narrow", in -> x(in).narrow(1, 1, 2), () -> List.of(any(3, 4)));
        row("transpose", in -> x(in).transpose(0, 2), () -> List.of(any(2, 3, 4)));
        row("t", in -> x(in).t(), () -> List.of(any(3, 4)));
        row("t 1-d", in -> x(in).t(), () -> List.of(any(4)));
        row("permute", in -> x(in).permute(2, 0, 1), () -> List.of(any(2, 3, 4)));
        row("expand", in -> x(in).expand(2, 3, 4), () -> List.of(any(3, 1)));
        row("expandAs", in -> x(in).expandAs(in.get(1)), () -> List.of(any(4), c(3, 4)));
        row("squeeze", in -> x(in).squeeze(), () -> List.of(any(3, 1, 4, 1)));
        row("squeeze dim", in -> x(in).squeeze(1), () -> List.of(any(3, 1, 4)));
        row("unsqueeze", in -> x(in).unsqueeze(1), () -> List.of(any(3, 4)));
        row("unsqueeze last", in -> x(in).unsqueeze(-1), () -> List.of(nc(3, 4)));
        row("flatten", in -> x(in).flatten(), () -> List.of(any(2, 3, 2)));
        row("flatten from 1", in -> x(in).flatten(1), () -> List.of(nc(2, 3, 2)));
        row("unflatten", in -> x(in).unflatten(1, 2, -1), () -> List.of(any(3, 4)));
        row("repeat", in -> x(in).repeat(2, 1, 3), () -> List.of(any(3, 2)));
        row("flip", in -> x(in).flip(0, 1), () -> List.of(any(3, 4)));
        row("contiguous", in -> x(in).contiguous(), () -> List.of(nc(3, 4)));
        row("clone", in -> x(in).clone(), () -> List.of(any(3, 4)));

        // joining and splitting
        row("cat", in -> Tensor.cat(List.of(x(in), y(in)), 0), () -> List.of(any(2, 3), any(1, 3)));
        row("cat dim 1 non-contiguous", in -> Tensor.cat(List.of(x(in), y(in), x(in)), 1), () -> List.of(nc(2, 3), any(2, 2)));
        row("stack", in -> Tensor.stack(List.of(x(in), y(in)), 1), () -> List.of(any(2, 3), any(2, 3)));
        row("split", in -> joined(x(in).split(2, 1)), () -> List.of(any(3, 5)));
        row("split sizes", in -> joined(x(in).split(new int[]{1, 3}, 0)), () -> List.of(any(4, 2)));
        row("chunk", in -> joined(x(in).chunk(3, 0)), () -> List.of(any(5, 2)));
        row("unbind", in -> joined(x(in).unbind(1)), () -> List.of(any(2, 3)));

        // indexing
        row("indexSelect", in -> x(in).indexSelect(0, idx(2, 0, 2)), () -> List.of(any(3, 4)));
        row("indexSelect dim 1", in -> x(in).indexSelect(1, idx(3, 1)), () -> List.of(nc(3, 4)));
        row("gather", in -> x(in).gather(1, idx2(new long[][]{{0, 0}, {3, 1}, {2, 2}})), () -> List.of(any(3, 4)));
        row("scatter", in -> x(in).scatter(1, idx2(new long[][]{{0, 2}, {3, 1}}), y(in)), () -> List.of(any(2, 4), any(2, 2)));
        row("scatter value", in -> x(in).scatter(0, idx2(new long[][]{{1, 0, 2}}), 5.0), () -> List.of(any(3, 3)));
        row("scatterAdd", in -> x(in).scatterAdd(1, idx2(new long[][]{{0, 0, 1}, {3, 3, 3}}), y(in)),
                () -> List.of(any(2, 4), any(2, 3)));
        row("indexAdd", in -> x(in).indexAdd(0, idx(2, 0, 2), y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("maskedSelect", in -> x(in).maskedSelect(in.get(1).gt(0)), () -> List.of(any(3, 4), c(3, 4)));
        row("maskedSelect broadcast", in -> x(in).maskedSelect(in.get(1).gt(0)), () -> List.of(any(4), c(3, 4)));
        row("sort values", in -> x(in).sort(1, false).values(), () -> List.of(any(3, 4)));
        row("sort descending dim 0", in -> x(in).sort(0, true).values(), () -> List.of(nc(3, 4)));
        row("topk values", in -> x(in).topk(2).values(), () -> List.of(any(3, 4)));
        row("topk smallest dim 0", in -> x(in).topk(2, 0, false, true).values(), () -> List.of(any(3, 4)));

        // convolution helpers
        row("unfold2d", in -> x(in).unfold2d(2, 2, 1, 1, 0, 0, 1, 1), () -> List.of(any(1, 2, 3, 3)));
        row("unfold2d stride padding dilation", in -> x(in).unfold2d(2, 3, 2, 1, 1, 1, 2, 1), () -> List.of(any(2, 1, 4, 4)));
        row("fold2d", in -> x(in).fold2d(3, 3, 2, 2, 1, 1, 0, 0, 1, 1), () -> List.of(any(1, 8, 4)));
        row("fold2d stride padding", in -> x(in).fold2d(4, 4, 2, 2, 2, 2, 1, 1, 1, 1), () -> List.of(any(1, 4, 9)));

        // dtype casts (float32 rounding needs a wide step: the function is linear, so no truncation error)
        ROWS.add(new Row("to float32 and back", () -> List.of(any(3, 4)),
                in -> x(in).to(DType.FLOAT32).to(DType.FLOAT64).mul(2), true, 1e-2));
        row("to same dtype", in -> x(in).to(DType.FLOAT64).exp(), () -> List.of(any(3, 4)));

        // in-place ops on non-leaves: the tape follows the tensor
        row("add_", in -> x(in).mul(1).add_(y(in)), () -> List.of(any(3, 4), any(4)));
        row("sub_ scalar", in -> x(in).mul(1).sub_(2), () -> List.of(any(3, 4)));
        row("mul_", in -> x(in).mul(2).mul_(y(in)), () -> List.of(any(3, 4), any(3, 4)));
        row("div_", in -> x(in).mul(2).div_(y(in)), () -> List.of(any(3, 4), pos(3, 4)));
        row("pow_", in -> x(in).mul(1).pow_(3), () -> List.of(any(3, 4)));
        row("neg_ abs_", in -> x(in).mul(1).neg_().abs_(), () -> List.of(away(3, 4)));
        row("exp_ log_ sqrt_", in -> x(in).mul(1).exp_().sqrt_().log_(), () -> List.of(any(3, 4)));
        row("sigmoid_ tanh_ relu_", in -> x(in).mul(1).tanh_().sigmoid_().sub_(0.6).relu_(), () -> List.of(any(3, 4)));
        row("clamp_", in -> x(in).mul(1).clamp_(-0.5, 0.5), () -> List.of(away(3, 4)));
        row("maskedFill_", in -> x(in).mul(1).maskedFill_(in.get(1).gt(0), 2.0), () -> List.of(any(3, 4), c(3, 4)));
        row("scatter_", in -> x(in).mul(1).scatter_(1, idx2(new long[][]{{1}, {0}}), y(in)), () -> List.of(any(2, 3), any(2, 1)));
        row("copy_", in -> x(in).mul(1).copy_(y(in)), () -> List.of(any(3, 4), any(4)));
        row("addcmul_", in -> x(in).mul(1).addcmul_(y(in), in.get(2), 0.5), () -> List.of(any(3, 4), any(3, 4), any(4)));
        row("addcdiv_", in -> x(in).mul(1).addcdiv_(y(in), in.get(2), 0.5), () -> List.of(any(3, 4), any(3, 4), pos(4)));
        row("lerp_", in -> x(in).mul(1).lerp_(y(in), 0.3), () -> List.of(any(3, 4), any(3, 4)));
        row("fill_ and zero_", in -> x(in).mul(1).fill_(2).add(x(in).mul(1).zero_()).add(y(in)), () -> List.of(any(3), any(3)));
        row("maximum_", in -> x(in).mul(1).maximum_(y(in)), () -> List.of(any(3, 4), any(3, 4)));

        // in-place ops through views: the root takes the change (CopySlices), stale views are rebased
        row("view relu_", in -> {
            Tensor a = x(in).mul(1);
            a.view(12).relu_();
            return a;
        }, () -> List.of(away(3, 4)));
        row("select copy_ into a zero buffer", in -> {
            Tensor out = Tensor.zeros(new int[]{3, 4}, DType.FLOAT64);
            out.select(0, 1).copy_(x(in));
            out.select(1, 2).mul_(y(in));
            return out;
        }, () -> List.of(any(4), any(3)));
        row("slice with step add_", in -> {
            Tensor a = x(in).mul(2);
            a.slice(1, 0, 4, 2).add_(y(in));
            return a.exp();
        }, () -> List.of(any(3, 4), any(3, 2)));
        row("transposed select mul_", in -> {
            Tensor a = x(in).mul(1);
            a.t().select(0, 1).mul_(y(in));
            return a;
        }, () -> List.of(any(3, 4), any(3)));
        row("stale view rebased", in -> {
            Tensor a = x(in).mul(1);
            Tensor v = a.slice(0, 0, 2);
            a.mul_(y(in));
            return v.mul(3);
        }, () -> List.of(any(3, 4), any(4)));
        row("stale view of a buffer mul_", in -> {
            Tensor out = Tensor.zeros(new int[]{2, 3}, DType.FLOAT64);
            Tensor column = out.select(1, 0);   // taken while out has no history
            out.select(0, 1).copy_(x(in));
            column.mul_(y(in));
            return out;
        }, () -> List.of(any(3), any(2)));
        row("reduction result mul_", in -> x(in).sum(1).mul_(y(in)), () -> List.of(any(3, 4), any(3)));

        // composed: a small network layer
        row("linear + tanh + logSoftmax", in -> x(in).matmul(y(in).t()).add(in.get(2)).tanh().logSoftmax(1),
                () -> List.of(any(2, 3), any(4, 3), any(4)));
    }

    static Stream<Row> rows() { return ROWS.stream(); }

    static Stream<Row> secondOrderRows() { return ROWS.stream().filter(Row::second); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void firstDerivatives(Row row) {
        GradCheck.gradcheck(row.fn(), row.inputs().get(), row.eps(), GradCheck.ATOL, GradCheck.RTOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secondOrderRows")
    void secondDerivatives(Row row) {
        GradCheck.gradgradcheck(row.fn(), row.inputs().get(), row.eps(), GradCheck.ATOL, GradCheck.RTOL);
    }
}
