package dev.kindling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** randLike/randnLike keep the template's dtype and draw at its precision; integer templates are refused. */
class RandomLikeTest {
    @Test
    void float64DrawsUseFullPrecision() {
        Tensor d = Tensor.randLike(Tensor.zeros(new int[]{1000}, DType.FLOAT64));
        assertEquals(DType.FLOAT64, d.dtype());
        long notFloat32 = java.util.Arrays.stream(d.toDoubleArray()).filter(v -> (double) (float) v != v).count();
        assertTrue(notFloat32 > 900, "float64 samples look like widened float32 values");
        assertEquals(DType.FLOAT64, Tensor.randnLike(Tensor.zeros(new int[]{3}, DType.FLOAT64)).dtype());
        assertNotEquals(0.0, Tensor.randnLike(Tensor.zeros(50)).abs().sum().item());
    }

    @Test
    void integerTemplatesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tensor.randLike(Tensor.of(1L, 2L)));
        assertTrue(e.getMessage().contains("rand_like") && e.getMessage().contains("INT64"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.randnLike(Tensor.of(true)));
    }
}
