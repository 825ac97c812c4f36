package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.IntBinaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A transposed float32 matrix made contiguous through the tiled copy: every element where it belongs. */
class TransposeTest {
    /** {@code view} (rows x cols) made contiguous must hold {@code value(i, j)} at (i, j). */
    private static void check(Tensor view, int rows, int cols, IntBinaryOperator value) {
        float[] want = new float[rows * cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) want[i * cols + j] = value.applyAsInt(i, j);
        Tensor c = view.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(want, c.toFloatArray(), 0f, "rows " + rows + ", cols " + cols);
    }

    @Test
    void transposedMatricesOfEveryShapeCopyIntoPlace() {
        for (int[] shape : new int[][]{{64, 1000}, {1000, 64}, {65, 129}, {128, 128}, {200, 33}, {1, 5000}, {5000, 1}}) {
            int n = shape[1];
            Tensor x = Tensor.arange(shape[0] * shape[1]).reshape(shape[0], shape[1]).to(DType.FLOAT32);
            // x.t() is shape[1] x shape[0]; its (i, j) is x's (j, i) = j * n + i
            check(x.t(), shape[1], shape[0], (i, j) -> j * n + i);
        }
        // a slice of a transposed matrix: columns 170 apart for 150 rows, and an offset
        Tensor big = Tensor.arange(300 * 170).reshape(300, 170).to(DType.FLOAT32);
        check(big.t().narrow(0, 7, 150).narrow(1, 11, 250), 150, 250, (i, j) -> (11 + j) * 170 + 7 + i);
    }
}
