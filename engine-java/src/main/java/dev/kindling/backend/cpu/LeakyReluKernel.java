package dev.kindling.backend.cpu;

/**
 * LeakyReLU over float32 chunks, forward and backward, with the bits of the ops it replaces
 * ({@code where(x > 0, x, x.mul(slope))} and that composite's gradient, zeros' signs included). The choices between
 * the branches are bit masks where {@link FloatBits} is on (a branch per element, mispredicted on random signs, costs
 * more than the arithmetic), plain selects where it is off.
 */
final class LeakyReluKernel {
    private LeakyReluKernel() {}

    /** {@code r = x > 0 ? x : x slope} ({@code x} NaN: {@code x slope}, as the ops' where picks it). */
    static void forward(float[] x, float[] r, float slope, int n) {
        FloatBits.check(n, x, r, r);
        for (int i = 0; i < n; i++) r[i] = x[i] * slope;
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
     * The gradient into {@code g}: {@code t + u slope}, {@code t = x > 0 ? g : +0} and {@code u = x > 0 ? +0 : g} where's
     * two gradients, {@code u}'s through the product with the slope; {@code u} is scratch.
     */
    static void backward(float[] g, float[] x, float[] u, float slope, int n) {
        FloatBits.check(n, g, x, u);
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) {
                boolean p = x[i] > 0;
                u[i] = p ? 0f : g[i];
                g[i] = p ? g[i] : 0f;
            }
        } else {
            for (int i = 0; i < n; i++) {
                int m = FloatBits.positiveMask(FloatBits.get(x, i)), gb = FloatBits.get(g, i);
                FloatBits.put(u, i, gb & ~m);
                FloatBits.put(g, i, gb & m);
            }
        }
        for (int i = 0; i < n; i++) g[i] = g[i] + u[i] * slope;
    }
}
