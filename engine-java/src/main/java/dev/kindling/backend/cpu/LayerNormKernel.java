package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * Layer normalization over the rows of a contiguous {@code [rows, n]} tensor, forward and backward, in double per row
 * and rounded once (float32 and float64). It replaces a composite of ten ops (mean, var, sub, add, rsqrt, mul, mul,
 * add, and their backward chain), each a pass over the batch with its own result: a [64, 512] forward took 0.19-0.25 ms
 * that way, against PyTorch's 0.03.
 *
 * <p>The weight and bias gradients are sums over the rows; they are summed per block of rows (at least {@link #BLOCK},
 * at most about 256 blocks), and the blocks' sums added in order, so the result does not depend on the number of threads.
 */
final class LayerNormKernel {
    private LayerNormKernel() {}

    /** Rows per partial sum of the weight and bias gradients, at least. */
    private static final int BLOCK = 32;

    /**
     * {@code y = (x - mean) * rstd * weight + bias} per row of {@code n}, {@code mean} and {@code rstd = 1 / sqrt(var + eps)}
     * (biased variance, two passes) written per row; {@code weight} and {@code bias} ({@code [n]}) may be null.
     */
    static void forward(View x, int n, View weight, View bias, double eps, View y, View mean, View rstd) {
        int rows = (int) (x.numel() / n);
        boolean f32 = x.dtype() == DType.FLOAT32;
        if (f32) {
            forwardFloat(x, n, rows, weight, bias, eps, y, mean, rstd);
            return;
        }
        double[] w = weight == null ? null : read(weight, n), b = bias == null ? null : read(bias, n);
        CpuBuffer xb = buf(x), yb = buf(y), mb = buf(mean), rb = buf(rstd);
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / (4L * n)), (s, e) -> {
            double[] row = new double[n];
            float[] scratch = f32 ? new float[n] : null;
            for (int r = (int) s; r < e; r++) {
                Pooling.readPlane(xb, f32, x.offset() + r * n, row, scratch);
                double mu = dot(row, null, n) / n;
                for (int i = 0; i < n; i++) row[i] -= mu;
                double inv = 1.0 / Math.sqrt(dot(row, row, n) / n + eps);
                for (int i = 0; i < n; i++) row[i] *= inv;
                if (w != null) for (int i = 0; i < n; i++) row[i] *= w[i];
                if (b != null) for (int i = 0; i < n; i++) row[i] += b[i];
                Pooling.writePlane(yb, f32, y.offset() + r * n, row, scratch);
                put(mb, f32, mean.offset() + r, mu);
                put(rb, f32, rstd.offset() + r, inv);
            }
        });
    }

    /**
     * {@link #forward} for float32: the mean and the variance summed in double, the normalisation and the affine map in
     * float, as PyTorch's kernel computes them, in loops C2 vectorises (in double, with a conversion per element on the
     * way in and out, a [64, 512] batch took twice as long).
     */
    private static void forwardFloat(View x, int n, int rows, View weight, View bias, double eps, View y, View mean, View rstd) {
        float[] w = weight == null ? null : new float[n], b = bias == null ? null : new float[n];
        if (w != null) buf(weight).f.get(weight.offset(), w, 0, n);
        if (b != null) buf(bias).f.get(bias.offset(), b, 0, n);
        CpuBuffer xb = buf(x), yb = buf(y), mb = buf(mean), rb = buf(rstd);
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / (4L * n)), (s, e) -> {
            float[] row = new float[n], t = new float[n], u = new float[n];
            for (int r = (int) s; r < e; r++) {
                xb.f.get(x.offset() + r * n, row, 0, n);
                // the mean in two floats, m + c: x - m is exact for x near m, and the float mean alone would shift every
                // value by up to half its ulp (3e-5 for data around 1000)
                double mu = Reductions.sum(row, n) / n;       // in double: exact enough for any offset of the data
                float m = (float) mu, c = (float) (mu - m);
                for (int i = 0; i < n; i++) row[i] = row[i] - m - c;
                double inv = 1.0 / Math.sqrt(sumOfSquares(row, t, u, n) / n + eps);
                float k = (float) inv;
                for (int i = 0; i < n; i++) row[i] *= k;
                if (w != null) for (int i = 0; i < n; i++) row[i] *= w[i];
                if (b != null) for (int i = 0; i < n; i++) row[i] += b[i];
                yb.f.put(y.offset() + r * n, row, 0, n);
                mb.f.put(mean.offset() + r, m);
                rb.f.put(rstd.offset() + r, k);
            }
        });
    }

    /**
     * The sum of the squares of the centred {@code d[0 .. n)}, pairwise in float: halves added elementwise (the upper
     * half copied aside first, so each loop reads two arrays and C2 vectorises it), 0.3 ns an element where a double
     * accumulation with its conversions took 0.85. Pairwise, the error stays within a few float ulps of the sum; the
     * values are centred, so none is lost to an offset. {@code t} and {@code u} are scratch of {@code n}.
     */
    private static double sumOfSquares(float[] d, float[] t, float[] u, int n) {
        for (int j = 0; j < n; j++) t[j] = d[j] * d[j];
        int m = n;
        while (m > 32) {
            if ((m & 1) != 0) t[0] += t[--m];
            int h = m >> 1;
            System.arraycopy(t, h, u, 0, h);
            for (int j = 0; j < h; j++) t[j] += u[j];
            m = h;
        }
        double s = 0;
        for (int j = 0; j < m; j++) s += t[j];
        return s;
    }

    /**
     * The gradients of {@link #forward} from {@code gy}: with {@code xhat = (x - mean) rstd} and {@code g = gy * weight},
     * {@code gx = rstd (g - mean(g) - xhat mean(g xhat))} per row, {@code gw = sum over rows of gy xhat},
     * {@code gb = sum over rows of gy}. {@code gx}, {@code gw} and {@code gb} may each be null (not wanted).
     */
    static void backward(View x, int n, View mean, View rstd, View weight, View gy, View gx, View gw, View gb) {
        int rows = (int) (x.numel() / n);
        boolean f32 = x.dtype() == DType.FLOAT32;
        double[] w = weight == null ? null : read(weight, n);
        CpuBuffer xb = buf(x), gyb = buf(gy), mb = buf(mean), rb = buf(rstd), gxb = gx == null ? null : buf(gx);
        // at most ~256 blocks (their partial sums are n doubles each), at least BLOCK rows a block; rows alone decide
        int block = Math.max(BLOCK, (rows + 255) / 256), blocks = (rows + block - 1) / block;
        boolean params = gw != null || gb != null;
        double[][] pw = params ? new double[blocks][] : null, pb = params ? new double[blocks][] : null;
        Parallel.range(blocks, Math.max(1, CpuBackend.GRAIN / (8L * n * block)), (s, e) -> {
            double[] xh = new double[n], g = new double[n];
            float[] scratch = f32 ? new float[n] : null;
            for (int blk = (int) s; blk < e; blk++) {
                double[] sw = params ? new double[n] : null, sb = params ? new double[n] : null;
                for (int r = blk * block; r < Math.min(rows, (blk + 1) * block); r++) {
                    Pooling.readPlane(xb, f32, x.offset() + r * n, xh, scratch);
                    Pooling.readPlane(gyb, f32, gy.offset() + r * n, g, scratch);
                    double mu = get(mb, f32, mean.offset() + r), inv = get(rb, f32, rstd.offset() + r);
                    for (int i = 0; i < n; i++) xh[i] = (xh[i] - mu) * inv;
                    if (params) {
                        for (int i = 0; i < n; i++) sw[i] += g[i] * xh[i];
                        for (int i = 0; i < n; i++) sb[i] += g[i];
                    }
                    if (gxb == null) continue;
                    if (w != null) for (int i = 0; i < n; i++) g[i] *= w[i];
                    double mg = dot(g, null, n) / n, mgx = dot(g, xh, n) / n;
                    for (int i = 0; i < n; i++) g[i] = inv * (g[i] - mg - xh[i] * mgx);
                    Pooling.writePlane(gxb, f32, gx.offset() + r * n, g, scratch);
                }
                if (params) {
                    pw[blk] = sw;
                    pb[blk] = sb;
                }
            }
        });
        if (gw != null) write(gw, total(pw, n));
        if (gb != null) write(gb, total(pb, n));
    }

    /** The blocks' partial sums added in block order. */
    private static double[] total(double[][] partials, int n) {
        double[] t = new double[n];
        for (double[] p : partials) for (int i = 0; i < n; i++) t[i] += p[i];
        return t;
    }

    /**
     * The sum of {@code a[i] * b[i]} ({@code b} null: of {@code a[i]}) in four accumulators, so that the additions overlap
     * (one accumulator waits on each addition: 1.3 ns an element, the kernel's slowest loop).
     */
    private static double dot(double[] a, double[] b, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        if (b == null) {
            for (; i + 4 <= n; i += 4) {
                s0 += a[i];
                s1 += a[i + 1];
                s2 += a[i + 2];
                s3 += a[i + 3];
            }
            for (; i < n; i++) s0 += a[i];
        } else {
            for (; i + 4 <= n; i += 4) {
                s0 += a[i] * b[i];
                s1 += a[i + 1] * b[i + 1];
                s2 += a[i + 2] * b[i + 2];
                s3 += a[i + 3] * b[i + 3];
            }
            for (; i < n; i++) s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double[] read(View v, int n) {
        double[] out = new double[n];
        boolean f32 = v.dtype() == DType.FLOAT32;
        Pooling.readPlane(buf(v), f32, v.offset(), out, f32 ? new float[n] : null);
        return out;
    }

    private static void write(View v, double[] values) {
        boolean f32 = v.dtype() == DType.FLOAT32;
        Pooling.writePlane(buf(v), f32, v.offset(), values, f32 ? new float[values.length] : null);
    }

    private static double get(CpuBuffer b, boolean f32, int at) { return f32 ? b.f.get(at) : b.d.get(at); }

    private static void put(CpuBuffer b, boolean f32, int at, double v) {
        if (f32) b.f.put(at, (float) v);
        else b.d.put(at, v);
    }
}
