package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/** gather, scatter, index_select, index_add, sort and nonzero on the CPU. */
final class Indexing {
    private Indexing() {}

    private static int[] zeroAt(int[] strides, int dim) {
        int[] s = strides.clone();
        s[dim] = 0;
        return s;
    }

    private static long checkIndex(String op, long idx, int size, int dim) {
        if (idx < 0 || idx >= size) {
            throw new IndexOutOfBoundsException(op + ": index " + idx + " is out of bounds for dimension "
                    + dim + " with size " + size);
        }
        return idx;
    }

    static void gather(View in, int dim, View index, View out) {
        View inZ = in.with(index.shape(), zeroAt(in.strides(), dim), in.offset());
        StridedIter it = new StridedIter(index.shape(), out, index, inZ);
        CpuBuffer ib = buf(in), xb = buf(index), ob = buf(out);
        DType t = in.dtype();
        int size = in.shape()[dim], dimStride = in.strides()[dim];
        int so = it.innerStride(0), sx = it.innerStride(1), si = it.innerStride(2);
        // over the threads, and float32 (the usual case: a loss picking its targets, sort's values) element by
        // element without the dtype switch through double (64K elements: 0.59 ms, PyTorch 0.07)
        boolean f32 = t == DType.FLOAT32;
        if (f32 && sx == 1) {
            // a contiguous run of indices read in bulk and checked at once, the picked floats gathered into an array and
            // written in bulk where the output's run is contiguous; where the run picks from one contiguous row along dim
            // (a gather over the last dim) not much longer than the run, that row copied in bulk and indexed as an array,
            // since a buffer's get per element costs more than the copy. 64 picks from each of 1024 rows of 1024, two
            // threads: 0.35 -> 0.19-0.32 ms (PyTorch 0.07-0.10)
            boolean fromRow = si == 0 && dimStride == 1;
            Parallel.range(it.total, CpuBackend.GRAIN, (s, e) -> {
                float[][] rowOf = {null};
                it.forRange(s, e, (off, n) -> {
                    Chunks.Scratch sc = Chunks.scratch();
                    long[] ix = sc.l0;
                    float[] vals = sc.f0;
                    float[] row = null;
                    if (fromRow && size <= 16L * n && size <= 1 << 20) {   // rows held in an array: 4 MB at most
                        if (rowOf[0] == null || rowOf[0].length < size) rowOf[0] = new float[size];
                        row = rowOf[0];
                        ib.f.get(off[2], row, 0, size);
                    }
                    for (int c = 0; c < n; c += Chunks.SIZE) {
                        int len = Math.min(Chunks.SIZE, n - c);
                        xb.l.get(off[1] + c, ix, 0, len);
                        long bad = 0;
                        for (int i = 0; i < len; i++) bad |= ix[i] | (size - 1 - ix[i]);
                        if (bad < 0) for (int i = 0; i < len; i++) checkIndex("gather", ix[i], size, dim);
                        if (row != null) {
                            for (int i = 0; i < len; i++) vals[i] = row[(int) ix[i]];
                        } else {
                            int base = off[2] + c * si;
                            for (int i = 0; i < len; i++) vals[i] = ib.f.get(base + i * si + (int) ix[i] * dimStride);
                        }
                        if (so == 1) ob.f.put(off[0] + c, vals, 0, len);
                        else for (int i = 0; i < len; i++) ob.f.put(off[0] + (c + i) * so, vals[i]);
                    }
                });
            });
            return;
        }
        Parallel.range(it.total, CpuBackend.GRAIN, (s, e) -> it.forRange(s, e, (off, n) -> {
            for (int i = 0; i < n; i++) {
                long idx = checkIndex("gather", xb.l.get(off[1] + i * sx), size, dim);
                int src = off[2] + i * si + (int) idx * dimStride;
                if (f32) ob.f.put(off[0] + i * so, ib.f.get(src));
                else if (t.isIntegral()) Chunks.putL(ob, t, off[0] + i * so, Chunks.getL(ib, t, src));
                else Chunks.putD(ob, t, off[0] + i * so, Chunks.getD(ib, t, src));
            }
        }));
    }

