package dev.kindling.backend.cpu;

/**
 * {@code where(x > 0, ., .)} over float32 chunks, forward and backward, for the activations that are one op (ELU,
 * LeakyReLU): bit masks where {@link FloatBits} is on (a branch per element, mispredicted on random signs, costs more
 * than the arithmetic, and C2 17 leaves float selects scalar), plain selects where it is off. NaN is not above 0.
 */
final class WherePositive {
    private WherePositive() {}

    /** {@code r = x > 0 ? x : r}, every bit of the chosen side kept. */
    static void forward(float[] x, float[] r, int n) {
        FloatBits.check(n, x, r, r);
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) if (x[i] > 0) r[i] = x[i];
            return;
        }
        for (int i = 0; i < n; i++) {
            int b = FloatBits.get(x, i), m = FloatBits.positiveMask(b);
            FloatBits.put(r, i, b & m | FloatBits.get(r, i) & ~m);
        }
    }

    /** where's two gradients from {@code g}: {@code u = x > 0 ? +0 : g} and then {@code g = x > 0 ? g : +0}. */
    static void backward(float[] g, float[] x, float[] u, int n) {
        FloatBits.check(n, g, x, u);
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) {
                boolean p = x[i] > 0;
                u[i] = p ? 0f : g[i];
                g[i] = p ? g[i] : 0f;
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int m = FloatBits.positiveMask(FloatBits.get(x, i)), gb = FloatBits.get(g, i);
            FloatBits.put(u, i, gb & ~m);
            FloatBits.put(g, i, gb & m);
        }
    }
}
