package dev.kindling.backend.cpu;

/**
 * LeakyReLU over float32 chunks, forward and backward, with the bits of the ops it replaces
 * ({@code where(x > 0, x, x.mul(slope))} and that composite's gradient, zeros' signs included; the selects are
 * {@link WherePositive}'s).
 */
final class LeakyReluKernel {
    private LeakyReluKernel() {}

    /** {@code r = x > 0 ? x : x slope} ({@code x} NaN: {@code x slope}, as the ops' where picks it). */
    static void forward(float[] x, float[] r, float slope, int n) {
        FloatBits.check(n, x, r, r);
        for (int i = 0; i < n; i++) r[i] = x[i] * slope;
        WherePositive.forward(x, r, n);
    }

    /**
     * The gradient into {@code g}: {@code t + u slope}, {@code t = x > 0 ? g : +0} and {@code u = x > 0 ? +0 : g} where's
     * two gradients, {@code u}'s through the product with the slope; {@code u} is scratch.
     */
    static void backward(float[] g, float[] x, float[] u, float slope, int n) {
        WherePositive.backward(g, x, u, n);
        for (int i = 0; i < n; i++) g[i] = g[i] + u[i] * slope;
    }
}
