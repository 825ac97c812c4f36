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
}
