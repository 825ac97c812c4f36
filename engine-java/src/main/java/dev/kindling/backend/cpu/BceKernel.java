package dev.kindling.backend.cpu;

/**
 * {@code binary_cross_entropy}'s elementwise loss on probabilities over float32 chunks, forward and backward, each step
 * rounded to float as the ops it replaces round it: {@code t.mul(x.log()).add(t.rsub(1).mul(x.rsub(1).log())).neg()}
 * and that composite's gradient. The logs are {@link FastLog}'s, the op's own (bit for bit {@code (float) Math.log}).
 * Only for inputs whose every element lies inside (0, 1) with {@code x (1 - x) >= 1e-12}, where PyTorch's clamps do
 * not apply: the forward reports the other cases, which the caller composes.
 */
final class BceKernel {
    private BceKernel() {}

    /**
     * What {@link #forward} found: every element inside, some on the boundary or NaN, some outside [0, 1]; over several
     * chunks the largest counts (an element out of range is an error whatever else there is).
     */
    static final int INSIDE = 0, BOUNDARY = 1, OUT_OF_RANGE = 2;

    private static final float EPSILON = 1e-12f;

    /** The forward's two log arrays, per thread. */
    private static final ThreadLocal<float[][]> SPARE = ThreadLocal.withInitial(() -> new float[2][Chunks.SIZE]);

    /** {@code r = -(t log x + (1 - t) log(1 - x))}; returns {@link #INSIDE}, or what else it found in {@code x}. */
    static int forward(float[] x, float[] t, float[] r, int n) {
        FloatBits.check(n, x, t, r);
        int found = INSIDE;
        for (int i = 0; i < n; i++) {
            float v = x[i];
            if (v < 0 || v > 1) return OUT_OF_RANGE;
            // x.mul(x.rsub(1)).ge(1e-12): false for NaN
            if (!(v * (1f - v) >= EPSILON)) found = BOUNDARY;
        }
        if (found != INSIDE) return found;
        float[][] spare = SPARE.get();
        float[] logX = spare[0], logRest = spare[1];
        for (int i = 0; i < n; i++) r[i] = 1f - x[i];
        FastLog.log(x, logX, n);
        FastLog.log(r, logRest, n);
        for (int i = 0; i < n; i++) r[i] = -(t[i] * logX[i] + (1f - t[i]) * logRest[i]);
        return INSIDE;
    }

    /**
     * The gradient into {@code g}: with {@code h = -g}, {@code (h t) / x + -((h (1 - t)) / (1 - x))}, the two paths of
     * the composite's graph to x (through {@code log x} and through {@code 1 - x}) added.
     */
    static void backward(float[] g, float[] x, float[] t, int n) {
        FloatBits.check(n, g, x, t);
        for (int i = 0; i < n; i++) {
            float h = -g[i], xi = x[i], ti = t[i];
            g[i] = h * ti / xi + -(h * (1f - ti) / (1f - xi));
        }
    }
}
