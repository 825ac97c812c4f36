package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sums of float32 rows over their last dimension: eight double accumulators (element i into i % 8, the last n % 8
 * into the first), the order the fused softmax row uses; and sums over the leading dimension split by columns.
 */
class RowSumTest {
    private static float eightAccumulators(float[] x, int from, int n) {
        double[] s = new double[8];
        int full = n - n % 8;
        for (int i = 0; i < full; i++) s[i % 8] += x[from + i];
        for (int i = full; i < n; i++) s[0] += x[from + i];
        return (float) (((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7])));
    }

    @Test
    void rowSumsTakeTheEightAccumulatorOrderAtEveryLength() {
        Random r = new Random(11);
        for (int n : new int[]{1, 7, 8, 9, 15, 1023, 1024, 1025, 2047, 3001, 70_003}) {
            int rows = n > 10_000 ? 2 : 5;
            float[] x = new float[rows * n + 3];
            // wide magnitudes, so that the order of the additions shows in the float result
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
            // rows starting at an offset of 3 elements: a view that is not at the start of its storage
            Tensor t = Tensor.fromArray(x, x.length).narrow(0, 3, rows * n).reshape(rows, n);
            float[] got = t.sum(1).toFloatArray();
            float[] mean = t.mean(1).toFloatArray();
            for (int row = 0; row < rows; row++) {
                float want = eightAccumulators(x, 3 + row * n, n);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got[row]), "sum of row " + row + " of " + n);
                assertEquals((float) want / n, mean[row], Math.abs(want / n) * 1e-6 + 1e-30, "mean of row " + row + " of " + n);
            }
        }
    }

    @Test
    void theOrderShowsWhereDoubleAdditionsLoseBits() {
        // 2^60 then seven ones, then -2^60 then seven ones: one accumulator loses the ones added to 2^60 (0x1p60 + 1 is
        // 0x1p60 in double) and sums to 7; eight accumulators keep 2^60 and -2^60 in the first and give 14
        float big = 0x1p60f;
        float[] x = {big, 1, 1, 1, 1, 1, 1, 1, -big, 1, 1, 1, 1, 1, 1, 1};
        assertEquals(14f, eightAccumulators(x, 0, x.length));
        assertEquals(14f, Tensor.fromArray(x, 1, x.length).sum(1).item());
        Tensor wide = Tensor.fromArray(x, 1, x.length).expand(3, x.length).contiguous();
        assertEquals(14f, wide.sum(1).toFloatArray()[2]);
        // the fused softmax row sums its exponentials in the same order: the op chain gives its bits
        Tensor logits = Tensor.fromArray(new float[]{0, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10}, 1, 11);
        assertEquals(java.util.Arrays.toString(logits.softmax(1).toFloatArray()),
                java.util.Arrays.toString(logits.sub(logits.max(1, true).values()).exp().div(
                        logits.sub(logits.max(1, true).values()).exp().sum(1, true)).toFloatArray()));
    }

    @Test
    void leadingSumsAddEachColumnInOrderOverEveryThreadSplit() {
        Random r = new Random(12);
        for (int cols : new int[]{3, 255, 256, 257, 1024, 1500}) {
            int rows = 40;
            float[] x = new float[rows * cols];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
            float[] got = Tensor.fromArray(x, rows, cols).sum(0).toFloatArray();
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int row = 0; row < rows; row++) s += x[row * cols + c];
                assertEquals(Float.floatToIntBits((float) s), Float.floatToIntBits(got[c]), "column " + c + " of " + cols);
            }
        }
    }
}
