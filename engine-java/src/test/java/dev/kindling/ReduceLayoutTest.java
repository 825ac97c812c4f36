package dev.kindling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Sums over leading dimensions of a contiguous tensor take a row-by-row kernel; a transposed copy of the
 * same values takes the general strided walk. Both add in the same order, so the bits agree.
 */
class ReduceLayoutTest {
    private static Tensor sameValuesStrided(Tensor x) {
        Tensor y = x.transpose(0, x.dim() - 1).contiguous().transpose(0, x.dim() - 1);
        assertFalse(y.isContiguous());
        return y;
    }

    @Test void leadingSumsMatchTheStridedWalkBitForBit() {
        Kindling.manualSeed(3);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.randn(70, 1500).to(dt).mul(1000);
            assertArrayEquals(sameValuesStrided(x).sum(0).toDoubleArray(), x.sum(0).toDoubleArray(), 0.0, dt.toString());
            Tensor y = Tensor.randn(3, 5, 200).to(dt);
            int[] dims = {0, 1};
            assertArrayEquals(sameValuesStrided(y).sum(dims, false).toDoubleArray(), y.sum(dims, false).toDoubleArray(), 0.0);
            assertArrayEquals(sameValuesStrided(y).mean(dims, true).toDoubleArray(), y.mean(dims, true).toDoubleArray(), 0.0);
        }
    }

    @Test void fusedSoftmaxMatchesTheCompositeBitForBit() {
        Kindling.manualSeed(4);
        Tensor x = Tensor.randn(37, 1500).mul(20);
        float[] v = x.toFloatArray();
        v[3] = Float.NEGATIVE_INFINITY;                  // row 0: one -inf
        for (int i = 1500; i < 3000; i++) v[i] = Float.NEGATIVE_INFINITY; // row 1: all -inf
        v[3000 + 7] = Float.NaN;                          // row 2: a NaN
        v[4500 + 9] = Float.POSITIVE_INFINITY;            // row 3: +inf
        v[6000 + 1] = 1e30f;                              // row 4: huge
        // rows 5-8: a maximum of zero, of either sign or both
        for (int i = 7500; i < 13500; i++) v[i] = -Math.abs(v[i]);
        for (int i = 7500; i < 9000; i++) v[i] = -0f;    // row 5: all -0
        v[9000 + 700] = -0f;                              // row 6: negatives and one -0
        v[10500 + 11] = 0f;                               // row 7: negatives and one +0
        v[12000 + 5] = -0f;                               // row 8: negatives, a -0 and a later +0
        v[12000 + 1400] = 0f;
        Tensor t = Tensor.fromArray(v, 37, 1500);
        assertFusedIsComposite(t, 1, "rows with special values");
        // the same values as columns: the kernel over a dimension that is not the last
        assertFusedIsComposite(t.t().contiguous(), 0, "columns with special values");
    }

    /**
     * softmax and log_softmax of {@code t} over {@code dim}, and of the same values strided (a contiguous copy first),
     * against the op chain they replace, run op by op (the chain of {@code Reduce}: max, shift, exp, sum, divide or log).
     */
    private static void assertFusedIsComposite(Tensor t, int dim, String what) {
        Tensor m = t.amax(new int[]{dim}, true);
        Tensor e = t.sub(m).exp();
        Tensor softmax = e.div(e.sum(dim, true));
        Tensor shifted = t.sub(Tensor.where(m.isinf(), 0.0, m));
        Tensor logSoftmax = shifted.sub(shifted.exp().sum(dim, true).log());
        for (Tensor in : new Tensor[]{t, sameValuesStrided(t)}) {
            for (boolean log : new boolean[]{false, true}) {
                float[] fused = (log ? in.logSoftmax(dim) : in.softmax(dim)).toFloatArray();
                float[] composite = (log ? logSoftmax : softmax).toFloatArray();
                for (int i = 0; i < fused.length; i++) {
                    if (Float.floatToIntBits(fused[i]) != Float.floatToIntBits(composite[i])) {
                        throw new AssertionError((log ? "log_softmax" : "softmax") + " over dim " + dim + " of " + what
                                + (in == t ? "" : ", strided") + ", element " + i + ": " + fused[i] + " vs " + composite[i]);
                    }
                }
            }
        }
    }

    /**
     * The fused rows sum in another order than the composite's {@code sum} (eight accumulators against four, both in
     * double): over thousands of rows of every length and spread, still not one bit apart.
     */
    @Test void fusedSoftmaxMatchesTheCompositeOnManyRows() {
        Kindling.manualSeed(5);
        for (int len : new int[]{3, 10, 17, 100, 1000, 1003, 4099}) {
            // below 65,536 elements, where the composite's exp is Kindling's own, not oneDNN's
            int rows = 60_000 / len;
            for (double spread : new double[]{0.3, 3, 30, 0.3, 3, 30, 0.3, 3, 30}) {
                assertFusedIsComposite(Tensor.randn(rows, len).mul(spread), 1, "rows of " + len + " (spread " + spread + ")");
            }
        }
    }

    /** Over every dimension of 3-d and 4-d tensors: rows, columns long and short, slabs, and dimensions of size 1. */
    @Test void softmaxOverEveryDimensionIsTheOpChain() {
        Kindling.manualSeed(6);
        for (int[] shape : new int[][]{{5, 7, 9}, {3, 1000, 17}, {2, 21, 32, 32}, {600, 3, 1}, {1, 40, 700}, {4, 1, 6}}) {
            Tensor t = Tensor.randn(shape).mul(5);
            for (int dim = 0; dim < shape.length; dim++) {
                assertFusedIsComposite(t, dim, java.util.Arrays.toString(shape));
            }
        }
        // a NaN, an infinity and a column of -inf in a column-wise softmax
        Tensor t = Tensor.randn(6, 50, 40);
        float[] v = t.toFloatArray();
        v[3] = Float.NaN;
        v[40 * 7 + 5] = Float.POSITIVE_INFINITY;
        for (int c = 0; c < 50; c++) v[c * 40 + 9] = Float.NEGATIVE_INFINITY;
        assertFusedIsComposite(Tensor.fromArray(v, 6, 50, 40), 1, "columns with special values");
        // the same in short columns (fewer than 32 along the dimension)
        Tensor u = Tensor.randn(30, 5, 7);
        float[] w = u.toFloatArray();
        w[2] = Float.NaN;
        w[35 * 3 + 7 + 4] = Float.POSITIVE_INFINITY;
        for (int c = 0; c < 5; c++) w[35 * 9 + c * 7 + 6] = Float.NEGATIVE_INFINITY;
        assertFusedIsComposite(Tensor.fromArray(w, 30, 5, 7), 1, "short columns with special values");
    }
}
