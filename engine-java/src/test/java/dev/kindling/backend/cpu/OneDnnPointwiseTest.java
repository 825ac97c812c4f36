package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import dev.kindling.backend.View;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Large float32 elementwise ops and sums go to oneDNN; they must give what the float64 formula gives, rounded, within
 * a few ulp, and exactly PyTorch's special values (NaN, infinities, signed zeros) on every element.
 */
class OneDnnPointwiseTest {
    /** Above every threshold, so each op takes its oneDNN path. */
    private static final int N = (int) OneDnnPointwise.MIN_STREAMING + 37;

    /** Random values of every magnitude with the special values sprinkled through. */
    private static float[] values(long seed, boolean positive) {
        Random r = new Random(seed);
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 88.7f, 89f, -87f, -104f, 1e30f, -1e30f, 1f, -1f, 20f, -20f};
        float[] v = new float[N];
        for (int i = 0; i < N; i++) {
            v[i] = i % 97 == 0 ? special[(i / 97) % special.length]
                    : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3));
            if (positive && v[i] < 0) v[i] = -v[i];
        }
        return v;
    }

    private static void check(String op, float[] x, float[] y, float[] got, DoubleBinaryOperator ref, int ulps) {
        for (int i = 0; i < got.length; i++) {
            float want = (float) ref.applyAsDouble(x[i], y == null ? 0 : y[i]);
            float g = got[i];
            boolean ok = Float.isNaN(want) ? Float.isNaN(g)
                    : Float.isInfinite(want) || want == 0 ? Float.compare(want, g) == 0 || (want == 0 && g == 0 && op.equals("sum"))
                    : Math.abs(want - g) <= ulps * Math.ulp(want) + (Math.abs(want) < 1e-30 ? 1e-38 : 0);
            if (!ok) fail(op + "(" + x[i] + (y == null ? "" : ", " + y[i]) + ") = " + g + ", expected " + want + " (element " + i + ")");
        }
    }

    private static void unary(String op, Function<Tensor, Tensor> f, DoubleUnaryOperator ref, int ulps, boolean positive) {
        float[] x = values(op.hashCode(), positive);
        check(op, x, null, f.apply(Tensor.fromArray(x, N)).toFloatArray(), (a, b) -> ref.applyAsDouble(a), ulps);
    }

    @Test
    void largeUnaryOpsGiveTheFormulasValuesAndSpecialValues() {
        assertTrue(OneDnn.available(), "oneDNN must load here; " + OneDnn.failure());
        unary("exp", Tensor::exp, Math::exp, 2, false);
        unary("sigmoid", Tensor::sigmoid, a -> 1 / (1 + Math.exp(-a)), 4, false);
        unary("tanh", Tensor::tanh, Math::tanh, 4, false);
        unary("log", Tensor::log, Math::log, 2, false);
        unary("sqrt", Tensor::sqrt, Math::sqrt, 1, false);
        unary("abs", Tensor::abs, Math::abs, 0, false);
        unary("square", t -> t.square(), a -> a * a, 1, false);
    }

    private static final CachingAllocator ALLOC = new CachingAllocator();

    /** A contiguous FLOAT32 view holding {@code x}. */
    private static View view(float[] x) {
        CpuBuffer b = ALLOC.allocate(4L * x.length);
        b.f.put(0, x);
        return new View(b, dev.kindling.DType.FLOAT32, new int[]{x.length}, new int[]{1}, 0);
    }

    /**
     * exp and sigmoid run on oneDNN only where a BLAS pass vouches for the input (oneDNN's exp(NaN) is inf, its
     * sigmoid 0 below -87): on such inputs within a few ulp, else the Java loops (above).
     */
    @Test
    void guardedOpsRunOnOneDnnOnlyOnInputsWhereItAgreesWithPyTorch() {
        Random r = new Random(3);
        float[] x = new float[N];
        for (int i = 0; i < N; i++) x[i] = (float) Math.max(-80, Math.min(80, r.nextGaussian() * 20));
        x[5] = -80f;
        x[6] = 80f;
        x[7] = -0f;
        Tensor t = Tensor.fromArray(x, N);
        for (dev.kindling.backend.UnaryOp op : new dev.kindling.backend.UnaryOp[]{
                dev.kindling.backend.UnaryOp.EXP, dev.kindling.backend.UnaryOp.SIGMOID}) {
            assertTrue(OneDnnPointwise.vouched(op, view(x)), op + " on tame input");
        }
        check("exp", x, null, t.exp().toFloatArray(), (a, b) -> Math.exp(a), 5);
        check("sigmoid", x, null, t.sigmoid().toFloatArray(), (a, b) -> 1 / (1 + Math.exp(-a)), 4);
        for (float bad : new float[]{Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] y = x.clone();
            y[N - 3] = bad;
            assertTrue(!OneDnnPointwise.vouched(dev.kindling.backend.UnaryOp.EXP, view(y)), "exp with " + bad);
        }
        float[] low = x.clone();
        low[N - 2] = -90f;
        assertTrue(!OneDnnPointwise.vouched(dev.kindling.backend.UnaryOp.SIGMOID, view(low)), "sigmoid below -80");
        assertTrue(!OneDnnPointwise.vouched(dev.kindling.backend.UnaryOp.EXP, view(low)), "exp below -80");
    }

    /**
     * Large ReLUs run on oneDNN with no check of the input, so they must keep NaN (payload included) as the Java loop
     * does, and give its bits everywhere else: +0 for -0 and for every negative, infinities as they are.
     */
    @Test
    void largeReluKeepsNaNAndGivesTheJavaLoopsBits() {
        float[] x = values(11, false);
        x[3] = Float.intBitsToFloat(0xffc00000);   // the NaN x86 arithmetic produces: sign bit set
        x[4] = Float.intBitsToFloat(0x7fc01234);   // a NaN with a payload
        Tensor t = Tensor.fromArray(x, N);
        View in = view(x), out = view(new float[N]);
        assertTrue(OneDnnPointwise.unary(ALLOC, dev.kindling.backend.UnaryOp.RELU, in, out), "a large relu runs on oneDNN");
        float[] got = new float[N];
        ((CpuBuffer) out.buffer()).f.get(0, got);
        for (int i = 0; i < N; i++) {
            assertTrue(Float.floatToRawIntBits(got[i]) == Float.floatToRawIntBits(Math.max(x[i], 0f)),
                    "relu(" + x[i] + ") = " + got[i] + " (bits " + Integer.toHexString(Float.floatToRawIntBits(got[i])) + ")");
        }
        float[] viaTensor = t.relu().toFloatArray();
        t.relu_();
        float[] inPlace = t.toFloatArray();
        for (int i = 0; i < N; i++) {
            int want = Float.floatToRawIntBits(got[i]);
            assertTrue(Float.floatToRawIntBits(viaTensor[i]) == want && Float.floatToRawIntBits(inPlace[i]) == want,
                    "relu and relu_ of " + x[i] + ": " + viaTensor[i] + ", " + inPlace[i]);
        }
    }

    @Test
    void largeBinaryOpsAreIeeeExact() {
        float[] a = values(1, false), b = values(2, false);
        Tensor ta = Tensor.fromArray(a, N), tb = Tensor.fromArray(b, N);
        DoubleBinaryOperator add = (x, y) -> (float) x + (float) y, sub = (x, y) -> (float) x - (float) y;
        DoubleBinaryOperator mul = (x, y) -> (float) x * (float) y, div = (x, y) -> (float) x / (float) y;
        check("add", a, b, ta.add(tb).toFloatArray(), add, 0);
        check("sub", a, b, ta.sub(tb).toFloatArray(), sub, 0);
        check("mul", a, b, ta.mul(tb).toFloatArray(), mul, 0);
        check("div", a, b, ta.div(tb).toFloatArray(), div, 0);
        // in place: the output is the first operand
        Tensor c = ta.clone();
        c.add_(tb);
        check("add_", a, b, c.toFloatArray(), add, 0);
    }

    @Test
    void largeSumsAreAccurateAndPropagateSpecialValues() {
        Random r = new Random(3);
        float[] x = new float[N];
        double exact = 0;
        for (int i = 0; i < N; i++) {
            x[i] = (float) r.nextGaussian();
            exact += x[i];
        }
        double got = Tensor.fromArray(x, N).sum().item();
        assertTrue(Math.abs(got - exact) <= 1e-5 * Math.sqrt(N), "sum " + got + " vs " + exact);
        double mean = Tensor.fromArray(x, N).mean().item();
        assertTrue(Math.abs(mean - exact / N) <= 1e-6, "mean " + mean + " vs " + exact / N);
        x[N / 2] = Float.NaN;
        assertTrue(Double.isNaN(Tensor.fromArray(x, N).sum().item()), "NaN propagates");
        x[N / 2] = Float.POSITIVE_INFINITY;
        assertTrue(Tensor.fromArray(x, N).sum().item() == Double.POSITIVE_INFINITY, "+inf propagates");
        x[N / 3] = Float.NEGATIVE_INFINITY;
        assertTrue(Double.isNaN(Tensor.fromArray(x, N).sum().item()), "inf - inf is NaN");
        // a 2-D contiguous tensor reduced over all dims goes the same way
        float[] y = new float[512 * 256];
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) r.nextGaussian();
            s += y[i];
        }
        assertTrue(Math.abs(Tensor.fromArray(y, 512, 256).sum().item() - s) <= 1e-5 * Math.sqrt(y.length), "2-D sum");
    }
}
