package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU kernels that compare floats and longs straight into BOOL, select with a BOOL mask, move BOOL and float
 * runs in bulk, clamp floats and sort float rows as primitives: every layout they take (contiguous, a broadcast scalar, a broadcast row, a transposed view,
 * runs longer than one chunk and split over threads) against the comparisons of Java itself, with the values
 * where comparisons differ from arithmetic (NaN, both zeros, infinities, subnormals).
 */
class ComparisonKernelTest {
    private static final float[] SPECIAL = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 1f, -1f, 0.5f};

    private interface FloatCmp { boolean test(float a, float b); }

    private static final String[] OPS = {"eq", "ne", "lt", "le", "gt", "ge"};
    private static final FloatCmp[] REF = {(a, b) -> a == b, (a, b) -> a != b, (a, b) -> a < b, (a, b) -> a <= b,
            (a, b) -> a > b, (a, b) -> a >= b};

    private static Tensor apply(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "eq" -> a.eq(b);
            case "ne" -> a.ne(b);
            case "lt" -> a.lt(b);
            case "le" -> a.le(b);
            case "gt" -> a.gt(b);
            default -> a.ge(b);
        };
    }

    /** Random floats, a third of them drawn from {@link #SPECIAL}, with many equal pairs. */
    private static float[] values(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int kind = r.nextInt(3);
            x[i] = kind == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : kind == 1 ? r.nextInt(5) - 2 : (float) r.nextGaussian();
        }
        return x;
    }

    private static void check(Tensor got, int n, java.util.function.IntPredicate want, String what) {
        assertEquals(DType.BOOL, got.dtype(), what);
        boolean[] g = got.contiguous().toBooleanArray();
        assertEquals(n, g.length, what);
        for (int i = 0; i < n; i++) {
            if (g[i] != want.test(i)) throw new AssertionError(what + " at " + i + ": got " + g[i]);
        }
    }

    @Test
    void float32ComparisonsOverEveryLayout() {
        Random r = new Random(3);
        int n = 70_001; // more than a chunk and than one thread's share
        float[] x = values(r, n), y = values(r, n);
        Tensor a = Tensor.fromArray(x, n), b = Tensor.fromArray(y, n);
        int rows = 300, cols = 257;
        float[] m = values(r, rows * cols), row = values(r, cols);
        Tensor mat = Tensor.fromArray(m, cols, rows).t(); // [rows, cols], strided
        Tensor rowT = Tensor.fromArray(row, 1, cols);
        for (int k = 0; k < OPS.length; k++) {
            String op = OPS[k];
            FloatCmp ref = REF[k];
            check(apply(op, a, b), n, i -> ref.test(x[i], y[i]), op + " contiguous");
            for (float s : SPECIAL) {
                check(apply(op, a, Tensor.scalar(s)), n, i -> ref.test(x[i], s), op + " against the scalar " + s);
                check(apply(op, Tensor.scalar(s), a), n, i -> ref.test(s, x[i]), op + " of the scalar " + s);
            }
            // mat[i][j] = m[j * rows + i] (the transpose of a [cols, rows] tensor)
            check(apply(op, mat, rowT), rows * cols, i -> ref.test(m[(i % cols) * rows + i / cols], row[i % cols]),
                    op + " transposed against a broadcast row");
        }
    }

    @Test
    void integerAndBoolComparisonsKeepEveryBit() {
        long big = 1L << 53; // big + 1 is not a double: compared through double it would equal big
        long[] x = {big + 1, big, -big - 1, Long.MAX_VALUE, Long.MIN_VALUE, 0, 7};
        long[] y = {big, big + 1, -big, Long.MAX_VALUE - 1, Long.MIN_VALUE, 0, -7};
        Tensor a = Tensor.fromArray(x, x.length), b = Tensor.fromArray(y, y.length);
        check(a.gt(b), x.length, i -> x[i] > y[i], "int64 gt");
        check(a.eq(b), x.length, i -> x[i] == y[i], "int64 eq");
        check(a.le(b), x.length, i -> x[i] <= y[i], "int64 le");
        check(a.ne(Tensor.scalar(big, DType.INT64)), x.length, i -> x[i] != big, "int64 ne against a scalar");
        boolean[] p = {true, false, true, false}, q = {true, true, false, false};
        Tensor bp = Tensor.fromArray(p, 4), bq = Tensor.fromArray(q, 4);
        check(bp.eq(bq), 4, i -> p[i] == q[i], "bool eq");
        check(bp.gt(bq), 4, i -> p[i] && !q[i], "bool gt");
    }

    @Test
    void castsToAndFromBoolInBulk() {
        Random r = new Random(5);
        int n = 5_000;
        float[] x = values(r, n);
        Tensor a = Tensor.fromArray(x, n);
        // nonzero (NaN included) is true, both zeros false
        check(a.to(DType.BOOL), n, i -> x[i] != 0 || Float.isNaN(x[i]), "float32 -> bool");
        Tensor mask = a.gt(0);
        float[] back = mask.to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < n; i++) assertEquals(x[i] > 0 ? 1f : 0f, back[i], "bool -> float32 at " + i);
        long[] asLong = mask.to(DType.INT64).toLongArray();
        for (int i = 0; i < n; i++) assertEquals(x[i] > 0 ? 1L : 0L, asLong[i], "bool -> int64 at " + i);
        // a transposed mask (strided bool reads) and a broadcast one (one element for a whole run)
        Tensor tm = Tensor.fromArray(x, 50, 100).gt(0).t();
        float[] tf = tm.to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < 100; i++) {
            for (int j = 0; j < 50; j++) assertEquals(x[j * 100 + i] > 0 ? 1f : 0f, tf[i * 50 + j], "transposed at " + i + "," + j);
        }
        assertArrayEquals(new float[]{1f, 1f, 1f}, Tensor.scalar(1, DType.BOOL).expand(3).to(DType.FLOAT32).toFloatArray());
        assertArrayEquals(new double[]{2.5, 2.5}, Tensor.scalar(2.5f).expand(2).to(DType.FLOAT64).toDoubleArray());
        // float32 <-> int64 and int32 in bulk: truncation toward zero one way, rounding to nearest the other
        float[] g = new float[3000];
        for (int i = 0; i < g.length; i++) g[i] = (float) (r.nextGaussian() * 1e6);
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.7f, 0.7f, -0f, 3e10f, -3e10f, 1e20f};
        System.arraycopy(odd, 0, g, 0, odd.length);
        long[] gl = Tensor.fromArray(g, g.length).to(DType.INT64).toLongArray();
        int[] gi = Tensor.fromArray(g, g.length).to(DType.INT32).toIntArray();
        for (int i = 0; i < g.length; i++) {
            // toward zero, NaN to 0, beyond the range the saturated long (and int32 its low 32 bits), as before
            assertEquals((long) g[i], gl[i], "float32 -> int64 of " + g[i]);
            assertEquals((int) (long) g[i], gi[i], "float32 -> int32 of " + g[i]);
        }
        long[] big = new long[3000];
        for (int i = 0; i < big.length; i++) big[i] = r.nextLong() >> r.nextInt(64);
        big[0] = (1L << 60) + (1L << 36) + 1; // halfway between two floats in double, just above it as a long
        assertEquals(Float.floatToIntBits(0x1.000002p60f), Float.floatToIntBits((float) big[0]));
        assertEquals(Float.floatToIntBits(0x1p60f), Float.floatToIntBits((float) (double) big[0]));
        float[] bf = Tensor.fromArray(big, big.length).to(DType.FLOAT32).toFloatArray();
        double[] bd = Tensor.fromArray(big, big.length).to(DType.FLOAT64).toDoubleArray();
        for (int i = 0; i < big.length; i++) {
            // rounded once, as PyTorch converts (through double, some longs above 2^53 were rounded twice)
            assertEquals(Float.floatToIntBits((float) big[i]), Float.floatToIntBits(bf[i]), "int64 -> float32 of " + big[i]);
            assertEquals((double) big[i], bd[i], "int64 -> float64 of " + big[i]);
        }
        // float64 -> float32 rounds each element once
        double[] d = {0.1, 1e-46, 3.4028235677973366e38, -0.0, Double.NaN, 1 + 0x1p-30};
        float[] f = Tensor.fromArray(d, d.length).to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < d.length; i++) {
            assertEquals(Float.floatToIntBits((float) d[i]), Float.floatToIntBits(f[i]), "float64 -> float32 of " + d[i]);
        }
    }

    @Test
    void whereSelectsFloatsUnderEveryMaskLayout() {
        Random r = new Random(7);
        int rows = 40, cols = 70;
        float[] x = values(r, rows * cols), y = values(r, rows * cols);
        Tensor a = Tensor.fromArray(x, rows, cols), b = Tensor.fromArray(y, rows, cols);
        Tensor mask = a.gt(b);
        BiFunction<Integer, Boolean, Float> pick = (i, c) -> c ? x[i] : y[i];
        float[] got = Tensor.where(mask, a, b).toFloatArray();
        for (int i = 0; i < rows * cols; i++) {
            assertEquals(Float.floatToRawIntBits(pick.apply(i, x[i] > y[i])), Float.floatToRawIntBits(got[i]), "where at " + i);
        }
        boolean[] rowMask = new boolean[rows];
        for (int i = 0; i < rows; i++) rowMask[i] = r.nextBoolean();
        float[] byRow = Tensor.where(Tensor.fromArray(rowMask, rows, 1), a, b).toFloatArray();
        for (int i = 0; i < rows * cols; i++) {
            assertEquals(Float.floatToRawIntBits(pick.apply(i, rowMask[i / cols])), Float.floatToRawIntBits(byRow[i]), "row mask at " + i);
        }
        float[] scalarA = Tensor.where(mask.t(), 9f, b.t()).toFloatArray();
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < rows; j++) {
                int k = j * cols + i;
                assertEquals(x[k] > y[k] ? 9f : y[k], scalarA[i * rows + j], "transposed mask at " + i + "," + j);
            }
        }
    }

    /** clamp as the double loop did it: compare with the double bounds, round what comes out to float. */
    private static float clampRef(float v, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) min = max;
        double d = v;
        if (!Double.isNaN(min) && d < min) d = min;
        if (!Double.isNaN(max) && d > max) d = max;
        return (float) d;
    }

    @Test
    void float32ClampMatchesTheDoubleLoopBitForBit() {
        Random r = new Random(9);
        float[] x = values(r, 3000);
        Tensor a = Tensor.fromArray(x, 3000);
        double[][] bounds = {{-0.5, 0.5}, {0, 1}, {-0.0, 1}, {-1, 0}, {-1, -0.0}, {0.1, 0.3}, {-1e39, 1e39}, {2, 1},
                {0, 0}, {-0.0, 0.0}, {Double.NaN, 0.5}, {0, Double.NaN}, {-0.0, Double.NaN}, {Double.NaN, Double.NaN},
                {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY}, {Float.MIN_VALUE, Float.MAX_VALUE}};
        for (double[] b : bounds) {
            float[] got = a.clamp(b[0], b[1]).toFloatArray();
            float[] strided = Tensor.fromArray(x, 60, 50).t().clamp(b[0], b[1]).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                float want = clampRef(x[i], b[0], b[1]);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[i]),
                        "clamp(" + x[i] + ", " + b[0] + ", " + b[1] + ")");
                int row = i / 60, col = i % 60; // strided[i] is x[col * 50 + row] of the [60, 50] view transposed
                assertEquals(Float.floatToIntBits(clampRef(x[col * 50 + row], b[0], b[1])), Float.floatToIntBits(strided[i]),
                        "transposed clamp at " + i + " with " + b[0] + ", " + b[1]);
            }
        }
        float[] min0 = a.clampMin(0).toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(clampRef(x[i], 0, Double.NaN)), Float.floatToIntBits(min0[i]), "clampMin(0) of " + x[i]);
        }
    }

    @Test
    void float32SortKeepsEqualValuesInOrderWithNaNLastAndZerosEqual() {
        Random r = new Random(13);
        int rows = 7, len = 1200;
        float[] x = values(r, rows * len);
        for (boolean descending : new boolean[]{false, true}) {
            for (boolean transposed : new boolean[]{false, true}) {
                // a transposed input: rows strided in memory
                Tensor t = transposed ? Tensor.fromArray(x, len, rows).t() : Tensor.fromArray(x, rows, len);
                float[] v = t.contiguous().toFloatArray();
                ValuesIndices s = t.sort(1, descending);
                float[] got = s.values().toFloatArray();
                long[] idx = s.indices().toLongArray();
                for (int row = 0; row < rows; row++) {
                    Integer[] order = new Integer[len];
                    for (int j = 0; j < len; j++) order[j] = j;
                    int base = row * len;
                    // the general path's comparator: NaN above every number, -0 equal to +0, stable
                    java.util.Comparator<Integer> cmp = (p, q) -> Double.compare(v[base + p] == 0 ? 0.0 : v[base + p],
                            v[base + q] == 0 ? 0.0 : v[base + q]);
                    java.util.Arrays.sort(order, descending ? cmp.reversed() : cmp);
                    for (int j = 0; j < len; j++) {
                        assertEquals((long) order[j], idx[base + j], "index " + j + " of row " + row + (descending ? " descending" : ""));
                        assertEquals(Float.floatToRawIntBits(v[base + order[j]]), Float.floatToRawIntBits(got[base + j]));
                    }
                }
            }
        }
        // topk takes the first k of that order, largest or smallest, over any dim, on rows in any order
        float[] ascending = new float[rows * len];
        for (int i = 0; i < ascending.length; i++) ascending[i] = i % len;
        for (float[] data : new float[][]{x, ascending}) {
            Tensor m = Tensor.fromArray(data, rows, len);
            for (boolean largest : new boolean[]{true, false}) {
                long[] sorted = m.sort(1, largest).indices().toLongArray();
                for (int k : new int[]{1, 5, len / 2, len - 1, len}) {
                    ValuesIndices top = m.topk(k, 1, largest);
                    long[] ti = top.indices().toLongArray();
                    float[] tv = top.values().toFloatArray();
                    for (int row = 0; row < rows; row++) {
                        for (int j = 0; j < k; j++) {
                            long want = sorted[row * len + j];
                            assertEquals(want, ti[row * k + j], "topk " + k + (largest ? "" : " smallest") + ": " + j + " of row " + row);
                            assertEquals(Float.floatToRawIntBits(data[row * len + (int) want]), Float.floatToRawIntBits(tv[row * k + j]));
                        }
                    }
                }
            }
            // over dim 0 of the transpose: the same picks
            long[] t0 = m.t().topk(3, 0).indices().t().contiguous().toLongArray();
            long[] t1 = m.topk(3, 1).indices().toLongArray();
            assertArrayEquals(t1, t0);
            // over dim 0 of m itself: the backend reads strided rows
            ValuesIndices down = m.topk(4, 0, false);
            ValuesIndices across = m.t().contiguous().topk(4, 1, false);
            assertArrayEquals(across.indices().t().contiguous().toLongArray(), down.indices().toLongArray());
            assertArrayEquals(across.values().t().contiguous().toFloatArray(), down.values().toFloatArray());
        }
    }

    @Test
    void float32MaxAndMinOverADimPickTheFirstBestAndAnyNaN() {
        Random r = new Random(19);
        int rows = 9, len = 2500; // rows longer than one chunk
        float[] x = values(r, rows * len);
        for (int i = 0; i < x.length; i++) if (Float.isNaN(x[i]) && (i / len) % 3 != 0) x[i] = 2f; // NaN in some rows only
        for (boolean transposed : new boolean[]{false, true}) {
            Tensor t = transposed ? Tensor.fromArray(x, len, rows).t() : Tensor.fromArray(x, rows, len);
            float[] v = t.contiguous().toFloatArray();
            for (boolean max : new boolean[]{true, false}) {
                ValuesIndices got = max ? t.max(1) : t.min(1);
                float[] gv = got.values().toFloatArray();
                long[] gi = got.indices().toLongArray();
                for (int row = 0; row < rows; row++) {
                    int best = 0;
                    for (int j = 0; j < len; j++) {
                        float c = v[row * len + j], b = v[row * len + best];
                        if (Float.isNaN(c)) {
                            best = j;
                            break;
                        }
                        if (max ? c > b : c < b) best = j;
                    }
                    String what = (max ? "max" : "min") + (transposed ? " transposed" : "") + " of row " + row;
                    assertEquals(best, gi[row], what);
                    assertEquals(Float.floatToRawIntBits(v[row * len + best]), Float.floatToRawIntBits(gv[row]), what);
                }
            }
        }
    }

    @Test
    void maskedSelectKeepsTheTrueElementsInOrder() {
        Random r = new Random(23);
        int rows = 300, cols = 257;
        float[] x = values(r, rows * cols);
        Tensor a = Tensor.fromArray(x, rows, cols);
        boolean[] m = new boolean[rows * cols];
        for (int i = 0; i < m.length; i++) m[i] = r.nextBoolean();
        for (boolean[] mask : new boolean[][]{m, new boolean[rows * cols], filled(rows * cols)}) {
            float[] got = a.maskedSelect(Tensor.fromArray(mask, rows, cols)).toFloatArray();
            int k = 0;
            for (int i = 0; i < mask.length; i++) {
                if (!mask[i]) continue;
                assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(got[k]), "element " + k);
                k++;
            }
            assertEquals(k, got.length);
        }
        // a mask broadcast over the rows
        boolean[] rowMask = new boolean[cols];
        for (int j = 0; j < cols; j++) rowMask[j] = j % 3 == 0;
        float[] got = a.maskedSelect(Tensor.fromArray(rowMask, cols)).toFloatArray();
        assertEquals(rows * ((cols + 2) / 3), got.length);
        assertEquals(Float.floatToRawIntBits(x[cols + 3]), Float.floatToRawIntBits(got[(cols + 2) / 3 + 1]));
    }

    private static boolean[] filled(int n) {
        boolean[] b = new boolean[n];
        java.util.Arrays.fill(b, true);
        return b;
    }
}
