package dev.kindling.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels that JDK 17's JIT cannot vectorise on its own, written with the Vector API: {@code exp},
 * the sigmoid and softmax rows. {@code exp} needs {@code 2^k} built from the bits of {@code k}, and C2 leaves every
 * loop that moves a value between the float and int domains scalar (1 ns per element, the bulk of
 * {@link FastExp#exp}'s time); here one vector does it for 16 lanes. Same algorithm, same operations, same bits
 * as {@link FastExp} (checked over every kind of input by {@code VectorMathTest}).
 *
 * <p>Only {@link Simd} refers to this class, and only after finding the {@code jdk.incubator.vector} module in the
 * boot layer ({@code --add-modules jdk.incubator.vector}) and a self-test passing: without it nothing here is
 * loaded. Only array operations are used, which every JDK from 17 on has in the same form (the buffer ones
 * changed in 19).
 */
final class VectorMath {
    private VectorMath() {}

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles in vectors of the same width: a float vector converts into two of them. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    private static final float HI = FastExp.HI, LO = FastExp.LO;

    private static FloatVector c(float v) { return FloatVector.broadcast(F, v); }

    /**
     * {@code o[i] = expf(sign * a[i] - shift)} for the first {@code n} elements, {@code sign} being 1 or -1; {@code a}
     * must not be {@code o} (the rare lanes outside the range are patched from {@code a}). The whole computation sits
     * in this one loop on purpose: a vector passed to or returned from a method that C2 does not inline is boxed, and
     * the fallback is a hundred times slower (measured: 4M floats, 23 ms against 1 ms).
     */
    private static void expLoop(float[] a, float[] o, int n, float sign, float shift) {
        int i = 0, up = F.loopBound(n), len = F.length();
        // multiplying by 1 or -1 and subtracting 0 are exact: one loop for exp, the sigmoid's exp(-x) and softmax's
        // exp(x - max), with no branch that vectors would have to cross (C2 would box them)
        FloatVector sg = c(sign), sh = c(shift);
        for (; i < up; i += len) {
            FloatVector x = FloatVector.fromArray(F, a, i).mul(sg).sub(sh);
            FloatVector v = x.max(LO).min(HI);
            FloatVector tk = v.fma(c(FastExp.LOG2E), c(FastExp.CARRIER));
            FloatVector k = tk.sub(FastExp.CARRIER);
            FloatVector r = k.fma(c(-FastExp.LN2_HI), v);
            r = k.fma(c(-FastExp.LN2_LO), r);
            FloatVector q = r.fma(c(FastExp.P0), c(FastExp.P1));
            q = q.fma(r, c(FastExp.P2));
            q = q.fma(r, c(FastExp.P3));
            q = q.fma(r, c(FastExp.P4));
            q = q.fma(r, c(FastExp.P5));
            FloatVector p = q.fma(r.mul(r), r).add(1f);
            FloatVector scale = tk.reinterpretAsInts().sub(FastExp.CARRIER_BITS - 127)
                    .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
            p.mul(scale).intoArray(o, i);
            // rare: subnormal or infinite results, NaN; Math.exp as FastExp does
            if (!x.compare(VectorOperators.GE, LO).and(x.compare(VectorOperators.LE, HI)).allTrue()) patch(a, o, i, sign, shift);
        }
        for (; i < n; i++) o[i] = FastExp.expf(sign * a[i] - shift);
    }

    /** Rewrites the lanes of {@code o[i..]} whose argument {@code sign * a[j] - shift} is outside the range with {@code Math.exp}. */
    private static void patch(float[] a, float[] o, int i, float sign, float shift) {
        for (int j = i; j < i + F.length(); j++) {
            float v = sign * a[j] - shift;
            if (!(v >= LO && v <= HI)) o[j] = (float) Math.exp(v);
        }
    }

    /** {@code o[i] = expf(a[i])} for the first {@code n} elements; {@code a} must not be {@code o}. */
    static void exp(float[] a, float[] o, int n) { expLoop(a, o, n, 1f, 0f); }

    /** {@code o[i] = 1 / (1 + expf(-a[i]))}; {@code a} must not be {@code o}. */
    static void sigmoid(float[] a, float[] o, int n) {
        expLoop(a, o, n, -1f, 0f);
        int i = 0, up = F.loopBound(n), len = F.length();
        FloatVector one = c(1f);
        for (; i < up; i += len) one.div(FloatVector.fromArray(F, o, i).add(1f)).intoArray(o, i);
        for (; i < n; i++) o[i] = 1f / (1f + o[i]);
    }

    /**
     * One row of softmax or log-softmax, as {@code SoftmaxKernel}'s scalar row computes it: the max with NaN
     * winning, the shifted row, its exp and their sum in double, then a divide or the log subtracted.
     */
    static void softmaxRow(float[] x, float[] y, int n, boolean log) {
        int up = F.loopBound(n), len = F.length();
        // amax: lanewise max keeps NaN (Math.max's rules), so the reduction does too
        FloatVector mv = c(Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < up; i += len) mv = mv.max(FloatVector.fromArray(F, x, i));
        float m = mv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[i]);
        float shift = log && Float.isInfinite(m) ? 0f : m;

        expLoop(x, y, n, 1f, shift);
        DoubleVector s0 = DoubleVector.zero(D), s1 = DoubleVector.zero(D);
        for (i = 0; i < up; i += len) {
            FloatVector e = FloatVector.fromArray(F, y, i);
            s0 = s0.add(e.convertShape(VectorOperators.F2D, D, 0));
            s1 = s1.add(e.convertShape(VectorOperators.F2D, D, 1));
        }
        double total = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) total += y[i];
        float sum = (float) total;
        if (log) {
            float lg = (float) Math.log(sum);
            // (x - shift) - lg, as the scalar row's shifted values minus the log
            for (i = 0; i < up; i += len) FloatVector.fromArray(F, x, i).sub(shift).sub(lg).intoArray(y, i);
            for (; i < n; i++) y[i] = (x[i] - shift) - lg;
        } else {
            for (i = 0; i < up; i += len) FloatVector.fromArray(F, y, i).div(sum).intoArray(y, i);
            for (; i < n; i++) y[i] = y[i] / sum;
        }
    }

    /** Lanes per float vector. */
    static int lanes() { return F.length(); }
}
