package dev.kindling.backend.cpu;

/**
 * ELU over float32 chunks, forward and backward, each step rounded to float as the ops it replaces round it
 * ({@code where(x > 0, x, x.clampMax(0).expm1().mul(alpha))} and that composite's gradient, zeros' signs included),
 * so the bits are the ops'. The expm1 is {@link Expm1Log1p#EXPM1}'s (bit for bit {@code (float) StrictMath.expm1}).
 * The choices between the branches are bit masks ({@link FloatBits}; plain selects where it is off): a branch per
 * element, mispredicted on random signs, costs more than the arithmetic, and C2 17 leaves float selects scalar.
 */
final class EluKernel {
    private EluKernel() {}

    /** The gradient's fourth array, per thread. */
    private static final ThreadLocal<float[]> SPARE = ThreadLocal.withInitial(() -> new float[Chunks.SIZE]);

    /** {@code e = expm1(min(x, 0))} and {@code r = x > 0 ? x : e alpha}; the three arrays distinct. */
    static void forward(float[] x, float[] r, float[] e, float alpha, int n) {
        FloatBits.check(n, x, r, e);
        // Math.min(x, 0) is the op's clampMax(0): every zero keeps its sign, NaN stays
        for (int i = 0; i < n; i++) r[i] = Math.min(x[i], 0f);
        FloatsAsDoubles.apply(Expm1Log1p.EXPM1, r, e, n);
        for (int i = 0; i < n; i++) r[i] = e[i] * alpha;
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) if (x[i] > 0) r[i] = x[i];
            return;
        }
        for (int i = 0; i < n; i++) {
            int b = FloatBits.get(x, i), m = FloatBits.positiveMask(b);
            FloatBits.put(r, i, b & m | FloatBits.get(r, i) & ~m);
        }
    }

    /**
     * The gradient into {@code g}: {@code t + ((u alpha) (e + 1)) k}, where {@code t = x > 0 ? g : 0} and {@code u = x > 0
     * ? 0 : g} are where's two gradients and {@code k} clamp's mask ({@code x <= 0}, not NaN) as a float; {@code x} is
     * overwritten.
     */
    static void backward(float[] g, float[] x, float[] e, float alpha, int n) {
        FloatBits.check(n, g, x, e);
        float[] u = SPARE.get();
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) {
                boolean p = x[i] > 0;
                u[i] = p ? 0f : g[i];
                g[i] = p ? g[i] : 0f;
                x[i] = !p && x[i] == x[i] ? 1f : 0f;
            }
        } else for (int i = 0; i < n; i++) {
            int b = FloatBits.get(x, i), m = FloatBits.positiveMask(b), gb = FloatBits.get(g, i);
            FloatBits.put(u, i, gb & ~m);
            FloatBits.put(g, i, gb & m);
            FloatBits.put(x, i, 0x3f800000 & ~m & ~FloatBits.nanMask(b));
        }
        for (int i = 0; i < n; i++) g[i] = g[i] + u[i] * alpha * (e[i] + 1f) * x[i];
    }
}
