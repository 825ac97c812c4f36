package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import java.nio.FloatBuffer;

/**
 * FLOAT32 softmax and log-softmax over any dimension of a contiguous tensor: over the last one row by row in cache
 * ({@link #row}), over the others by blocks of columns ({@link #columns}), or, when few elements follow the
 * dimension, by slabs transposed into rows ({@link #slabs}). The operations of the composite in {@code Reduce} (max,
 * shift, exp, a sum accumulated in double, divide or subtract the log) in the same precision, so the same bits, in
 * one pass instead of six whole-tensor passes and their temporaries. The one liberty is in {@link #slabs}: its rows
 * sum in the row kernel's eight-accumulator order where the composite walks the column in order, which could change a
 * float total only within 2^-53 of a rounding boundary.
 */
final class SoftmaxKernel {
    private SoftmaxKernel() {}

    /** Softmax (or log-softmax) over dimension {@code dim} of a contiguous float32 {@code in}; false leaves it to the op chain. */
    static boolean run(View in, int dim, boolean log, View out) {
        if (!supports(in, out) || !in.isContiguous()) return false;
        java.util.Objects.checkIndex(dim, in.dim());
        if (in.numel() == 0) return true;
        int[] shape = in.shape();
        long inner = 1;
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        int len = shape[dim];
        if (inner == 1) rows(in, len, log, out);
        else if (inner < NARROW && len >= MIN_ROW && (long) len * inner <= MAX_SLAB) slabs(in, len, (int) inner, log, out);
        else if (inner < NARROW && len < MIN_ROW) shortColumns(in, len, (int) inner, log, out);
        else columns(in, len, inner, log, out);
        return true;
    }

    /** True when {@link #run} computes this pair once {@code in} is contiguous: float32, at least one dimension, same shape. */
    static boolean supports(View in, View out) {
        return in.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32 && out.isContiguous() && in.dim() > 0
                && java.util.Arrays.equals(in.shape(), out.shape());
    }

    /** Fewer columns than this go through {@link #slabs}: the column kernel's loops are too short to pay off. */
    private static final int NARROW = 128;
    /** Shorter than this, a column is not worth a row of the row kernel ({@link #shortColumns} instead). */
    private static final int MIN_ROW = 32;
    /** The largest {@code [len, inner]} slab {@link #slabs} transposes on the heap (1 MB, twice per call). */
    private static final long MAX_SLAB = 1 << 18;

    /**
     * Over a dimension of at least 32 followed by few elements ({@code inner < 128}): each {@code [len, inner]} slab is transposed on
     * the heap into {@code inner} rows of {@code len}, which go through the row kernel (in parallel), and transposed
     * back. The rows' sums then take the row kernel's order (see {@link FastExp#shiftedExpSum}). Softmax over dim 0 of
     * [1000, 64]: 0.49-0.53 ms against the column kernel's 0.70-0.91 in alternating processes (there one block on one
     * thread; PyTorch 0.12-0.14).
     */
    private static void slabs(View in, int len, int inner, boolean log, View out) {
        long outer = in.numel() / ((long) len * inner);
        int size = len * inner;
        FloatBuffer ib = CpuBackend.buf(in).f, ob = CpuBackend.buf(out).f;
        // many slabs: one thread per run of slabs; fewer slabs than threads: the rows of each slab split instead
        boolean splitRows = outer < Parallel.threads();
        Parallel.range(outer, splitRows ? outer : Math.max(1, CpuBackend.GRAIN / size), (s, e) -> {
            float[] slab = new float[size], rowsOf = new float[size];
            for (long o = s; o < e; o++) {
                int at = (int) (o * size);
                ib.get(in.offset() + at, slab, 0, size);
                Transpose.of(slab, len, inner, rowsOf);
                Parallel.range(inner, splitRows ? Math.max(1, CpuBackend.GRAIN / len) : inner, (rs, re) -> {
                    Row w = Row.of(len);
                    float[] x = w.x, y = w.y, sh = w.sh, t = w.t;
                    for (long r = rs; r < re; r++) {
                        System.arraycopy(rowsOf, (int) r * len, x, 0, len);
                        if (Simd.on(len)) VectorMath.softmaxRow(x, y, len, log);
                        else row(x, y, sh, t, len, log);
                        System.arraycopy(y, 0, rowsOf, (int) r * len, len);
                    }
                });
                Transpose.of(rowsOf, inner, len, slab);
                ob.put(out.offset() + at, slab, 0, size);
            }
        });
    }

