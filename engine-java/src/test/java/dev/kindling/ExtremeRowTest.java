package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * float32 max/min over a dim, their indices, and full max/min, against the plain loop's choices: NaN as soon as one
 * is seen (its own bits), the first of equal values (so the first of two zeros), rows of -inf or +inf only, rows
 * longer than a chunk and strided rows.
 */
class ExtremeRowTest {
    /** The plain loop: the first NaN, else the first of the largest (smallest) values. */
    private static int pick(float[] row, boolean max) {
        int best = 0;
        for (int i = 0; i < row.length; i++) {
            float v = row[i];
            if (v != v) return i;
            if (i > 0 && (max ? v > row[best] : v < row[best])) best = i;
        }
        return best;
    }

    private static float[][] rows() {
        SplittableRandom r = new SplittableRandom(12);
        float nanA = Float.intBitsToFloat(0x7fc00001), nanB = Float.intBitsToFloat(0xffc00002);
        float[][] rows = new float[14][];
        for (int k = 0; k < rows.length; k++) {
            int n = k < 10 ? 7 : 2500;
            rows[k] = new float[n];
            for (int i = 0; i < n; i++) rows[k][i] = (float) r.nextGaussian();
        }
        rows[0] = new float[]{-0f, 0f, -1f, 0f, -0f, -2f, -3f};
        rows[1] = new float[]{0f, -0f, -1f, -0f, 0f, -2f, -3f};
        rows[2] = new float[]{1f, nanA, 5f, nanB, 2f, 3f, 4f};
        rows[3] = new float[]{nanB, 1f, nanA, 2f, 3f, 4f, 5f};
        rows[4] = new float[7];
        java.util.Arrays.fill(rows[4], Float.NEGATIVE_INFINITY);
        rows[5] = new float[7];
        java.util.Arrays.fill(rows[5], Float.POSITIVE_INFINITY);
        rows[6] = new float[]{3f, 7f, 7f, -9f, -9f, 1f, 7f};
        rows[7] = new float[]{Float.POSITIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY, 2f, 3f, 4f, 5f};
        rows[11][2400] = Float.NaN;
        rows[12][1999] = 50f;
        rows[12][2001] = 50f;
        return rows;
    }

    @Test
    void valuesAndIndicesAreThePlainLoops() {
        float[][] rows = rows();
        for (float[] row : rows) {
            int n = row.length;
            for (boolean transposed : new boolean[]{false, true}) {
                // two equal rows stacked: contiguous rows, or columns of the transposed copy read with a stride
                float[] data = new float[2 * n];
                for (int i = 0; i < n; i++) {
                    if (transposed) { data[2 * i] = row[i]; data[2 * i + 1] = row[i]; }
                    else { data[i] = row[i]; data[n + i] = row[i]; }
                }
                Tensor t = transposed ? Tensor.fromArray(data, n, 2).t() : Tensor.fromArray(data, 2, n);
                for (boolean max : new boolean[]{true, false}) {
                    int want = pick(row, max);
                    int wantBits = Float.floatToRawIntBits(row[want]);
                    String what = (max ? "max" : "min") + " of " + java.util.Arrays.toString(n < 10 ? row : new float[0]) + (transposed ? " strided" : "");
                    float[] values = (max ? t.amax(1) : t.amin(1)).toFloatArray();
                    ValuesIndices vi = max ? t.max(1) : t.min(1);
                    float[] viValues = vi.values().toFloatArray();
                    long[] idx = vi.indices().toLongArray();
                    long[] arg = (max ? t.argmax(1) : t.argmin(1)).toLongArray();
                    for (int j = 0; j < 2; j++) {
                        assertEquals(wantBits, Float.floatToRawIntBits(values[j]), "a" + what);
                        assertEquals(wantBits, Float.floatToRawIntBits(viValues[j]), what + " values");
                        assertEquals(want, idx[j], what + " indices");
                        assertEquals(want, arg[j], "arg" + what);
                    }
                    Tensor all = max ? t.max() : t.min();
                    assertEquals(row[want], all.item(), 0.0, what + " over all");
                }
            }
        }
    }

    @Test
    void overLeadingDimsEachColumnIsThePlainLoops() {
        SplittableRandom r = new SplittableRandom(8);
        int rows = 37, cols = 300;
        float nanA = Float.intBitsToFloat(0x7fc00011), nanB = Float.intBitsToFloat(0xffc00022);
        float[] x = new float[rows * cols];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < rows; i++) {
            x[i * cols] = Float.NEGATIVE_INFINITY;          // column 0: all -inf
            x[i * cols + 1] = Float.POSITIVE_INFINITY;      // column 1: all +inf
            x[i * cols + 2] = i % 2 == 0 ? -0f : 0f;        // column 2: zeros, -0 first
            x[i * cols + 3] = i % 2 == 0 ? 0f : -0f;        // column 3: zeros, +0 first
        }
        x[5 * cols + 4] = nanA;                             // column 4: two NaNs, the first wins
        x[9 * cols + 4] = nanB;
        x[0 * cols + 5] = nanB;                             // column 5: a NaN in the first row
        x[36 * cols + 6] = nanA;                            // column 6: a NaN in the last row
        for (int[] shape : new int[][]{{rows, cols}, {1, rows, cols}}) {
            Tensor t = Tensor.fromArray(x, shape);
            int[] dims = shape.length == 2 ? new int[]{0} : new int[]{0, 1};
            for (boolean max : new boolean[]{true, false}) {
                float[] got = (max ? t.amax(dims, false) : t.amin(dims, false)).toFloatArray();
                for (int j = 0; j < cols; j++) {
                    float[] column = new float[rows];
                    for (int i = 0; i < rows; i++) column[i] = x[i * cols + j];
                    int want = pick(column, max);
                    assertEquals(Float.floatToRawIntBits(column[want]), Float.floatToRawIntBits(got[j]),
                            (max ? "amax" : "amin") + " of column " + j + " over dims " + java.util.Arrays.toString(dims));
                }
            }
        }
    }
}
