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
        assertFusedIsComposite(Tensor.fromArray(v, 37, 1500), "rows with special values");
    }

    /** softmax and log_softmax of contiguous {@code t} (the fused rows) against the same values strided (the composite). */
    private static void assertFusedIsComposite(Tensor t, String what) {
        Tensor strided = sameValuesStrided(t);
        for (boolean log : new boolean[]{false, true}) {
            float[] fused = (log ? t.logSoftmax(1) : t.softmax(1)).toFloatArray();
            float[] composite = (log ? strided.logSoftmax(1) : strided.softmax(1)).toFloatArray();
            for (int i = 0; i < fused.length; i++) {
                if (Float.floatToIntBits(fused[i]) != Float.floatToIntBits(composite[i])) {
                    throw new AssertionError((log ? "log_softmax" : "softmax") + " of " + what + ", element " + i + ": "
                            + fused[i] + " vs " + composite[i]);
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
                assertFusedIsComposite(Tensor.randn(rows, len).mul(spread), "rows of " + len + " (spread " + spread + ")");
            }
        }
    }
}
