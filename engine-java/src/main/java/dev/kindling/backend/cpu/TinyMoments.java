package dev.kindling.backend.cpu;

import dev.kindling.backend.OptimStep;

/**
 * Adam's update for runs where some first moments are tiny, with the bits of {@link OptimKernels}' loop but without
 * its subnormal arithmetic. A weight whose gradient stays zero (an always-black pixel's column, a dead ReLU unit) keeps
 * its moment decaying by beta1 a step; after ~700 steps it is subnormal, and since 0.9 times the smallest subnormals
 * rounds back to themselves it stays there. On x86 a multiply or fma with a subnormal operand or result takes a
 * microcode assist (65,536 floats: 160-320 us instead of 7; an add does not): the MLP benchmark's Adam step went from
 * 0.5-0.7 to 1.7-2.7 ms in the second half of its first epoch (PyTorch's from 2.0 to 3.2-4.5).
 * {@code torch.set_flush_denormal(True)} would change results; this road does not.
 *
 * <p>Two facts make it exact. (1) For a subnormal {@code m = k * 2^-149} (integer {@code k < 2^23}) and
 * {@code 0 <= b1 < 1}, {@code m * b1} rounds to the subnormal grid: it is {@code RNE(k * b1)} units, and
 * {@code fma(k, b1, 2^23)} computes exactly that, since the sum stays in [2^23, 2^24] where the float spacing is 1;
 * {@code k} itself is the float of bits {@code 2^23 + k} minus 2^23, and the result's units are its bits minus those
 * of 2^23. The plain {@code fma(g, c1, m * b1)} then adds {@code g * c1}, a signed zero for the zero gradients this
 * road takes, and an add takes no assist. (2) A moment below 2^-112 with a zero gradient stays below it, and its
 * parameter moves by less than half an ulp whenever {@code |p * decay| > PB} (see {@link #bound}): the update
 * {@code step * m / denom} is at most {@code |step| * 2^-112 / eps}, and {@code p + u == p} for
 * {@code |u| < ulp(p) / 2}. Such lanes feed the update a zero moment, which adds a signed zero to a nonzero {@code p}:
 * the same bits, and NaN or infinite denominators still give what they gave.
 *
 * <p>Runs where either fact does not hold (a tiny moment meets a nonzero gradient, or its parameter is tiny or zero)
 * are declined and take the plain loop: its results are the definition, this is only its fast road. Measured in the
 * MLP benchmark's first epoch (alternating processes, {@code -Dkindling.tinyMoments=false} for the plain loop alone):
 * Adam 1.6-2.5 -> 0.9-1.4 ms a step over its last 300 steps; the detection costs ~0.05-0.1 ms a step before that, so
 * the first epoch gains 1.6-3.1% (medians of 8 pairs, 21,141 -> 21,472 and 21,420 -> 22,080 samples/s); later epochs,
 * whose moments stay tiny, gain more (the same model's second and third epochs: 19,600-20,700 -> 21,500-23,600 and
 * 22,000-24,800 -> 26,100-27,700 samples/s in two pairs).
 * Needs {@link FloatBits#ON}: C2 vectorises the int passes only through its accessors.
 */
final class TinyMoments {
    private TinyMoments() {}

    private static final int SIZE = Chunks.SIZE;
    private static final int SIGN = 0x80000000, ABS = 0x7fffffff;
    /** The bits of 2^23, whose float spacing is 1, and of the smallest normal float, 2^-126. */
    private static final int TWO23_BITS = 0x4B000000, NORMAL_BITS = 0x00800000;
    private static final float TWO23 = 8388608f;
    /** The bits of 2^-112: moments below it leave their parameter unchanged (given {@link #bound}). */
    private static final int SMALL_BITS = 0x07800000;

