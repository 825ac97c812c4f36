package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.View;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Row-major products as column-major cuBLAS calls: which operand is transposed, and the leading dimensions. */
class GemmPlanTest {
    private static View v(int[] shape, int[] strides) { return new View(null, DType.FLOAT32, shape, strides, 0); }

    @Test
    void rowMajorOperandsNeedNoTranspose() {
        // a [1,2,3] @ b [1,3,4] -> out [1,2,4]
        GemmPlan p = GemmPlan.of(v(new int[]{1, 2, 3}, new int[]{0, 3, 1}), v(new int[]{1, 3, 4}, new int[]{0, 4, 1}),
                v(new int[]{1, 2, 4}, new int[]{8, 4, 1}));
        assertEquals(new GemmPlan(false, false, 4, 2, 3, 4, 3, 4, 0, 0, 8, 1), p);
    }

    @Test
    void transposedViewsUseTheFlag() {
        // x @ w.T as in F.linear: w is [4,3] row-major, so w.T is [3,4] with strides (1,3)
        GemmPlan p = GemmPlan.of(v(new int[]{1, 2, 3}, new int[]{0, 3, 1}), v(new int[]{1, 3, 4}, new int[]{0, 1, 3}),
                v(new int[]{1, 2, 4}, new int[]{8, 4, 1}));
        assertEquals(new GemmPlan(true, false, 4, 2, 3, 3, 3, 4, 0, 0, 8, 1), p);
        // a.T @ b: a is [3,2] row-major, a.T is [2,3] with strides (1,2)
        GemmPlan q = GemmPlan.of(v(new int[]{1, 2, 3}, new int[]{0, 1, 2}), v(new int[]{1, 3, 4}, new int[]{0, 4, 1}),
                v(new int[]{1, 2, 4}, new int[]{8, 4, 1}));
        assertEquals(new GemmPlan(false, true, 4, 2, 3, 4, 2, 4, 0, 0, 8, 1), q);
    }

    @Test
    void batchesKeepTheirStridesAndBroadcastBatchesGetZero() {
        GemmPlan p = GemmPlan.of(v(new int[]{5, 2, 3}, new int[]{6, 3, 1}), v(new int[]{5, 3, 4}, new int[]{0, 4, 1}),
                v(new int[]{5, 2, 4}, new int[]{8, 4, 1}));
        assertEquals(0, p.strideA());  // b broadcast over the batch
        assertEquals(6, p.strideB());
        assertEquals(8, p.strideC());
        assertEquals(5, p.batch());
    }

    @Test
    void layoutsCuBlasCannotReadMustBeCopied() {
        assertNull(GemmPlan.operand(3, 4, 8, 2));           // both strides > 1
        assertNull(GemmPlan.operand(3, 4, 2, 1));           // overlapping rows
        assertEquals(new GemmPlan.Operand(false, 4), GemmPlan.operand(1, 4, 0, 1)); // one row: any row stride
        assertEquals(new GemmPlan.Operand(false, 1), GemmPlan.operand(3, 1, 1, 7)); // one column, rows contiguous
        assertEquals(new GemmPlan.Operand(false, 10), GemmPlan.operand(3, 4, 10, 1)); // a slice of a wider matrix
    }
}
