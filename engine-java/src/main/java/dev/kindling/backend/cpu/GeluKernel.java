package dev.kindling.backend.cpu;

/**
 * The exact GELU over float32 chunks, forward and backward, each step rounded to float as the ops it replaces round it
 * ({@code x.mul(x.mul(1 / sqrt 2).erf().add(1)).mul(0.5)} and that composite's gradient), so the bits are the ops'.
 * The erf is {@link ErfKernel}'s (bit for bit {@code (float) erf}); the gradient's exponential is left to the caller,
 * which runs the ops' own exp between {@link #negSquare} and {@link #backward}.
 */
final class GeluKernel {
    private GeluKernel() {}

    /** The scalars the ops multiply by, rounded to float as a float tensor's scalar operand is. */
    static final float C = (float) (1 / Math.sqrt(2)), K = (float) (2 / Math.sqrt(Math.PI));

    /** {@code s = erf(x C) + 1} and {@code r = (x s) 0.5}; {@code x}, {@code r} and {@code s} distinct. */
    static void forward(float[] x, float[] r, float[] s, int n) {
        FloatBits.check(n, x, r, s);
        for (int i = 0; i < n; i++) r[i] = x[i] * C;
        FloatsAsDoubles.apply(ErfKernel.ERF, r, s, n);
        for (int i = 0; i < n; i++) {
            float f = s[i] + 1f;
            s[i] = f;
            r[i] = x[i] * f * 0.5f;
        }
    }

    /** {@code o = -(u u)}, {@code u = x C}: the exponent of erf's derivative. */
    static void negSquare(float[] x, float[] o, int n) {
        FloatBits.check(n, x, o, o);
        for (int i = 0; i < n; i++) {
            float u = x[i] * C;
            o[i] = -(u * u);
        }
    }

    /**
     * The gradient into {@code g}: {@code h = g 0.5}, {@code h s + (((h x) e) K) C}, where {@code x} holds the input,
     * {@code e} the exponential of {@link #negSquare}'s result; {@code x} is overwritten. Two calls, so that three
     * arrays serve: {@code s} is read in the second.
     */
    static void backwardTail(float[] g, float[] x, float[] e, int n) {
        FloatBits.check(n, g, x, e);
        for (int i = 0; i < n; i++) {
            float h = g[i] * 0.5f;
            g[i] = h;
            x[i] = h * x[i] * e[i] * K * C;
        }
    }

    /** {@code g = g s + t}: {@code g} the halved gradient, {@code t} {@link #backwardTail}'s second result. */
    static void backward(float[] g, float[] s, float[] t, int n) {
        FloatBits.check(n, g, s, t);
        for (int i = 0; i < n; i++) g[i] = g[i] * s[i] + t[i];
    }
}
