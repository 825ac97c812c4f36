package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.GRAIN;
import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * Reductions: the input is split into kept and reduced dimensions; each output element walks its reduced
 * block with a {@link StridedIter}. Many outputs are spread over threads; a single large output (a full
 * sum) is split into partial sums instead. Floating sums accumulate in double.
 */
final class Reductions {
    private Reductions() {}

    /**
     * C2 vectorises float-to-double conversions from JDK 20 on (JDK-8283091; measured on 25), so a loop that widens and
     * adds at once runs as vectors there: a sum over dim 0 of [1024, 1024] 390-455 -> 284-288 us on JDK 25. On JDK 17
     * the same loop stays scalar and was slower than a conversion pass followed by a vectorised add (620 -> 680-710).
     * From 21, the first long-term release after the change, since 20 itself was not measured here.
     */
    private static final boolean WIDENING_VECTORISED = Runtime.version().feature() >= 21;

    private record Split(int[] keptShape, int[] keptIn, int[] keptOut, int[] redShape, int[] redIn,
                         long outCount, long redCount) {
        static Split of(View in, boolean[] reduced, View out) {
            int nd = in.dim(), nk = 0;
            for (boolean r : reduced) if (!r) nk++;
            int[] ks = new int[nk], ki = new int[nk], ko = new int[nk];
            int[] rs = new int[nd - nk], ri = new int[nd - nk];
            long oc = 1, rc = 1;
            for (int d = 0, a = 0, b = 0; d < nd; d++) {
                if (reduced[d]) {
                    rs[b] = in.shape()[d];
                    ri[b++] = in.strides()[d];
                    rc *= in.shape()[d];
                } else {
                    ks[a] = in.shape()[d];
                    ki[a] = in.strides()[d];
                    ko[a++] = out.strides()[d];
                    oc *= in.shape()[d];
                }
            }
            return new Split(ks, ki, ko, rs, ri, oc, rc);
        }

        /** {input base offset, output offset} of output element {@code o}. */
        void offsets(long o, int inOff, int outOff, int[] res) {
            int a = inOff, b = outOff;
            for (int d = keptShape.length - 1; d >= 0; d--) {
                int i = (int) (o % keptShape[d]);
                o /= keptShape[d];
                a += i * keptIn[d];
                b += i * keptOut[d];
            }
            res[0] = a;
            res[1] = b;
        }
    }

