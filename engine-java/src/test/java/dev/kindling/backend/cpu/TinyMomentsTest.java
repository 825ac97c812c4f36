package dev.kindling.backend.cpu;

import dev.kindling.backend.OptimStep;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TinyMoments}' road for Adam against the plain loop it stands in for, bit for bit: runs full of subnormal and
 * small moments, signed zeros, zero and tiny gradients, tiny, zero, infinite and NaN parameters and second moments,
 * every beta1 kind, with and without decoupled decay and maximize, one step at a time and over hundreds of steps of
 * decaying moments (NaN matching any NaN). Each case also counts how often the road was taken, so the comparison
 * cannot pass on the plain loop alone.
 */
class TinyMomentsTest {
    private static final int N = Chunks.SIZE;

    /** {@link OptimKernels}' Adam loop without the road: the definition the road must match. */
    private static void plain(OptimStep.Adam a, float[][] x, int n) {
        float[] p = x[0], g = x[1], m = x[2], v = x[3];
        float decay = (float) a.decay(), b1 = (float) a.beta1(), b2 = (float) a.beta2();
        float c1 = (float) (1 - a.beta1()), c2 = (float) (1 - a.beta2()), bc2 = (float) a.biasCorrection2Sqrt();
        float eps = (float) a.eps(), step = (float) a.negStepSize();
        for (int i = 0; i < n; i++) {
            float pi = p[i] * decay, gi = a.maximize() ? -g[i] : g[i];
            float mi = Math.fma(gi, c1, m[i] * b1);
            float vi = Math.fma(c2 * gi, gi, v[i] * b2);
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            p[i] = pi + step * mi / denom;
            m[i] = mi;
            v[i] = vi;
        }
    }

    private static OptimStep.Adam adam(double lr, double wd, double beta1, double eps, boolean maximize, int t) {
        double bc1 = 1 - Math.pow(beta1, t), bc2 = Math.sqrt(1 - Math.pow(0.999, t));
        return new OptimStep.Adam(1 - lr * wd, maximize, 0, beta1, 0.999, eps, bc2, -lr / bc1, false);
    }

    private static float subnormal(SplittableRandom r) {
        int units = r.nextInt(4) == 0 ? 1 + r.nextInt(8) : 1 + r.nextInt(0x7fffff);
        return Float.intBitsToFloat(units | (r.nextBoolean() ? 0x80000000 : 0));
    }

    /** A value of one of the kinds the road tells apart, {@code normal} scaled for the ordinary lanes. */
    private static float pick(SplittableRandom r, float normal, boolean rare) {
        int kind = r.nextInt(rare ? 12 : 8);
        return switch (kind) {
            case 0, 1, 2 -> subnormal(r);
            case 3 -> (float) (r.nextGaussian() * 0x1p-118);     // normal, below 2^-112
            case 4 -> r.nextBoolean() ? 0f : -0f;
            case 5 -> Float.MIN_NORMAL * (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(3));
            case 8 -> Float.NaN;
            case 9 -> r.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
            case 10 -> (float) (r.nextGaussian() * 1e-30);
            case 11 -> Float.intBitsToFloat(0x7fc00000 | r.nextInt(0x3fffff) | (r.nextBoolean() ? 0x80000000 : 0));
            default -> (float) (r.nextGaussian() * normal);
        };
    }

    /**
     * Fills a run: stretches of small and tiny moments with zero gradients (as a blank pixel's weights have), the
     * other lanes with any kind of gradient and moment; {@code rare} adds infinities and NaN, and a few tiny moments
     * that meet a gradient or a zero parameter (which decline the run).
     */
    private static float[][] run(SplittableRandom r, boolean rare) {
        float[][] x = new float[4][N];
        boolean tinyRun = false;
        for (int i = 0; i < N; i++) {
            if (i % 16 == 0) tinyRun = r.nextInt(3) > 0;
            x[0][i] = r.nextInt(50) == 0 && (rare || !tinyRun) ? pick(r, 0.05f, rare) : (float) (r.nextGaussian() * 0.05);
            x[1][i] = tinyRun ? (r.nextBoolean() ? 0f : -0f) : pick(r, 1e-3f, rare);
            x[2][i] = tinyRun ? pick(r, 1e-4f, rare) : (float) (r.nextGaussian() * 1e-4);
            x[3][i] = r.nextInt(30) == 0 ? pick(r, 1e-8f, rare) : (float) Math.abs(r.nextGaussian() * 1e-8);
            if (rare && tinyRun && r.nextInt(200) == 0) x[1][i] = pick(r, 1e-3f, true);
        }
        return x;
    }

    private static float[][] copy(float[][] x) {
        float[][] y = new float[x.length][];
        for (int j = 0; j < x.length; j++) y[j] = x[j].clone();
        return y;
    }

    private static void assertSameBits(float[][] want, float[][] got, String what) {
        for (int j = 0; j < want.length; j++) {
            for (int i = 0; i < want[j].length; i++) {
                // NaN payloads are not Java's to keep (C2 may swap the operands of an add), so any NaN matches a NaN
                int w = Float.floatToIntBits(want[j][i]), g = Float.floatToIntBits(got[j][i]);
                if (w != g) {
                    throw new AssertionError(what + ": operand " + j + " element " + i + ": want " + want[j][i] + " ("
                            + Integer.toHexString(w) + "), got " + got[j][i] + " (" + Integer.toHexString(g) + ")");
                }
            }
        }
    }