    static void scatter(View out, int dim, View index, View src, boolean accumulate) {
        String op = accumulate ? "scatter_add" : "scatter";
        int size = out.shape()[dim], dimStride = out.strides()[dim];
        CpuBuffer ob = buf(out), xb = buf(index), sb = buf(src);
        // validate every index first so a bad one leaves the target untouched
        StridedIter check = new StridedIter(index.shape(), index);
        int cx = check.innerStride(0);
        check.forRange(0, check.total, (off, n) -> {
            for (int i = 0; i < n; i++) checkIndex(op, xb.l.get(off[0] + i * cx), size, dim);
        });
        View outZ = out.with(index.shape(), zeroAt(out.strides(), dim), out.offset());
        StridedIter it = new StridedIter(index.shape(), outZ, index, src);
        DType t = out.dtype(), st = src.dtype();
        int so = it.innerStride(0), sx = it.innerStride(1), ss = it.innerStride(2);
        it.forRange(0, it.total, (off, n) -> {
            for (int i = 0; i < n; i++) {
                int dst = off[0] + i * so + (int) xb.l.get(off[1] + i * sx) * dimStride;
                int s = off[2] + i * ss;
                if (t.isIntegral()) {
                    long v = Chunks.getL(sb, st, s);
                    Chunks.putL(ob, t, dst, accumulate ? Chunks.getL(ob, t, dst) + v : v);
                } else {
                    double v = Chunks.getD(sb, st, s);
                    Chunks.putD(ob, t, dst, accumulate ? Chunks.getD(ob, t, dst) + v : v);
                }
            }
        });
    }

    private static long[] indices(String op, View index, int size, int dim) {
        long[] idx = new long[index.shape()[0]];
        CpuBuffer xb = buf(index);
        for (int i = 0; i < idx.length; i++) {
            idx[i] = checkIndex(op, xb.l.get(index.offset() + i * index.strides()[0]), size, dim);
        }
        return idx;
    }

    private static View slice(View v, int dim, long i) {
        int nd = v.dim();
        int[] s = new int[nd - 1], st = new int[nd - 1];
        for (int d = 0, j = 0; d < nd; d++) {
            if (d == dim) continue;
            s[j] = v.shape()[d];
            st[j++] = v.strides()[d];
        }
        return v.with(s, st, v.offset() + (int) i * v.strides()[dim]);
    }

    static void indexSelect(CpuBackend backend, View in, int dim, View index, View out) {
        long[] idx = indices("index_select", index, in.shape()[dim], dim);
        if (dim == 0 && in.dtype() == out.dtype() && in.isContiguous() && out.isContiguous() && idx.length > 0) {
            // whole rows (a batch gathered from a data set, an embedding lookup): one memory copy each
            int size = in.dtype().byteSize();
            long row = out.numel() / idx.length;
            CpuBuffer ib = buf(in), ob = buf(out);
            Parallel.range(idx.length, Math.max(1, CpuBackend.GRAIN / Math.max(1, row)), (s, e) -> {
                for (int i = (int) s; i < e; i++) {
                    ob.data.put((int) ((out.offset() + i * row) * size), ib.data, (int) ((in.offset() + idx[i] * row) * size),
                            (int) (row * size));
                }
            });
            return;
        }
        if (in.dtype() == out.dtype() && in.isContiguous() && out.isContiguous() && idx.length > 0 && selectInRows(in, dim, idx, out)) return;
        Parallel.range(idx.length, Math.max(1, CpuBackend.GRAIN / Math.max(1, out.numel() / Math.max(1, idx.length))),
                (s, e) -> {
                    for (int i = (int) s; i < e; i++) backend.copy(slice(in, dim, idx[i]), slice(out, dim, i));
                });
    }