    static void reduce(ReduceOp op, View in, int[] dims, View out) {
        boolean[] reduced = new boolean[in.dim()];
        for (int d : dims) reduced[d] = true;
        Split sp = Split.of(in, reduced, out);
        DType it = in.dtype(), ot = out.dtype();
        CpuBuffer ib = buf(in), ob = buf(out);
        StridedIter rit = new StridedIter(sp.redShape, in.with(sp.redShape, sp.redIn, 0));
        int rst = rit.innerStride(0);
        boolean exactInt = it.isIntegral() && op != ReduceOp.ANY && op != ReduceOp.ALL;
        long grain = Math.max(1, GRAIN / Math.max(1, sp.redCount));
        if (exactInt) {
            Parallel.range(sp.outCount, grain, (s, e) -> {
                int[] off = new int[2];
                long[] chunk = Chunks.scratch().l0;
                for (long o = s; o < e; o++) {
                    sp.offsets(o, in.offset(), out.offset(), off);
                    int base = off[0];
                    long[] acc = {op == ReduceOp.PROD ? 1 : op == ReduceOp.MAX ? Long.MIN_VALUE
                            : op == ReduceOp.MIN ? Long.MAX_VALUE : 0};
                    rit.forRange(0, sp.redCount, (ro, n) -> {
                        for (int c = 0; c < n; c += Chunks.SIZE) {
                            int len = Math.min(Chunks.SIZE, n - c);
                            Chunks.readL(ib, it, base + ro[0] + c * rst, rst, len, chunk);
                            acc[0] = accumulate(op, acc[0], chunk, len);
                        }
                    });
                    Chunks.putL(ob, ot, off[1], acc[0]);
                }
            });
            return;
        }
        // many columns: row by row (few columns, or one full sum, keep the threads' split below)
        if (op == ReduceOp.SUM && it.isFloatingPoint() && sp.outCount >= 64 && leadingOnly(reduced)
                && in.isContiguous() && out.isContiguous()) {
            sumLeading(in, out, sp.redCount, (int) sp.outCount);
            return;
        }
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && it == DType.FLOAT32 && out.dtype() == DType.FLOAT32
                && sp.outCount >= 64 && leadingOnly(reduced) && in.isContiguous() && out.isContiguous()) {
            extremeLeading(in, out, sp.redCount, (int) sp.outCount, op == ReduceOp.MAX);
            return;
        }
        double identity = switch (op) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        if (sp.outCount >= Parallel.threads() || sp.redCount < 2 * GRAIN) {
            Parallel.range(sp.outCount, grain, (s, e) -> {
                int[] off = new int[2];
                double[] chunk = Chunks.scratch().d0;
                for (long o = s; o < e; o++) {
                    sp.offsets(o, in.offset(), out.offset(), off);
                    double v = block(op, identity, ib, it, rit, rst, off[0], 0, sp.redCount, chunk);
                    Chunks.putD(ob, ot, off[1], v);
                }
            });
        } else {
            int[] off = new int[2];
            for (long o = 0; o < sp.outCount; o++) {
                sp.offsets(o, in.offset(), out.offset(), off);
                int base = off[0];
                // a float32 sum of many elements: four double accumulators instead of one, so the additions
                // overlap instead of waiting on each other (4x); exact to well below float32's precision
                boolean lanes = op == ReduceOp.SUM && it == DType.FLOAT32;
                double v = Parallel.reduce(sp.redCount, GRAIN,
                        (s, e) -> lanes ? sum4(ib, it, rit, rst, base, s, e, Chunks.scratch().d0)
                                : block(op, identity, ib, it, rit, rst, base, s, e, Chunks.scratch().d0),
                        (x, y) -> combine(op, x, y));
                Chunks.putD(ob, ot, off[1], v);
            }
        }
    }

    /** True when the reduced dimensions are the leading ones (a bias gradient: the sum over the batch). */
    private static boolean leadingOnly(boolean[] reduced) {
        boolean kept = false;
        for (boolean r : reduced) {
            if (r && kept) return false;
            if (!r) kept = true;
        }
        return true;
    }

    /**
     * Sums {@code rows} contiguous rows of {@code cols} elements into {@code cols} outputs, row after row into
     * a block of double accumulators: the same additions in the same order as walking each column on its own
     * (so the same bits), but reading memory in order, with loops the JIT vectorises.
     */
    private static void sumLeading(View in, View out, long rows, int cols) {
        CpuBuffer ib = buf(in), ob = buf(out);
        DType it = in.dtype(), ot = out.dtype();
        // split by columns (each column's additions stay in order), down to 256 columns a thread
        Parallel.range(cols, Math.max(256, GRAIN / Math.max(1, rows)), (s, e) -> {
            Chunks.Scratch sc = Chunks.scratch();
            double[] acc = sc.d1, row = sc.d0;
            float[] w = sc.f0;
            for (long c0 = s; c0 < e; c0 += Chunks.SIZE) {
                int len = (int) Math.min(Chunks.SIZE, e - c0);
                java.util.Arrays.fill(acc, 0, len, 0.0);
                for (long r = 0; r < rows; r++) {
                    int from = (int) (in.offset() + r * cols + c0);
                    if (it == DType.FLOAT32 && WIDENING_VECTORISED) {
                        // widened as they are added: one pass over the row instead of a conversion pass and an add pass
                        ib.f.get(from, w, 0, len);
                        for (int j = 0; j < len; j++) acc[j] += w[j];
                    } else {
                        Chunks.readD(ib, it, from, 1, len, row);
                        for (int j = 0; j < len; j++) acc[j] += row[j];
                    }
                }
                Chunks.writeD(ob, ot, (int) (out.offset() + c0), 1, len, acc);
            }
        });
    }

    /**
     * The largest (smallest) of each column of {@code rows} contiguous float32 rows of {@code cols}, row after row into
     * a block of float accumulators, with {@link #extremeRow}'s choices per column (the first NaN, the first of equal
     * values), reading memory in order: amax over dim 0 of [1024, 1024] read each column with a stride of 1024 and
     * through double (3-4 ms, PyTorch 0.1-0.2).
     */
    private static void extremeLeading(View in, View out, long rows, int cols, boolean max) {
        CpuBuffer ib = buf(in), ob = buf(out);
        Parallel.range(cols, Math.max(256, GRAIN / Math.max(1, rows)), (s, e) -> {
            Chunks.Scratch sc = Chunks.scratch();
            float[] acc = sc.f1, row = sc.f0;
            for (long c0 = s; c0 < e; c0 += Chunks.SIZE) {
                int len = (int) Math.min(Chunks.SIZE, e - c0);
                java.util.Arrays.fill(acc, 0, len, max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
                for (long r = 0; r < rows; r++) {
                    ib.f.get((int) (in.offset() + r * cols + c0), row, 0, len);
                    // a NaN replaces anything but a NaN ("not at or below" is true of it); an equal value keeps the first
                    if (max) {
                        for (int j = 0; j < len; j++) {
                            float v = row[j], a = acc[j];
                            if (!(v <= a) && a == a) acc[j] = v;
                        }
                    } else {
                        for (int j = 0; j < len; j++) {
                            float v = row[j], a = acc[j];
                            if (!(v >= a) && a == a) acc[j] = v;
                        }
                    }
                }
                ob.f.put((int) (out.offset() + c0), acc, 0, len);
            }
        });
    }

    private static double sum4(CpuBuffer ib, DType it, StridedIter rit, int rst, int base, long start, long end,
                               double[] chunk) {
        double[] acc = new double[4];
        rit.forRange(start, end, (ro, n) -> {
            for (int c = 0; c < n; c += Chunks.SIZE) {
                int len = Math.min(Chunks.SIZE, n - c);
                Chunks.readD(ib, it, base + ro[0] + c * rst, rst, len, chunk);
                double s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3];
                int i = 0;
                for (; i + 3 < len; i += 4) {
                    s0 += chunk[i];
                    s1 += chunk[i + 1];
                    s2 += chunk[i + 2];
                    s3 += chunk[i + 3];
                }
                for (; i < len; i++) s0 += chunk[i];
                acc[0] = s0;
                acc[1] = s1;
                acc[2] = s2;
                acc[3] = s3;
            }
        });
        return (acc[0] + acc[1]) + (acc[2] + acc[3]);
    }

    private static double block(ReduceOp op, double identity, CpuBuffer ib, DType it, StridedIter rit, int rst,
                                int base, long start, long end, double[] chunk) {
        if (rit.shape.length == 1) {
            // the reduced dims merge into one run (a softmax row, a column): walk it without the iterator's
            // per-call objects, which cost more than the work for short rows; the same order, so the same bits
            double acc = identity;
            int from = base + rit.offsets[0] + (int) start * rst;
            if (op == ReduceOp.SUM && it == DType.FLOAT32 && rst == 1) return sumRow(ib, from, (int) (end - start));
            if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && it == DType.FLOAT32) {
                return extremeRow(ib, from, rst, end - start, op == ReduceOp.MAX);
            }
            for (long c = 0, n = end - start; c < n; c += Chunks.SIZE) {
                int len = (int) Math.min(Chunks.SIZE, n - c);
                Chunks.readD(ib, it, from + (int) c * rst, rst, len, chunk);
                acc = accumulate(op, acc, chunk, len);
            }
            return acc;
        }
        double[] acc = {identity};
        rit.forRange(start, end, (ro, n) -> {
            for (int c = 0; c < n; c += Chunks.SIZE) {
                int len = Math.min(Chunks.SIZE, n - c);
                Chunks.readD(ib, it, base + ro[0] + c * rst, rst, len, chunk);
                acc[0] = accumulate(op, acc[0], chunk, len);
            }
        });
        return acc[0];
    }

    /**
     * The sum of {@code n} contiguous floats in double over eight accumulators, element {@code i} into accumulator
     * {@code i % 8} and the last {@code n % 8} into the first, combined pairwise: the order of the softmax row
     * kernel's sum ({@code FastExp.shiftedExpSum}), so a softmax written as ops gives the fused kernel's bits. One
     * accumulator made every addition wait for the one before (a [1024, 1024] sum over dim 1: 0.8 ms, PyTorch 0.1);
     * the float result is the same unless the double sums straddle a rounding boundary.
     */
    private static double sumRow(CpuBuffer ib, int from, int n) {
        float[] w = Chunks.scratch().f0;
        double[] acc = new double[8];
        int full = n - n % 8; // chunks of Chunks.SIZE (a multiple of 8) keep every element in its accumulator
        for (int c = 0; c < full; c += Chunks.SIZE) {
            int len = Math.min(Chunks.SIZE, full - c);
            ib.f.get(from + c, w, 0, len);
            addEight(w, len, acc);
        }
        for (int i = full; i < n; i++) acc[0] += ib.f.get(from + i);
        return totalOfEight(acc);
    }

    /**
     * The largest (or smallest) of {@code n} float32 elements {@code stride} apart, with {@link #extreme}'s choices
     * (a conversion to double per element and a branch on NaN made amax over the rows of [1024, 1024] take 1.8 ms,
     * PyTorch 0.1).
     */
    private static double extremeRow(CpuBuffer ib, int from, int stride, long n, boolean max) {
        float[] w = Chunks.scratch().f0;
        float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (long c = 0; c < n && best == best; c += Chunks.SIZE) {
            int len = (int) Math.min(Chunks.SIZE, n - c);
            Chunks.readF(ib, from + (int) c * stride, stride, len, w);
            best = extreme(w, len, best, max);
        }
        return best;
    }

    /**
     * The largest (or smallest) of {@code best} and {@code x[0..n)}: the first NaN as soon as one is seen, else the
     * first of equal values (so the first of two zeros), as a loop of comparisons in double chooses. One predicted
     * branch an element: "not at or below the best" is also true of NaN, and after the first few elements a new best
     * is rare. {@code Math.max} compiles into a chain of dependent blends (1.07 against 0.55 us per 1000 floats), and a
     * second test for NaN on every element not above the best made the loop twice as slow.
     */
    static float extreme(float[] x, int n, float best, boolean max) {
        if (max) {
            for (int i = 0; i < n; i++) {
                float v = x[i];
                if (!(v <= best)) {
                    if (v != v) return v;
                    best = v;
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                float v = x[i];
                if (!(v >= best)) {
                    if (v != v) return v;
                    best = v;
                }
            }
        }
        return best;
    }

    /**
     * Adds {@code x[0..len)}, {@code len} a multiple of 8, to eight double accumulators: element {@code i} into
     * {@code acc[i % 8]}. The order of float32 row sums and of the softmax row kernel's sum.
     */
    static void addEight(float[] x, int len, double[] acc) {
        double s0 = acc[0], s1 = acc[1], s2 = acc[2], s3 = acc[3], s4 = acc[4], s5 = acc[5], s6 = acc[6], s7 = acc[7];
        for (int i = 0; i < len; i += 8) {
            s0 += x[i];
            s1 += x[i + 1];
            s2 += x[i + 2];
            s3 += x[i + 3];
            s4 += x[i + 4];
            s5 += x[i + 5];
            s6 += x[i + 6];
            s7 += x[i + 7];
        }
        acc[0] = s0;
        acc[1] = s1;
        acc[2] = s2;
        acc[3] = s3;
        acc[4] = s4;
        acc[5] = s5;
        acc[6] = s6;
        acc[7] = s7;
    }

    /**
     * The sum of {@code x[0..n)} in double, in {@link #addEight}'s order (the tail past the last multiple of 8 into the
     * first accumulator): a float32 row's sum, the softmax row's, a layer norm row's mean.
     */
    static double sum(float[] x, int n) {
        double[] acc = new double[8];
        int full = n - n % 8;
        addEight(x, full, acc);
        for (int i = full; i < n; i++) acc[0] += x[i];
        return totalOfEight(acc);
    }

    /** The eight accumulators of {@link #addEight} combined pairwise. */
    static double totalOfEight(double[] acc) {
        return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
    }

    private static double combine(ReduceOp op, double x, double y) {
        return switch (op) {
            case SUM -> x + y;
            case PROD -> x * y;
            case MAX -> x > y || x != x ? x : y;
            case MIN -> x < y || x != x ? x : y;
            case ANY -> x != 0 || y != 0 ? 1 : 0;
            case ALL -> x != 0 && y != 0 ? 1 : 0;
        };
    }

    private static double accumulate(ReduceOp op, double acc, double[] a, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) acc += a[i]; }
            case PROD -> { for (int i = 0; i < n; i++) acc *= a[i]; }
            case MAX -> { for (int i = 0; i < n; i++) { double v = a[i]; if (v > acc || v != v) acc = v; if (acc != acc) break; } }
            case MIN -> { for (int i = 0; i < n; i++) { double v = a[i]; if (v < acc || v != v) acc = v; if (acc != acc) break; } }
            case ANY -> { for (int i = 0; i < n; i++) if (a[i] != 0) { acc = 1; break; } }
            case ALL -> { for (int i = 0; i < n; i++) if (a[i] == 0) { acc = 0; break; } }
        }
        return acc;
    }

    private static long accumulate(ReduceOp op, long acc, long[] a, int n) {
        switch (op) {
            case SUM -> { for (int i = 0; i < n; i++) acc += a[i]; }
            case PROD -> { for (int i = 0; i < n; i++) acc *= a[i]; }
            case MAX -> { for (int i = 0; i < n; i++) acc = Math.max(acc, a[i]); }
            case MIN -> { for (int i = 0; i < n; i++) acc = Math.min(acc, a[i]); }
            default -> throw new IllegalStateException(op.toString());
        }
        return acc;
    }

    static void argReduce(boolean max, View in, int dim, View values, View indices) {
        boolean[] reduced = new boolean[in.dim()];
        reduced[dim] = true;
        Split sp = Split.of(in, reduced, values);
        Split spi = Split.of(in, reduced, indices);
        DType it = in.dtype();
        CpuBuffer ib = buf(in), vb = buf(values), xb = buf(indices);
        int len = in.shape()[dim], stride = in.strides()[dim];
        boolean integral = it.isIntegral();
        Parallel.range(sp.outCount, Math.max(1, GRAIN / Math.max(1, len)), (s, e) -> {
            int[] off = new int[2], offI = new int[2];
            Chunks.Scratch sc = Chunks.scratch();
            for (long o = s; o < e; o++) {
                sp.offsets(o, in.offset(), values.offset(), off);
                spi.offsets(o, in.offset(), indices.offset(), offI);
                long best = -1;
                double bd = 0;
                long bl = 0;
                if (it == DType.FLOAT32) {
                    // in float, one predicted branch an element, as in extreme() (which has no index to track): the
                    // same choice as below
                    float[] f = sc.f0;
                    float bf = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
                    best = 0; // all at the start value (all -inf for max): the first
                    scan:
                    for (int c = 0; c < len; c += Chunks.SIZE) {
                        int n = Math.min(Chunks.SIZE, len - c);
                        Chunks.readF(ib, off[0] + c * stride, stride, n, f);
                        for (int i = 0; i < n; i++) {
                            float v = f[i];
                            if (max ? !(v <= bf) : !(v >= bf)) {
                                bf = v;
                                best = c + i;
                                if (v != v) break scan; // NaN: the first one wins
                            }
                        }
                    }
                    if (len == 0) {
                        best = -1;
                        bf = 0;
                    }
                    vb.f.put(off[1], bf);
                    Chunks.putL(xb, indices.dtype(), offI[1], best);
                    continue;
                }
                for (int c = 0; c < len; c += Chunks.SIZE) {
                    int n = Math.min(Chunks.SIZE, len - c);
                    if (integral) {
                        Chunks.readL(ib, it, off[0] + c * stride, stride, n, sc.l0);
                        for (int i = 0; i < n; i++) {
                            long v = sc.l0[i];
                            if (best < 0 || (max ? v > bl : v < bl)) {
                                bl = v;
                                best = c + i;
                            }
                        }
                    } else {
                        Chunks.readD(ib, it, off[0] + c * stride, stride, n, sc.d0);
                        for (int i = 0; i < n; i++) {
                            double v = sc.d0[i];
                            if (bd != bd && best >= 0) break; // NaN found: it wins
                            if (best < 0 || v != v || (max ? v > bd : v < bd)) {
                                bd = v;
                                best = c + i;
                            }
                        }
                    }
                }
                if (integral) Chunks.putL(vb, values.dtype(), off[1], bl);
                else Chunks.putD(vb, values.dtype(), off[1], bd);
                Chunks.putL(xb, indices.dtype(), offI[1], best);
            }
        });
    }
}