    @Test
    void oneStepMatchesThePlainLoopBitForBit() {
        assumeTrue(TinyMoments.ON, "the road needs FloatBits: " + FloatBits.describe());
        SplittableRandom r = new SplittableRandom(11);
        double[] beta1s = {0.9, 0.0, 0.5, 0.999, 0.7};
        int taken = 0, runs = 0;
        for (int c = 0; c < 600; c++) {
            boolean rare = c % 3 == 0;
            OptimStep.Adam a = adam(c % 4 == 0 ? 1e-2 : 1e-3, c % 5 == 0 ? 0.1 : 0, beta1s[c % beta1s.length],
                    c % 7 == 0 ? 0 : 1e-8, c % 6 == 0, 1 + r.nextInt(2000));
            float[][] x = run(r, rare), want = copy(x), got = copy(x), direct = copy(x);
            int n = c % 9 == 0 ? 1 + r.nextInt(N) : N;
            plain(a, want, n);
            OptimKernels.adam(a, got, n, c % 2 == 0, TinyMoments.road(a));
            assertSameBits(want, got, "run " + c + " (" + a + ", n " + n + ")");
            // the road alone, where it takes the run, must agree too
            TinyMoments.Road road = TinyMoments.road(a);
            boolean took = road != null && TinyMoments.adam(direct, n, road, (float) a.decay(), a.maximize(),
                    (float) a.beta1(), (float) a.beta2(), (float) (1 - a.beta1()), (float) (1 - a.beta2()),
                    (float) a.biasCorrection2Sqrt(), (float) a.eps(), (float) a.negStepSize(), TinyMoments.FREE);
            if (took) {
                taken++;
                assertSameBits(want, direct, "road, run " + c);
            } else {
                assertSameBits(x, direct, "a declined run is left as it was, run " + c);
            }
            runs++;
        }
        // the rare runs are mostly declined, the others taken
        assertTrue(taken > runs / 2, "the road took " + taken + " of " + runs + " runs");
        assertTrue(taken < runs, "no run was declined");
    }

    @Test
    void decayingMomentsOverManyStepsMatchThePlainLoop() {
        assumeTrue(TinyMoments.ON, "the road needs FloatBits: " + FloatBits.describe());
        for (double beta1 : new double[]{0.9, 0.7, 0.5}) {
            SplittableRandom r = new SplittableRandom(3);
            float[][] want = new float[4][N];
            for (int i = 0; i < N; i++) {
                want[0][i] = (float) (r.nextGaussian() * 0.05);
                want[2][i] = (float) (r.nextGaussian() * 1e-2);
                want[3][i] = (float) Math.abs(r.nextGaussian() * 1e-5);
            }
            float[][] got = copy(want);
            int taken = 0, tiny = 0;
            for (int t = 1; t <= 1000; t++) {
                // a quarter of the lanes see a gradient; the others decay, through the subnormals, to their fixed point
                for (int i = 0; i < N; i++) want[1][i] = got[1][i] = i % 4 == 0 ? (float) (r.nextGaussian() * 1e-3) : 0f;
                OptimStep.Adam a = adam(1e-3, t % 2 == 0 ? 0.01 : 0, beta1, 1e-8, false, t);
                plain(a, want, N);
                float[][] before = copy(got);
                OptimKernels.adam(a, got, N, t % 3 == 0, TinyMoments.road(a));
                assertSameBits(want, got, "beta1 " + beta1 + ", step " + t);
                if (TinyMoments.small(before[2], N, TinyMoments.trigger((float) a.negStepSize())) != 0) taken++;
            }
            // 0.9 and 0.7 times the smallest subnormals round back to them; 0.5 times one unit rounds to zero
            for (int i = 0; i < N; i++) if (Math.abs(got[2][i]) < Float.MIN_NORMAL && got[2][i] != 0) tiny++;
            if (beta1 > 0.6) assertTrue(tiny > N / 2, "beta1 " + beta1 + ": only " + tiny + " subnormal moments at the end");
            assertTrue(taken > 40, "beta1 " + beta1 + ": the road was open for " + taken + " steps");
        }
    }

    @Test
    void theBoundKeepsEveryAbsorbedUpdateBelowHalfAnUlp() {
        for (float step : new float[]{-1e-3f, -0.5f, -1e-7f, -30f}) {
            for (float eps : new float[]{1e-8f, 1e-12f, 1e-3f, Float.MIN_VALUE}) {
                for (float decay : new float[]{1f, 0.999f, 1e-6f}) {
                    int pb = TinyMoments.bound(step, eps, decay);
                    if (pb < 0) continue;
                    // the largest update a moment below 2^-112 can give, at the smallest denominator
                    float m = Math.nextDown(0x1p-112f), update = step * m / eps;
                    float p = Math.nextUp(Float.intBitsToFloat(pb)) * decay;
                    assertEquals(p, p + update, () -> "step " + step + " eps " + eps + " decay " + decay);
                    assertEquals(-p, -p + update, () -> "step " + step + " eps " + eps + " decay " + decay);
                }
            }
        }
        assertEquals(-1, TinyMoments.bound(-1e-3f, 0f, 1f));
        assertEquals(-1, TinyMoments.bound(Float.NaN, 1e-8f, 1f));
        assertEquals(-1, TinyMoments.bound(-1e-3f, 1e-8f, 0f));
    }
}