    /**
     * index_select over a later dim of contiguous tensors seen as {@code [outer, n, inner]}: each of the {@code outer}
     * rows of {@code n * inner} elements read in bulk into an array, its selected elements (or blocks of {@code inner})
     * picked there, the row of {@code idx.length * inner} written in bulk. One strided copy per index before (a flip
     * over the last dim of [1024, 1024], an image flipped left to right: 9 ms, PyTorch 0.5). For elements of 4 and 8
     * bytes (float32, int32, float64, int64), moved as ints (an 8-byte element as two), so their bits as they are;
     * false leaves the others to the copies.
     */
    private static boolean selectInRows(View in, int dim, long[] idx, View out) {
        int size = in.dtype().byteSize();
        if (size != 4 && size != 8) return false;
        int words = size / 4;  // ints per element
        int[] shape = in.shape();
        long innerL = words;
        for (int d = dim + 1; d < shape.length; d++) innerL *= shape[d];
        long rowL = innerL * shape[dim], outRowL = innerL * idx.length;
        if (rowL > (1 << 20) || outRowL > (1 << 20)) return false; // rows held in arrays: a few MB at most
        int inner = (int) innerL, row = (int) rowL, outRow = (int) outRowL;
        long outer = in.numel() * words / Math.max(1, rowL);
        CpuBuffer ib = buf(in), ob = buf(out);
        int inOff = in.offset() * words, outOff = out.offset() * words;
        Parallel.range(outer, Math.max(1, CpuBackend.GRAIN / Math.max(1, row)), (s, e) -> {
            int[] src = new int[row], dst = new int[outRow];
            for (long o = s; o < e; o++) {
                ib.i.get(inOff + (int) (o * row), src, 0, row);
                for (int i = 0, at = 0; i < idx.length; i++, at += inner) {
                    int from = (int) idx[i] * inner;
                    if (inner == 1) {
                        dst[at] = src[from];
                    } else if (inner == 2) {
                        dst[at] = src[from];
                        dst[at + 1] = src[from + 1];
                    } else {
                        System.arraycopy(src, from, dst, at, inner);
                    }
                }
                ob.i.put(outOff + (int) (o * outRow), dst, 0, outRow);
            }
        });
        return true;
    }

    static void indexAdd(CpuBackend backend, View out, int dim, View index, View src) {
        long[] idx = indices("index_add", index, out.shape()[dim], dim);
        for (int i = 0; i < idx.length; i++) {
            View o = slice(out, dim, idx[i]);
            backend.binary(BinaryOp.ADD, o, slice(src, dim, i), o);
        }
    }