    /**
     * Short columns of few ({@code len < 32}, {@code inner < 128}: dim 1 of [10000, 3, 4]): whole runs of slabs read at
     * once, each column computed element by element ({@link FastExp#expf} is the array kernels' exp, bit for bit), where
     * the column kernel's loops would run over a handful of columns per call.
     */
    private static void shortColumns(View in, int len, int inner, boolean log, View out) {
        int size = len * inner;
        long outer = in.numel() / size;
        FloatBuffer ib = CpuBackend.buf(in).f, ob = CpuBackend.buf(out).f;
        int perTask = Math.max(1, 4096 / size);
        Parallel.range(outer, Math.max(perTask, CpuBackend.GRAIN / (4L * size)), (s, e) -> {
            float[] x = new float[perTask * size], y = new float[perTask * size];
            for (long o0 = s; o0 < e; o0 += perTask) {
                int n = (int) Math.min(perTask, e - o0), at = (int) (o0 * size);
                ib.get(in.offset() + at, x, 0, n * size);
                for (int k = 0; k < n; k++) {
                    for (int j = 0; j < inner; j++) {
                        int first = k * size + j;
                        float m = Float.NEGATIVE_INFINITY;
                        for (int c = 0, i = first; c < len; c++, i += inner) m = Math.max(m, x[i]);
                        float shift = log && Float.isInfinite(m) ? 0f : m;
                        double sum = 0;
                        for (int c = 0, i = first; c < len; c++, i += inner) {
                            float sh = x[i] - shift, ex = FastExp.expf(sh);
                            sum += ex;
                            y[i] = log ? sh : ex;
                        }
                        float total = log ? (float) Math.log((float) sum) : (float) sum;
                        for (int c = 0, i = first; c < len; c++, i += inner) y[i] = log ? y[i] - total : y[i] / total;
                    }
                }
                ob.put(out.offset() + at, y, 0, n * size);
            }
        });
    }

