package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.OptimStep;
import dev.kindling.backend.View;

import java.nio.FloatBuffer;

/**
 * The fused FLOAT32 optimizer updates of {@link OptimStep}: one pass over each parameter instead of five to
 * nine passes and their temporaries. Every line mirrors one tensor op of the optimizer's composite path
 * (named in the comment), with the scalars rounded to float exactly where the composite rounds them, so
 * both paths give the same bits. Runs of 1024 elements are copied into heap arrays, where C2 vectorises
 * the arithmetic (it does not vectorise loops over direct buffers), and split over the threads.
 */
final class OptimKernels {
    private OptimKernels() {}

    private static final int SIZE = Chunks.SIZE;
    private static final int MAX_OPERANDS = 5;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[MAX_OPERANDS][SIZE]);

    /**
     * One optimizer's arithmetic on a run of {@code len} elements of each operand, copied into heap arrays;
     * {@code probe} marks the first run of each thread's range (see {@link TinyMoments#probe}).
     */
    private interface Kernel { void apply(float[][] x, int len, boolean probe); }

    static boolean run(OptimStep step, View... t) {
        for (View v : t) if (v.dtype() != DType.FLOAT32) return false;
        FloatBuffer[] bufs = new FloatBuffer[t.length];
        int[] offs = new int[t.length];
        for (int j = 0; j < t.length; j++) {
            bufs[j] = CpuBackend.buf(t[j]).f;
            offs[j] = t[j].offset();
        }
        // one kernel object per optimizer, called through an interface: each kernel is compiled on its own,
        // so a program that runs Adam first does not leave SGD on a path specialised (and trapped) for Adam
        Kernel k;
        if (step instanceof OptimStep.Adam a) {
            TinyMoments.Road road = TinyMoments.road(a);
            k = (x, len, probe) -> adam(a, x, len, probe, road);
        }
        else if (step instanceof OptimStep.Sgd g) k = (x, len, probe) -> sgd(g, x, len);
        else k = (x, len, probe) -> rmsProp((OptimStep.RmsProp) step, x, len);
        Parallel.range(t[0].numel(), CpuBackend.GRAIN, (s, e) -> chunks(bufs, offs, s, e, k));
        return true;
    }

    private static void chunks(FloatBuffer[] bufs, int[] offs, long s, long e, Kernel k) {
        float[][] x = SCRATCH.get();
        for (long c = s; c < e; c += SIZE) {
            int len = (int) Math.min(SIZE, e - c);
            for (int j = 0; j < bufs.length; j++) bufs[j].get(offs[j] + (int) c, x[j], 0, len);
            k.apply(x, len, c == s);
            // the gradient (operand 1) is read only
            for (int j = 0; j < bufs.length; j++) if (j != 1) bufs[j].put(offs[j] + (int) c, x[j], 0, len);
        }
    }

    /** {@code road}: {@link TinyMoments#road} of {@code a}, or null for the plain loop alone. */
    static void adam(OptimStep.Adam a, float[][] x, int n, boolean probe, TinyMoments.Road road) {
        float[] p = x[0], g = x[1], m = x[2], v = x[3], mx = a.amsgrad() ? x[4] : null;
        float decay = (float) a.decay(), wd = (float) a.weightDecay(), b1 = (float) a.beta1(), b2 = (float) a.beta2();
        float c1 = (float) (1 - a.beta1()), c2 = (float) (1 - a.beta2()), bc2 = (float) a.biasCorrection2Sqrt();
        float eps = (float) a.eps(), step = (float) a.negStepSize();
        boolean maximize = a.maximize(), l2 = a.weightDecay() != 0;
        // moments decayed into subnormals: the same bits without the microcode assists, on the whole run or, when
        // probing, on a short prefix (see TinyMoments.probe)
        int from = 0;
        if (road != null) {
            int forced = probe ? TinyMoments.probe() : TinyMoments.FREE, end = probe ? Math.min(n, TinyMoments.PROBE) : n;
            if ((TinyMoments.small(m, end, road.trigger()) | forced) != 0
                    && TinyMoments.adam(x, end, road, decay, maximize, b1, b2, c1, c2, bc2, eps, step, forced)) {
                from = end;
            }
        }
        for (int i = from; i < n; i++) {
            float pi = p[i], gi = g[i];
            pi = pi * decay;                                 // p.mul_(1 - lr * wd); exact for Adam's 1
            if (maximize) gi = -gi;                          // grad.neg()
            if (l2) gi = Math.fma(pi, wd, gi);               // grad.add(p, wd)
            float mi = Math.fma(gi, c1, m[i] * b1);          // exp_avg.mul_(b1).add_(grad, 1 - b1)
            float vi = Math.fma(c2 * gi, gi, v[i] * b2);     // exp_avg_sq.mul_(b2).addcmul_(grad, grad, 1 - b2)
            float second = vi;
            if (mx != null) {
                second = Math.max(mx[i], vi);                // max_exp_avg_sq.maximum_(exp_avg_sq)
                mx[i] = second;
            }
            float denom = (float) Math.sqrt(second) / bc2 + eps; // sqrt().div_(bc2).add_(eps)
            p[i] = pi + step * mi / denom;                   // p.addcdiv_(exp_avg, denom, -step_size)
            m[i] = mi;
            v[i] = vi;
        }
    }

    private static void sgd(OptimStep.Sgd s, float[][] x, int n) {
        float[] p = x[0], g = x[1], buf = s.momentum() != 0 ? x[2] : null;
        float wd = (float) s.weightDecay(), mom = (float) s.momentum(), keep = (float) (1 - s.dampening());
        float lr = (float) -s.lr();
        boolean l2 = s.weightDecay() != 0, maximize = s.maximize(), nesterov = s.nesterov(), first = s.firstStep();
        // the usual settings in loops without branches, which C2 vectorises (the general loop below stays scalar);
        // the same operations as the general loop, hence the same bits
        if (!l2 && !maximize && !nesterov && !first) {
            if (buf == null) {
                for (int i = 0; i < n; i++) p[i] = Math.fma(g[i], lr, p[i]);
            } else {
                for (int i = 0; i < n; i++) {
                    float b = Math.fma(g[i], keep, buf[i] * mom);
                    buf[i] = b;
                    p[i] = Math.fma(b, lr, p[i]);
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            float pi = p[i], d = maximize ? -g[i] : g[i];   // grad.neg()
            if (l2) d = Math.fma(pi, wd, d);                 // d_p.add(p, wd)
            if (buf != null) {
                float b = first ? d : Math.fma(d, keep, buf[i] * mom); // clone() or buf.mul_(m).add_(d_p, 1 - damp)
                buf[i] = b;
                d = nesterov ? Math.fma(b, mom, d) : b;     // d_p.add(buf, m) or buf
            }
            p[i] = Math.fma(d, lr, pi);                      // p.add_(d_p, -lr)
        }
    }

    private static void rmsProp(OptimStep.RmsProp r, float[][] x, int n) {
        boolean momentum = r.momentum() > 0, centered = r.centered();
        float[] p = x[0], g = x[1], sq = x[2], buf = momentum ? x[3] : null, ga = centered ? x[momentum ? 4 : 3] : null;
        float wd = (float) r.weightDecay(), alpha = (float) r.alpha(), c = (float) (1 - r.alpha());
        float eps = (float) r.eps(), mom = (float) r.momentum(), lr = (float) -r.lr();
        boolean l2 = r.weightDecay() != 0, maximize = r.maximize();
        for (int i = 0; i < n; i++) {
            float pi = p[i], gi = maximize ? -g[i] : g[i];  // grad.neg()
            if (l2) gi = Math.fma(pi, wd, gi);               // grad.add(p, wd)
            float si = Math.fma(c * gi, gi, sq[i] * alpha);  // square_avg.mul_(alpha).addcmul_(grad, grad, 1 - alpha)
            sq[i] = si;
            float avg;
            if (ga != null) {
                float ai = Math.fma(gi, c, ga[i] * alpha);   // grad_avg.mul_(alpha).add_(grad, 1 - alpha)
                ga[i] = ai;
                avg = (float) Math.sqrt(Math.fma(-1f * ai, ai, si)); // square_avg.addcmul(ga, ga, -1).sqrt_()
            } else {
                avg = (float) Math.sqrt(si);                 // square_avg.sqrt()
            }
            avg = avg + eps;                                 // avg.add_(eps)
            if (buf != null) {
                float b = buf[i] * mom + 1f * gi / avg;      // buf.mul_(m).addcdiv_(grad, avg, 1)
                buf[i] = b;
                p[i] = Math.fma(b, lr, pi);                  // p.add_(buf, -lr)
            } else {
                p[i] = pi + lr * gi / avg;                   // p.addcdiv_(grad, avg, -lr)
            }
        }
    }
}