    static void sort(View in, boolean descending, View values, View indices) {
        int rows = in.shape()[0], len = in.shape()[1];
        CpuBuffer ib = buf(in), vb = buf(values), xb = buf(indices);
        DType t = in.dtype();
        if (t == DType.FLOAT32) {
            sortFloats(in, descending, values, indices);
            return;
        }
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, len)), (s, e) -> {
            double[] key = new double[len];
            long[] keyL = new long[len];
            Integer[] order = new Integer[len];
            for (int r = (int) s; r < e; r++) {
                int base = in.offset() + r * in.strides()[0];
                for (int j = 0; j < len; j++) {
                    order[j] = j;
                    int p = base + j * in.strides()[1];
                    if (t.isIntegral()) keyL[j] = Chunks.getL(ib, t, p);
                    else key[j] = Chunks.getD(ib, t, p);
                }
                // NaN sorts above every number, as in torch.sort; the sort is stable
                java.util.Comparator<Integer> cmp = t.isIntegral()
                        ? (x, y) -> Long.compare(keyL[x], keyL[y])
                        : (x, y) -> Double.compare(key[x] == 0 ? 0.0 : key[x], key[y] == 0 ? 0.0 : key[y]);
                java.util.Arrays.sort(order, descending ? cmp.reversed() : cmp);
                int vo = values.offset() + r * values.strides()[0], xo = indices.offset() + r * indices.strides()[0];
                for (int j = 0; j < len; j++) {
                    int src = order[j];
                    if (t.isIntegral()) Chunks.putL(vb, t, vo + j * values.strides()[1], keyL[src]);
                    else Chunks.putD(vb, t, vo + j * values.strides()[1], key[src]);
                    xb.l.put(xo + j * indices.strides()[1], src);
                }
            }
        });
    }

    /**
     * {@link #sort} for float32 rows: each element becomes one long, its value's order in the high half and its index in
     * the low half, and the longs are sorted as primitives (the general path sorts boxed indices through a comparator:
     * 64 rows of 1000 took 20 ms, PyTorch 2.3). The same order: NaN above every number, -0 equal to +0, equal values in
     * their original order (ascending and descending alike), since the index decides between equal halves.
     */
    private static void sortFloats(View in, boolean descending, View values, View indices) {
        sortedFloats(in, in.shape()[1], descending, values, indices);
    }

    /**
     * The first {@code k} of each float32 row in {@link #sortFloats}'s order, for {@code topk}: the packed longs are
     * partitioned around the k-th (quickselect, linear) and only those k sorted (64 rows of 1000, k = 5: a full sort
     * took 3.1 ms, PyTorch 0.08). Packed values are distinct (the index is part of them), so the k are exactly the
     * sort's first k, in its order.
     */
    static void topkFloats(View in, int k, boolean largest, View values, View indices) {
        sortedFloats(in, k, largest, values, indices);
    }

    /** Up to this many of a row, {@code topk} keeps them in one pass ({@link #smallest}) instead of a quickselect. */
    private static final int FEW = 32;

    /** Writes the first {@code k} of each row in the order described at {@link #sortFloats}. */
    private static void sortedFloats(View in, int k, boolean descending, View values, View indices) {
        int rows = in.shape()[0], len = in.shape()[1];
        CpuBuffer ib = buf(in), vb = buf(values), xb = buf(indices);
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, len)), (s, e) -> {
            float[] row = new float[len];
            int[] keys = new int[len];
            boolean few = k < len && k <= FEW;
            long[] packed = new long[few ? k : len];
            for (int r = (int) s; r < e; r++) {
                Chunks.readF(ib, in.offset() + r * in.strides()[0], in.strides()[1], len, row);
                keys(row, keys, len, descending);
                if (few) {
                    smallest(keys, len, k, packed);
                } else {
                    for (int j = 0; j < len; j++) packed[j] = ((long) keys[j] << 32) | j;
                    if (k < len) select(packed, k);
                    java.util.Arrays.sort(packed, 0, k);
                }
                int vo = values.offset() + r * values.strides()[0], xo = indices.offset() + r * indices.strides()[0];
                int vs = values.strides()[1], xs = indices.strides()[1];
                for (int j = 0; j < k; j++) {
                    int src = (int) packed[j];
                    vb.f.put(vo + j * vs, row[src]);
                    xb.l.put(xo + j * xs, src);
                }
            }
        });
    }


    /**
     * {@code keys[j]}: ints ordered as the floats {@code row[j]} are (one zero, one NaN, above every number; reversed
     * when descending). Through the floats' bits in a loop C2 vectorises where {@link FloatBits} is on (per element with
     * {@code Float.floatToIntBits} and a branch for zero: 2.7-3 us per row of 1000, longer than the selection).
     */
    private static void keys(float[] row, int[] keys, int n, boolean descending) {
        int flip = descending ? -1 : 0;
        if (FloatBits.ON) {
            java.util.Objects.checkFromIndexSize(0, n, Math.min(row.length, keys.length));
            for (int j = 0; j < n; j++) {
                int bits = FloatBits.get(row, j), mag = bits & 0x7FFFFFFF;
                int nan = (0x7F800000 - mag) >> 31;                            // all ones for a NaN
                bits = (bits & ~nan | 0x7FC00000 & nan) & -((mag + 0x7FFFFFFF) >>> 31);  // one NaN; both zeros 0
                keys[j] = bits ^ (bits >> 31 & 0x7FFFFFFF) ^ flip;
            }
        } else {
            for (int j = 0; j < n; j++) {
                float v = row[j];
                int bits = v == 0 ? 0 : Float.floatToIntBits(v);
                keys[j] = bits ^ (bits >> 31 & 0x7FFFFFFF) ^ flip;
            }
        }
    }

    /**
     * The {@code k} smallest of {@code keys[0..n)}, equal keys by index, into {@code out[0..k)} packed as
     * {@code key << 32 | index} and sorted: one pass that keeps them sorted and compares each later key with the largest
     * kept, which on most rows it is not below (a predicted branch; a random row of 1000 inserts about
     * {@code k ln(n / k)} times). The quickselect's partitions branch unpredictably on every element: 64 rows of 1000,
     * k = 5, took 0.36-0.58 ms against PyTorch's 0.08-0.12. A later key equal to a kept one stays out, as its index is larger.
     */
    private static void smallest(int[] keys, int n, int k, long[] out) {
        for (int j = 0; j < k; j++) out[j] = ((long) keys[j] << 32) | j;
        java.util.Arrays.sort(out, 0, k);
        int largest = (int) (out[k - 1] >> 32);
        for (int j = k; j < n; j++) {
            int v = keys[j];
            if (v < largest) {
                long packed = ((long) v << 32) | j;
                int p = k - 1;
                while (p > 0 && out[p - 1] > packed) {
                    out[p] = out[p - 1];
                    p--;
                }
                out[p] = packed;
                largest = (int) (out[k - 1] >> 32);
            }
        }
    }

    /** Rearranges distinct {@code a} so that its {@code k} smallest come first (in any order); {@code 0 < k < a.length}. */
    private static void select(long[] a, int k) {
        int lo = 0, hi = a.length - 1;
        while (hi > lo) {
            int mid = (lo + hi) >>> 1;
            // median of three as the pivot, so sorted or reversed rows stay linear
            long x = a[lo], y = a[mid], z = a[hi];
            long pivot = Math.max(Math.min(x, y), Math.min(Math.max(x, y), z));
            int i = lo, j = hi;
            while (i <= j) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i <= j) {
                    long t = a[i];
                    a[i++] = a[j];
                    a[j--] = t;
                }
            }
            // now a[lo..j] <= pivot <= a[i..hi], and j < i
            if (k - 1 <= j) hi = j;
            else if (k - 1 >= i) lo = i;
            else return;
        }
    }

    static long countNonzero(View in) {
        CpuBuffer ib = buf(in);
        StridedIter it = new StridedIter(in.shape(), in);
        int st = it.innerStride(0);
        long[] count = {0};
        double[] chunk = new double[Chunks.SIZE];
        it.forRange(0, it.total, (off, n) -> {
            for (int c = 0; c < n; c += Chunks.SIZE) {
                int len = Math.min(Chunks.SIZE, n - c);
                Chunks.readD(ib, in.dtype(), off[0] + c * st, st, len, chunk);
                for (int i = 0; i < len; i++) if (chunk[i] != 0) count[0]++;
            }
        });
        return count[0];
    }

    static void nonzero(View in, View out) {
        CpuBuffer ib = buf(in), ob = buf(out);
        int nd = in.dim();
        int[] shape = in.shape();
        long total = in.numel();
        int[] idx = new int[nd];
        int row = 0;
        for (long p = 0; p < total; p++) {
            int off = in.offset();
            for (int d = 0; d < nd; d++) off += idx[d] * in.strides()[d];
            if (Chunks.getD(ib, in.dtype(), off) != 0) {
                for (int d = 0; d < nd; d++) ob.l.put(out.offset() + row * nd + d, idx[d]);
                row++;
            }
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }
}