    /** On where {@link FloatBits} is; {@code -Dkindling.tinyMoments=false} leaves every run to the plain loop (A/B runs). */
    static final boolean ON = FloatBits.ON && !"false".equals(System.getProperty("kindling.tinyMoments"));

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][SIZE]);

    /**
     * One Adam step's constants for the road, computed once per parameter and step: the moment below which a run
     * takes it ({@link #trigger}) and the parameters that absorb a small moment's update ({@link #bound}).
     */
    record Road(int trigger, int bound) {}

    /**
     * The road for {@code a}, or null where it does not apply: amsgrad or L2 weight decay (the plain loop alone
     * handles them), beta1 outside [0, 1), no bound (eps not positive), or {@link #ON} false.
     */
    static Road road(OptimStep.Adam a) {
        float b1 = (float) a.beta1(), step = (float) a.negStepSize();
        if (!ON || a.amsgrad() || a.weightDecay() != 0 || !(b1 >= 0 && b1 < 1)) return null;
        int pb = bound(step, (float) a.eps(), (float) a.decay());
        return pb < 0 ? null : new Road(trigger(step), pb);
    }

    /** All bits where {@code 0 < |bits| < limit} as floats (limit a positive float's bits), else none. */
    private static int below(int abs, int limit) { return ((abs - limit) & -abs) >> 31; }

    /**
     * The bits of a float {@code PB} such that every parameter with {@code |p| > PB}, times {@code decay}, absorbs an
     * update computed from a moment below 2^-112, or -1 when there is none (eps or decay not positive, a step that
     * is not finite).
     */
    static int bound(float step, float eps, float decay) {
        if (!(eps > 0) || !(decay > 0) || !Float.isFinite(step)) return -1;
        // |fl(step * m)| <= |step| 2^-112 (1 + 2^-23) + 2^-149, divided by denom >= eps with one more rounding;
        // ulp(p) / 2 >= |p| 2^-25, and |fl(p * decay)| >= |p| decay (1 - 2^-24). Generous factors, in double
        double u = (Math.abs((double) step) * 0x1p-112 * 1.001 + 0x1p-149) / eps * 1.001 + 0x1p-149;
        double pb = u * 0x1p25 * 1.001 / decay * 1.001;
        return pb < Float.MAX_VALUE ? Float.floatToRawIntBits(Math.nextUp((float) pb)) : -1;
    }

    /**
     * The bits of the moment below which the plain loop meets subnormal arithmetic: a subnormal moment, or a product
     * {@code step * m} below 2^-126 (the road itself works up to 2^-112). Opening the road for runs whose moments are
     * merely below 2^-112 cost more than it saved (a road is ~3x a plain run without subnormals).
     */
    static int trigger(float step) {
        double limit = Math.min(0x1p-112, 0x1p-126 / Math.abs((double) step));
        return Float.floatToRawIntBits((float) limit);
    }

    /** Nonzero when a run's moments {@code m[0, n)} hold a nonzero value below the float of bits {@code limit}. */
    static int small(float[] m, int n, int limit) {
        int acc = 0;
        for (int i = 0; i < n; i++) acc |= below(FloatBits.get(m, i) & ABS, limit);
        return acc;
    }

    /** Counts the probes; racy increments are harmless, it only alternates the road a probe takes. */
    private static int probes;

    /**
     * What a probing run's first {@link #PROBE} elements do, {@link #TAKE} or {@link #LEAVE} in turn: they go
     * through {@link #adam} even when nothing in them is tiny (its results are exact for any run), and every other
     * time {@link #adam} then declines them for the plain loop. C2 compiles from the profile it sees, and a branch
     * never taken there becomes a trap that throws the compiled code away when it is first taken: moments turn tiny
     * only hundreds of steps into training, and those two deoptimisations (of the plain loop's method, then of this
     * one's) cost the MLP benchmark's first epoch ~300 ms, more than the road saves. With one short probe per thread
     * per parameter and step every branch is in the profile from the first steps on, at the price of a few
     * microseconds a step (a whole run per probe cost the first 100 steps 1-1.5 ms each while the JIT warmed up).
     */
    static int probe() { return (probes++ & 1) == 0 ? TAKE : LEAVE; }

    /** The elements a probe sends through {@link #adam}. */
    static final int PROBE = 64;

    /** What {@link #adam} does with a run: decide by its moments, take it, or decline it after its first pass. */
    static final int FREE = 0, TAKE = 1, LEAVE = -1;

    /**
     * Adam without amsgrad and without L2 weight decay on one run, {@code x} = param, grad, exp_avg, exp_avg_sq as
     * {@link OptimKernels} holds them; false (nothing written) when the run needs the plain loop. The operations on
     * every lane that is not tiny are the plain loop's, in its order. {@code forced} {@link #LEAVE} declines the run
     * after the first pass (see {@link #probe}).
     */
    static boolean adam(float[][] x, int n, Road road, float decay, boolean maximize, float b1, float b2, float c1,
                        float c2, float bc2, float eps, float step, int forced) {
        int pb = road.bound();
        float[] p = x[0], g = x[1], m = x[2], v = x[3];
        float[][] s = SCRATCH.get();
        float[] k = s[0], mc = s[1], mt = s[2], keep = s[3];
        FloatBits.check(n, p, g, m);
        FloatBits.check(n, v, k, mc);
        FloatBits.check(n, mt, keep, keep);
        // C2 17 vectorises these passes only as separate loops over few arrays: as two loops, the first pass took
        // 2.5 us per 1024 elements instead of 0.6, and the last 2.7 instead of 0.8
        // which lanes leave p as it is: a moment below 2^-112 with a zero gradient stays below it; p must absorb
        int bad = forced;                                    // negative: decline
        for (int i = 0; i < n; i++) {
            int ma = FloatBits.get(m, i) & ABS;
            int zeroGrad = ((FloatBits.get(g, i) & ABS) - 1) >> 31;
            int absorbs = (pb - (FloatBits.get(p, i) & ABS)) >> 31; // |p| > PB (or NaN, which stays NaN)
            int skip = below(ma, SMALL_BITS) & zeroGrad & absorbs;
            bad |= below(ma, NORMAL_BITS) & ~skip;           // a tiny moment with a gradient, or a tiny p
            FloatBits.put(keep, i, ~skip & 0x3f800000);      // 1 or 0
        }
        if (bad < 0) return false;
        // 2^23 + k for the tiny lanes, and their moment as -0 for the plain operations
        for (int i = 0; i < n; i++) {
            int mb = FloatBits.get(m, i), tiny = below(mb & ABS, NORMAL_BITS);
            FloatBits.put(k, i, TWO23_BITS | (mb & 0x007fffff));
            FloatBits.put(mc, i, mb & ~tiny | SIGN & tiny);
        }
        for (int i = 0; i < n; i++) k[i] = Math.fma(k[i] - TWO23, b1, TWO23); // 2^23 + RNE(k * b1)
        // m * b1 for the tiny lanes (the sign of m on a zero too), -0 elsewhere
        for (int i = 0; i < n; i++) {
            int mb = FloatBits.get(m, i), tiny = below(mb & ABS, NORMAL_BITS);
            FloatBits.put(mt, i, (FloatBits.get(k, i) - TWO23_BITS | mb & SIGN) & tiny | SIGN & ~tiny);
        }
        // the plain loop's operations; a tiny lane's z is g * c1, a signed zero, so z + mt is fma(g, c1, m * b1)
        // there and z + -0, z itself, everywhere else; skipped lanes add step * 0 / denom to p
        for (int i = 0; i < n; i++) {
            float pi = p[i] * decay;                         // p.mul_(1 - lr * wd)
            float gi = maximize ? -g[i] : g[i];              // grad.neg()
            float z = Math.fma(gi, c1, mc[i] * b1);          // exp_avg.mul_(b1).add_(grad, 1 - b1)
            float vi = Math.fma(c2 * gi, gi, v[i] * b2);     // exp_avg_sq.mul_(b2).addcmul_(grad, grad, 1 - b2)
            float denom = (float) Math.sqrt(vi) / bc2 + eps; // sqrt().div_(bc2).add_(eps)
            p[i] = pi + step * (z * keep[i]) / denom;        // p.addcdiv_(exp_avg, denom, -step_size)
            m[i] = z;
            v[i] = vi;
        }
        // an add with a subnormal operand takes no assist (a multiply or fma does)
        for (int i = 0; i < n; i++) m[i] += mt[i];
        return true;
    }
}
