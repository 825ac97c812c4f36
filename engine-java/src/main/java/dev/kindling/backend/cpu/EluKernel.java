package dev.kindling.backend.cpu;

/**
 * ELU over float32 chunks, forward and backward, each step rounded to float as the ops it replaces round it
 * ({@code where(x > 0, x, x.clampMax(0).expm1().mul(alpha))} and that composite's gradient, zeros' signs included),
 * so the bits are the ops'. The expm1 is {@link Expm1Log1p#EXPM1}'s (bit for bit {@code (float) StrictMath.expm1}).
 * The choices between the branches are {@link WherePositive}'s bit masks, and clamp's mask is one too.
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
        WherePositive.forward(x, r, n);
    }

    /**
     * The gradient into {@code g}: {@code t + ((u alpha) (e + 1)) k}, where {@code t = x > 0 ? g : 0} and {@code u = x > 0
     * ? 0 : g} are where's two gradients and {@code k} clamp's mask ({@code x <= 0}, not NaN) as a float; {@code x} is
     * overwritten.
     */
    static void backward(float[] g, float[] x, float[] e, float alpha, int n) {
        FloatBits.check(n, g, x, e);
        float[] u = SPARE.get();
        WherePositive.backward(g, x, u, n);
        // clamp's mask as a float: 1 where x <= 0 (NaN is not), else 0
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) x[i] = x[i] <= 0 ? 1f : 0f;
        } else {
            for (int i = 0; i < n; i++) {
                int b = FloatBits.get(x, i);
                FloatBits.put(x, i, 0x3f800000 & ~(FloatBits.positiveMask(b) | FloatBits.nanMask(b)));
            }
        }
        for (int i = 0; i < n; i++) g[i] = g[i] + u[i] * alpha * (e[i] + 1f) * x[i];
    }
}
