package dev.kindling;

import dev.kindling.testing.Prop;
import dev.kindling.testing.Prop.Gen;
import dev.kindling.testing.Prop.Outcome;
import dev.kindling.testing.Ref;
import dev.kindling.testing.Ref.Operand;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static dev.kindling.testing.Prop.assertOk;
import static dev.kindling.testing.Prop.assertOpError;
import static dev.kindling.testing.Prop.attempt;
import static dev.kindling.testing.Ref.assertMatches;

/**
 * Property tests of the tensor core against a float64 reference in plain Java arrays ({@link Ref}): random
 * shapes (zero-size dims included), broadcastable and non-broadcastable pairs, FLOAT32/FLOAT64/INT64 and
 * random layouts (transposed, permuted, sliced with a step, expanded). Each case either equals the reference
 * (shape, PyTorch's result dtype, values within a tolerance by dtype) or throws an IllegalArgumentException or
 * IndexOutOfBoundsException naming the op: never another exception, never a wrong answer.
 * Elementwise ops, reductions and matmul here; indexing and shape ops in {@link TensorShapePropertiesTest}.
 * See {@link Prop} for replaying a failing case and for exploring more seeds.
 */
class TensorPropertiesTest {
    static final int TRIES = 200;
    static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT64};

    private static int category(DType t) { return t == DType.BOOL ? 0 : t.isIntegral() ? 1 : 2; }

    /** PyTorch's result_type for two tensors: a 0-d operand only lifts the category of a dimensioned one. */
    static DType resultType(DType a, int rankA, DType b, int rankB) {
        if ((rankA == 0) == (rankB == 0)) return DType.promote(a, b);
        DType dimmed = rankA == 0 ? b : a, zero = rankA == 0 ? a : b;
        return category(zero) > category(dimmed) ? zero : dimmed;
    }

    /** Two shapes: mostly broadcastable (a suffix with some dims set to 1), sometimes not, sometimes unrelated. */
    static int[][] shapePair(Gen g) {
        int[] a = g.chance(0.03) ? new int[]{g.intIn(100, 300), g.intIn(100, 300)} : Ref.shape(g, 4);
        int mode = g.intIn(0, 9);
        int[] b;
        if (mode <= 7) {
            int keep = g.intIn(0, a.length);
            int extra = g.chance(0.2) ? g.intIn(1, 2) : 0;
            b = new int[keep + extra];
            for (int i = 0; i < extra; i++) b[i] = g.intIn(1, 3);
            for (int i = 0; i < keep; i++) b[extra + i] = g.chance(0.3) ? 1 : a[a.length - keep + i];
            if (mode >= 6 && keep > 0) { // break one aligned dim
                int i = g.intIn(0, keep - 1), s = a[a.length - keep + i];
                if (s != 1) b[extra + i] = s + g.intIn(1, 2);
            }
        } else {
            b = Ref.shape(g, 4);
        }
        return g.chance(0.5) ? new int[][]{a, b} : new int[][]{b, a};
    }

    record BinaryCase(String name, BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator ref, boolean additive) {}

    static final BinaryCase[] BINARY = {
        new BinaryCase("add", Tensor::add, Double::sum, true),
        new BinaryCase("sub", Tensor::sub, (x, y) -> x - y, true),
        new BinaryCase("mul", Tensor::mul, (x, y) -> x * y, false),
        new BinaryCase("div", Tensor::div, (x, y) -> x / y, false),
        new BinaryCase("maximum", Tensor::maximum, Math::max, false),
        new BinaryCase("minimum", Tensor::minimum, Math::min, false),
    };

    @Test
    void binaryOpsBroadcastPromoteAndMatchTheReference() {
        Prop.forAll("binary", TRIES, g -> {
            BinaryCase op = g.pick(BINARY);
            g.note("op", op.name());
            int[][] shapes = shapePair(g);
            DType da = g.pick(DTYPES), db = g.chance(0.6) ? da : g.pick(DTYPES);
            Operand a = g.note("a", Ref.operand(g, shapes[0], da));
            Operand b = g.note("b", Ref.operand(g, shapes[1], db));
            Outcome<Tensor> out = attempt(() -> op.op().apply(a.t(), b.t()));
            if (Ref.broadcast(shapes[0], shapes[1]) == null) {
                assertOpError(out, op.name());
                g.label("error");
                return;
            }
            g.label("ok");
            DType rt = resultType(da, shapes[0].length, db, shapes[1].length);
            if (op.name().equals("div") && rt.isIntegral()) rt = DType.FLOAT32;
            Ref expected = Ref.zip(a.ref(), b.ref(), op.ref());
            // add/sub may cancel: their rounding is relative to the operands, not to the result
            Ref scale = op.additive() ? Ref.zip(a.ref(), b.ref(), (x, y) -> Math.abs(x) + Math.abs(y)) : null;
            assertMatches(assertOk(out), expected, rt, scale, op.name());
            assertMatches(a.t(), a.ref(), da, null, "input a after " + op.name());
            assertMatches(b.t(), b.ref(), db, null, "input b after " + op.name());
        }, "ok", "error");
    }

    record UnaryCase(String name, Function<Tensor, Tensor> op, DoubleUnaryOperator ref, boolean keepsIntegral) {}

    static final UnaryCase[] UNARY = {
        new UnaryCase("neg", Tensor::neg, x -> -x, true),
        new UnaryCase("abs", Tensor::abs, Math::abs, true),
        new UnaryCase("relu", Tensor::relu, x -> x > 0 ? x : 0, true),
        new UnaryCase("square", Tensor::square, x -> x * x, true),
        new UnaryCase("floor", Tensor::floor, Math::floor, true),
        new UnaryCase("exp", Tensor::exp, Math::exp, false),
        new UnaryCase("log", Tensor::log, Math::log, false),
        new UnaryCase("sqrt", Tensor::sqrt, Math::sqrt, false),
        new UnaryCase("tanh", Tensor::tanh, Math::tanh, false),
        new UnaryCase("sigmoid", Tensor::sigmoid, x -> 1 / (1 + Math.exp(-x)), false),
        new UnaryCase("sin", Tensor::sin, Math::sin, false),
        new UnaryCase("mul(2)", t -> t.mul(2), x -> x * 2, true),
        new UnaryCase("add(-3)", t -> t.add(-3), x -> x - 3, true),
        new UnaryCase("sub(0.5)", t -> t.sub(0.5), x -> x - 0.5, false),
        new UnaryCase("mul(0.25)", t -> t.mul(0.25), x -> x * 0.25, false),
        new UnaryCase("div(2)", t -> t.div(2), x -> x / 2, false),
    };

    @Test
    void unaryAndScalarOpsMatchTheReferenceOnEveryLayout() {
        Prop.forAll("unary", TRIES, g -> {
            UnaryCase op = g.pick(UNARY);
            g.note("op", op.name());
            int[] shape = g.chance(0.03) ? new int[]{g.intIn(200, 400), g.intIn(100, 300)} : Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand a = g.note("a", Ref.operand(g, shape, dt));
            Tensor out = assertOk(attempt(() -> op.op().apply(a.t())));
            DType rt = dt.isIntegral() && !op.keepsIntegral() ? DType.FLOAT32 : dt;
            Ref expected = a.ref().map(op.ref());
            Ref scale = op.name().startsWith("add") || op.name().startsWith("sub")
                    ? a.ref().map(x -> Math.abs(x) + 3) : null;
            assertMatches(out, expected, rt, scale, op.name());
            assertMatches(a.t(), a.ref(), dt, null, "input after " + op.name());
        });
    }

    record InPlaceCase(String name, BiFunction<Tensor, Tensor, Tensor> op, DoubleBinaryOperator ref) {}

    static final InPlaceCase[] IN_PLACE = {
        new InPlaceCase("add_", Tensor::add_, Double::sum),
        new InPlaceCase("sub_", Tensor::sub_, (x, y) -> x - y),
        new InPlaceCase("mul_", Tensor::mul_, (x, y) -> x * y),
        new InPlaceCase("div_", Tensor::div_, (x, y) -> x / y),
    };

    @Test
    void inPlaceOpsWriteExactlyTheirViewOrRefuse() {
        Prop.forAll("inPlace", TRIES, g -> {
            InPlaceCase op = g.pick(IN_PLACE);
            g.note("op", op.name());
            int[][] shapes = shapePair(g);
            DType da = g.pick(DTYPES), db = g.chance(0.6) ? da : g.pick(DTYPES);
            Operand a = g.note("self", Ref.view(g, Ref.random(g, shapes[0], da), da)); // writable: never expanded
            Operand b = g.note("other", Ref.operand(g, shapes[1], db));
            long sentinels = count77(a);
            Outcome<Tensor> out = attempt(() -> op.op().apply(a.t(), b.t()));
            int[] bs = Ref.broadcast(shapes[0], shapes[1]);
            DType rt = resultType(da, shapes[0].length, db, shapes[1].length);
            if (op.name().equals("div_") && rt.isIntegral()) rt = DType.FLOAT32;
            if (bs == null || !Arrays.equals(bs, shapes[0]) || (da.isIntegral() && rt.isFloatingPoint())) {
                assertOpError(out, op.name());
                assertMatches(a.t(), a.ref(), da, null, op.name() + " refused, self unchanged");
                g.label("error");
                return;
            }
            g.label("ok");
            Tensor r = assertOk(out);
            if (r != a.t()) throw new AssertionError(op.name() + " did not return self");
            Ref expected = Ref.zip(a.ref(), b.ref(), op.ref());
            if (da == DType.FLOAT32) expected = expected.map(x -> (float) x);
            Ref scale = Ref.zip(a.ref(), b.ref(), (x, y) -> Math.abs(x) + Math.abs(y) + Math.abs(op.ref().applyAsDouble(x, y)));
            assertMatches(a.t(), expected, da, scale, op.name());
            if (count77(a) != sentinels) throw new AssertionError(op.name() + " wrote outside its view");
        }, "ok", "error");
    }

    /** How many elements of the tensor a view was cut from hold the sentinel 77 of {@link Ref#view}'s slices. */
    private static long count77(Operand o) {
        return Arrays.stream(Ref.values(o.base())).filter(v -> v == 77).count();
    }

    static final String[] REDUCTIONS = {"sum", "mean", "amax", "amin"};

    @Test
    void reductionsOverRandomDimsMatchTheReference() {
        Prop.forAll("reduce", TRIES, g -> {
            String op = g.note("op", g.pick(REDUCTIONS));
            int[] shape = g.chance(0.03) ? new int[]{g.intIn(100, 300), g.intIn(50, 200)} : Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand a = g.note("a", Ref.operand(g, shape, dt));
            int rank = shape.length, slots = Math.max(rank, 1);
            // dims: none (everything), or a list in random order and sign; now and then a bad one
            int[] dims;
            if (g.chance(0.2)) {
                dims = new int[0];
            } else {
                int[] p = g.permutation(slots);
                dims = Arrays.copyOf(p, g.intIn(1, slots));
                for (int i = 0; i < dims.length; i++) if (g.chance(0.5)) dims[i] -= slots;
                if (g.chance(0.08)) dims[0] = g.chance(0.5) ? slots + g.intIn(0, 1) : -slots - 1 - g.intIn(0, 1);
                if (g.chance(0.05)) { // the same dim twice, the second time with the other sign
                    dims = Arrays.copyOf(dims, dims.length + 1);
                    int d0 = dims[0];
                    dims[dims.length - 1] = d0 < -slots || d0 >= slots ? d0 : d0 < 0 ? d0 + slots : d0 - slots;
                }
            }
            boolean keepdim = g.chance(0.5);
            g.note("dims", dims);
            g.note("keepdim", keepdim);
            int[] fd = dims;
            Outcome<Tensor> out = attempt(() -> switch (op) {
                case "sum" -> a.t().sum(fd, keepdim);
                case "mean" -> a.t().mean(fd, keepdim);
                case "amax" -> a.t().amax(fd, keepdim);
                default -> a.t().amin(fd, keepdim);
            });
            // the reference's view of which dims are reduced, and whether the call is valid
            boolean bad = false;
            boolean[] seen = new boolean[slots];
            for (int d : dims) {
                if (d < -slots || d >= slots) {
                    bad = true;
                    continue;
                }
                int w = d < 0 ? d + slots : d;
                if (seen[w]) bad = true;
                seen[w] = true;
            }
            int[] red = rank == 0 ? new int[0] : dims.length == 0 ? Ref.identity(rank)
                    : Arrays.stream(dims).map(d -> d < 0 ? d + slots : d).distinct().sorted().toArray();
            if (op.equals("mean") && dt.isIntegral()) bad = true;
            if (op.startsWith("am") && !bad) {
                for (int d : red) if (shape[d] == 0) bad = true;
                if (a.ref().numel() == 0 && red.length == 0) bad = true;
            }
            if (bad) {
                assertOpError(out, op);
                g.label("error");
                return;
            }
            g.label("ok");
            Ref x = a.ref();
            Ref expected;
            Ref scale = x.map(Math::abs).reduce(red, keepdim, 0, Double::sum);
            DType rt = dt;
            switch (op) {
                case "sum" -> expected = x.reduce(red, keepdim, 0, Double::sum);
                case "mean" -> {
                    int count = 1;
                    for (int d : red) count *= shape[d];
                    int c = count;
                    expected = x.reduce(red, keepdim, 0, Double::sum).map(v -> v / c);
                    scale = scale.map(v -> v / c);
                }
                case "amax" -> {
                    expected = x.reduce(red, keepdim, Double.NEGATIVE_INFINITY, Math::max);
                    scale = null;
                }
                default -> {
                    expected = x.reduce(red, keepdim, Double.POSITIVE_INFINITY, Math::min);
                    scale = null;
                }
            }
            assertMatches(assertOk(out), expected, rt, scale, op);
        }, "ok", "error");
    }

    @Test
    void matmulOfEveryRankAndBatchBroadcastMatchesTheReference() {
        Prop.forAll("matmul", TRIES, g -> {
            boolean big = g.chance(0.1);
            int m = big ? g.intIn(1, 70) : g.intIn(0, 4), k = big ? g.intIn(1, 70) : g.intIn(0, 4), n = big ? g.intIn(1, 70) : g.intIn(0, 4);
            int kind = g.note("kind", g.intIn(0, 7));
            int[] as, bs;
            switch (kind) {
                case 0 -> { as = new int[]{k}; bs = new int[]{k}; }
                case 1 -> { as = new int[]{m, k}; bs = new int[]{k, n}; }
                case 2 -> { as = new int[]{k}; bs = batched(g, batch(g), k, n); }
                case 3 -> { as = batched(g, batch(g), m, k); bs = new int[]{k}; }
                case 7 -> { as = g.chance(0.5) ? new int[0] : new int[]{m, k}; bs = g.chance(0.5) ? new int[0] : new int[]{k, n}; }
                default -> {
                    int[] ba = batch(g), bb = g.chance(0.7) ? derive(g, ba) : batch(g);
                    if (g.chance(0.3)) ba = new int[0];
                    as = batched(g, ba, m, k);
                    bs = batched(g, bb, k, n);
                }
            }
            if (g.chance(0.08) && as.length > 0) as[as.length - 1] += 1; // inner sizes that disagree
            DType da = g.pick(DTYPES), db = g.chance(0.9) ? da : g.pick(DTYPES);
            Operand a = g.note("a", Ref.operand(g, as, da));
            Operand b = g.note("b", Ref.operand(g, bs, db));
            Outcome<Tensor> out = attempt(() -> a.t().matmul(b.t()));
            boolean bad = as.length == 0 || bs.length == 0 || da != db;
            if (!bad) {
                int ka = as[as.length - 1], kb = bs.length == 1 ? bs[0] : bs[bs.length - 2];
                if (ka != kb) bad = true;
                else if (as.length > 2 || bs.length > 2) {
                    int[] ba = as.length > 2 ? Arrays.copyOf(as, as.length - 2) : new int[0];
                    int[] bb = bs.length > 2 ? Arrays.copyOf(bs, bs.length - 2) : new int[0];
                    if (Ref.broadcast(ba, bb) == null) bad = true;
                }
            }
            if (bad) {
                assertOpError(out, "matmul", "dot", "mm");
                g.label("error");
                return;
            }
            g.label(as.length > 2 || bs.length > 2 ? "batched" : "ok");
            Ref expected = Ref.matmul(a.ref(), b.ref());
            Ref scale = Ref.matmul(a.ref().map(Math::abs), b.ref().map(Math::abs));
            assertMatches(assertOk(out), expected, da, scale, "matmul");
        }, "ok", "batched", "error");
    }

    private static int[] batch(Gen g) {
        int[] s = new int[g.intIn(1, 2)];
        for (int i = 0; i < s.length; i++) s[i] = g.chance(0.1) ? 0 : g.intIn(1, 3);
        return s;
    }

    /** A batch shape that broadcasts with {@code a} (a suffix with some dims set to 1), or now and then does not. */
    private static int[] derive(Gen g, int[] a) {
        int keep = g.intIn(0, a.length);
        int[] b = new int[keep];
        for (int i = 0; i < keep; i++) b[i] = g.chance(0.4) ? 1 : a[a.length - keep + i];
        if (keep > 0 && g.chance(0.15) && a[a.length - 1] != 1) b[keep - 1] = a[a.length - 1] + 1;
        return b;
    }

    private static int[] batched(Gen g, int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