    /** Over the last dimension (or one followed only by dimensions of size 1): contiguous rows of {@code len}. */
    private static void rows(View in, int len, boolean log, View out) {
        long rows = len == 0 ? 0 : in.numel() / len;
        FloatBuffer ib = CpuBackend.buf(in).f, ob = CpuBackend.buf(out).f;
        int inOff = in.offset(), outOff = out.offset();
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, len)), (s, e) -> {
            Row w = Row.of(len);
            float[] x = w.x, y = w.y, sh = w.sh, t = w.t;
            for (long r = s; r < e; r++) {
                ib.get((int) (inOff + r * len), x, 0, len);
                if (Simd.on(len)) VectorMath.softmaxRow(x, y, len, log);
                else row(x, y, sh, t, len, log);
                ob.put((int) (outOff + r * len), y, 0, len);
            }
        });
    }

    /**
     * Over a dimension followed by others, the tensor seen as {@code [outer, len, inner]}: each of the
     * {@code outer * inner} columns of {@code len} elements, {@code inner} apart, is one softmax. A block of up to 512
     * neighbouring columns is handled at once, one index along the dimension at a time, so every loop runs across
     * the block's columns over arrays that start together (C2 vectorises only those): the columns' maxima, then their
     * shifted values and exponentials, summed per column in double in the dimension's order, then the divide (or the
     * log subtracted). The composite's operations in its order (its sum walks a column one element after the other),
     * so below 65,536 elements, where its exp is this one, the same bits (ReduceLayoutTest); above, the composite's
     * exp is oneDNN's, within a few ulp of this one.
     */
    private static void columns(View in, int len, long inner, boolean log, View out) {
        long outer = in.numel() / (len * inner);
        // blocks of up to 512 columns, narrower (down to 64) until there are four blocks per thread
        int width = (int) Math.min(inner, 512);
        while (width > 64 && outer * ((inner + width - 1) / width) < 4L * Parallel.threads()) width /= 2;
        int w0 = width;
        long perOuter = (inner + w0 - 1) / w0, blocks = outer * perOuter;
        FloatBuffer ib = CpuBackend.buf(in).f, ob = CpuBackend.buf(out).f;
        long inOff = in.offset(), outOff = out.offset();
        Parallel.range(blocks, Math.max(1, CpuBackend.GRAIN / Math.max(1, (long) len * w0)), (s, e) -> {
            float[] x = new float[w0], m = new float[w0], shift = new float[w0], sh = new float[w0], ex = new float[w0],
                    t = new float[w0], total = new float[w0];
            double[] sum = new double[w0];
            for (long b = s; b < e; b++) {
                long j0 = (b % perOuter) * w0, base = (b / perOuter) * len * inner + j0;
                int w = (int) Math.min(w0, inner - j0);
                // the maxima, NaN winning (Math.max), as the composite's amax (a compare and select, which passes over
                // NaN, measured 1.7x slower here)
                java.util.Arrays.fill(m, 0, w, Float.NEGATIVE_INFINITY);
                for (int c = 0; c < len; c++) {
                    ib.get((int) (inOff + base + c * inner), x, 0, w);
                    for (int j = 0; j < w; j++) m[j] = Math.max(m[j], x[j]);
                }
                // log_softmax shifts by 0 where the max is infinite, softmax by the max itself (see row())
                for (int j = 0; j < w; j++) shift[j] = log && Float.isInfinite(m[j]) ? 0f : m[j];
                java.util.Arrays.fill(sum, 0, w, 0.0);
                for (int c = 0; c < len; c++) {
                    ib.get((int) (inOff + base + c * inner), x, 0, w);
                    for (int j = 0; j < w; j++) sh[j] = x[j] - shift[j];
                    FastExp.exp(sh, ex, t, w);
                    for (int j = 0; j < w; j++) sum[j] += ex[j];
                    // softmax keeps the exponentials, log_softmax the shifted values, until the sums are known
                    ob.put((int) (outOff + base + c * inner), log ? sh : ex, 0, w);
                }
                for (int j = 0; j < w; j++) total[j] = log ? (float) Math.log((float) sum[j]) : (float) sum[j];
                for (int c = 0; c < len; c++) {
                    int at = (int) (outOff + base + c * inner);
                    ob.get(at, x, 0, w);
                    if (log) for (int j = 0; j < w; j++) x[j] = x[j] - total[j];
                    else for (int j = 0; j < w; j++) x[j] = x[j] / total[j];
                    ob.put(at, x, 0, w);
                }
            }
        });
    }

    /**
     * The gradient over the last dimension (rows of {@code len}) of contiguous float32 tensors in one pass per row, where
     * the autograd node ran three or four whole-tensor ops with their temporaries: softmax {@code y * (g - s)} with
     * {@code s} the row's sum of {@code g * y}, log-softmax {@code g - exp(y) * s} with {@code s} the row's sum of
     * {@code g}. The ops' arithmetic in their order, so their bits: each sum in double over eight accumulators, as the
     * op sums a contiguous row (rows shorter than 65,536: longer ones, alone on the threads, the op splits), rounded to
     * float; {@link FastExp}'s exp, which the op takes below 65,536 elements (above, oneDNN's: left to the ops).
     * False for anything else. A log-softmax over [64, 1000] with its NLL loss, forward and backward: 0.52 -> 0.28 ms
     * with this and the gathered NLL (PyTorch 0.22).
     */
    static boolean backward(View grad, View out, int dim, boolean log, View gradIn) {
        for (View v : new View[]{grad, out, gradIn}) {
            if (v.dtype() != DType.FLOAT32 || !v.isContiguous() || !java.util.Arrays.equals(v.shape(), out.shape())) return false;
        }
        int[] shape = out.shape();
        if (shape.length == 0 || dim != shape.length - 1 || out.numel() == 0) return false;
        int len = shape[dim];
        if (len >= 2 * CpuBackend.GRAIN || (log && out.numel() >= OneDnnPointwise.MIN_ELEMENTS)) return false;
        long rows = out.numel() / len;
        FloatBuffer gb = CpuBackend.buf(grad).f, yb = CpuBackend.buf(out).f, rb = CpuBackend.buf(gradIn).f;
        int gOff = grad.offset(), yOff = out.offset(), rOff = gradIn.offset();
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / len), (s, e) -> {
            Row w = Row.of(len);
            float[] g = w.x, y = w.y, r = w.sh, t = w.t;
            for (long row = s; row < e; row++) {
                int at = (int) (row * len);
                gb.get(gOff + at, g, 0, len);
                yb.get(yOff + at, y, 0, len);
                if (log) {
                    float sum = (float) Reductions.sum(g, len);
                    FastExp.exp(y, r, t, len);
                    for (int k = 0; k < len; k++) r[k] = g[k] - r[k] * sum;
                } else {
                    for (int k = 0; k < len; k++) r[k] = g[k] * y[k];
                    float sum = (float) Reductions.sum(r, len);
                    for (int k = 0; k < len; k++) r[k] = y[k] * (g[k] - sum);
                }
                rb.put(rOff + at, r, 0, len);
            }
        });
        return true;
    }

    /**
     * A thread's arrays for the row kernels ({@link #row}, {@link #backward}): an input row, an output row and two
     * scratch rows, kept for the next call up to {@link #KEPT} floats a row. Four fresh arrays of 1000 floats cost 1.9 us
     * to allocate and zero, more than the row itself (1.2 us): a softmax over [1, 1000] took 5 us, over [64, 1000] a few
     * us more on each thread.
     */
    private static final class Row {
        static final int KEPT = 1 << 16;
        private static final ThreadLocal<Row> KEEP = new ThreadLocal<>();
        final float[] x, y, sh, t;

        private Row(int len) {
            x = new float[len];
            y = new float[len];
            sh = new float[len];
            t = new float[len];
        }

        /** Arrays of at least {@code len} floats, this thread's kept ones when they are long enough. */
        static Row of(int len) {
            if (len > KEPT) return new Row(len);
            Row kept = KEEP.get();
            if (kept == null || kept.x.length < len) KEEP.set(kept = new Row(len));
            return kept;
        }
    }

    /** {@code sh} and {@code t} are scratch: the shifted inputs and the exponents of the two-pass exp. */
    static void row(float[] x, float[] y, float[] sh, float[] t, int n, boolean log) {
        float m = amax(x, n);
        // log_softmax shifts by 0 when the max is infinite (where(isinf(m), 0, m)); softmax by the max itself
        float shift = log && Float.isInfinite(m) ? 0f : m;
        boolean moderate = FastExp.shiftedExp(x, shift, sh, y, t, n);
        float total = (float) Reductions.sum(y, n);
        if (log) {
            float lg = (float) Math.log(total);
            for (int k = 0; k < n; k++) y[k] = sh[k] - lg;
        } else if (moderate) {
            divide(y, n, total);
        } else {
            for (int k = 0; k < n; k++) y[k] = y[k] / total;
        }
    }

    /**
     * {@code y[k] / total}, correctly rounded as the division is, through the reciprocal: {@code q = y * (1 / total)},
     * then one correction {@code q + (y - q total) / total} with the residual exact by a fused multiply-add (Markstein's
     * theorem: with {@code 1 / total} correctly rounded and {@code q} within an ulp, the corrected quotient is the
     * correctly rounded one, barring underflow). Three multiply-adds that C2 vectorises cost a quarter of the divides
     * (0.065 against 0.26 us per 1000 floats). Only for rows whose shifted values all lie in [-40, 40]: every
     * {@code y} then is at least 2^-58 and {@code total} in [1, n], so nothing comes near underflow (checked against the
     * division for every float in [2^-58, 1] over 400 totals in [1, 2^31]).
     */
    static void divide(float[] y, int n, float total) {
        float r = 1f / total;
        for (int k = 0; k < n; k++) {
            float a = y[k], q = a * r;
            y[k] = Math.fma(Math.fma(-q, total, a), r, q);
        }
    }

    /**
     * The largest element, NaN when there is one ({@link Reductions#extreme}). Where a loop of {@code Math.max} would give
     * +0 this may give -0 (a row holding both, -0 first): the outputs are the same, since the shifted zeros only go
     * through exp, or have the log of a sum of at least 2 subtracted.
     */
    private static float amax(float[] x, int n) {
        return Reductions.extreme(x, n, Float.NEGATIVE_INFINITY, true);
    }
}
