package dev.kindling.backend.cpu;

import dev.kindling.backend.View;

/**
 * Walks several equally shaped strided views in row-major order of the shape, one contiguous-in-index
 * "row" (the innermost, coalesced dimension) at a time. Dimensions of size 1 are dropped and dimensions
 * that are contiguous across every operand are merged, so most calls end up with a single long row.
 */
final class StridedIter {
    interface Row { void run(int[] offsets, int n); }

    final int k;
    final int[] shape;
    final int[][] strides; // [dim][operand]
    final int[] offsets;
    final long total;

    StridedIter(int[] shape, View... views) {
        this.k = views.length;
        int[] base = new int[k];
        for (int j = 0; j < k; j++) base[j] = views[j].offset();
        this.offsets = base;
        long t = 1;
        for (int s : shape) t *= s;
        this.total = t;
        // drop size-1 dims, then merge neighbours that are contiguous for every operand
        int m = 0;
        int[] sh = new int[Math.max(1, shape.length)];
        int[][] st = new int[Math.max(1, shape.length)][];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            int[] col = new int[k];
            for (int j = 0; j < k; j++) col[j] = views[j].strides()[d];
            if (m > 0 && mergeable(sh[m - 1], st[m - 1], shape[d], col)) {
                for (int j = 0; j < k; j++) st[m - 1][j] = col[j];
                sh[m - 1] *= shape[d];
            } else {
                sh[m] = shape[d];
                st[m] = col;
                m++;
            }
        }
        if (m == 0) {
            sh[0] = t == 0 ? 0 : 1;
            st[0] = new int[k];
            m = 1;
        }
        this.shape = java.util.Arrays.copyOf(sh, m);
        this.strides = java.util.Arrays.copyOf(st, m);
    }

    private boolean mergeable(int outerSize, int[] outer, int innerSize, int[] inner) {
        // a merged row longer than an int could hold (a broadcast view of 2^32 elements) stays two dims
        if ((long) outerSize * innerSize > Integer.MAX_VALUE) return false;
        for (int j = 0; j < k; j++) if (outer[j] != (long) inner[j] * innerSize) return false;
        return true;
    }

    int innerStride(int operand) { return strides[shape.length - 1][operand]; }

    void forRange(long start, long end, Row row) {
        if (start >= end) return; // empty tensors: a size-0 dim must not reach the index arithmetic below
        int m = shape.length;
        int[] idx = new int[m];
        int[] off = offsets.clone();
        long rem = start;
        for (int d = m - 1; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= shape[d];
            for (int j = 0; j < k; j++) off[j] += idx[d] * strides[d][j];
        }
        int inner = shape[m - 1];
        int[] innerSt = strides[m - 1];
        long pos = start;
        while (pos < end) {
            int n = (int) Math.min(inner - idx[m - 1], end - pos);
            row.run(off, n);
            pos += n;
            idx[m - 1] += n;
            for (int j = 0; j < k; j++) off[j] += n * innerSt[j];
            int d = m - 1;
            while (d > 0 && idx[d] == shape[d]) {
                for (int j = 0; j < k; j++) off[j] -= shape[d] * strides[d][j];
                idx[d] = 0;
                d--;
                idx[d]++;
                for (int j = 0; j < k; j++) off[j] += strides[d][j];
            }
        }
    }
}
