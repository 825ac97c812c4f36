package dev.kindling.backend.cuda;

import dev.kindling.backend.View;

/**
 * One row-major batched product {@code out[b] = a[b] @ b[b]} as the column-major call cuBLAS takes:
 * {@code out^T = b^T a^T}, so cuBLAS's A is our {@code b} and its B our {@code a}. A row-major matrix is
 * already the transpose cuBLAS wants; a transposed view (column-major) is passed with the transpose flag; any
 * other layout must be copied first ({@link #of} returns null). Pure arithmetic, tested on the CPU.
 *
 * @param transA  cuBLAS's op on its A (our {@code b})
 * @param transB  cuBLAS's op on its B (our {@code a})
 * @param m       rows of cuBLAS's C: our N
 * @param n       columns of cuBLAS's C: our M
 * @param k       the inner dimension
 */
record GemmPlan(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc,
                long strideA, long strideB, long strideC, int batch) {
    /** How one operand is handed over: with or without the transpose flag, and its leading dimension. */
    record Operand(boolean trans, int ld) {}

    /**
     * A row-major {@code rows x cols} matrix with strides {@code (sRow, sCol)}, as cuBLAS's column-major
     * {@code cols x rows} operand (its transpose): as it lies when rows are contiguous, with the transpose
     * flag when columns are, else null (copy it to contiguous first).
     */
    static Operand operand(int rows, int cols, long sRow, long sCol) {
        if ((sCol == 1 || cols == 1) && (rows == 1 || sRow >= Math.max(1, cols))) {
            return new Operand(false, (int) (rows == 1 ? Math.max(1, cols) : sRow));
        }
        if ((sRow == 1 || rows == 1) && (cols == 1 || sCol >= Math.max(1, rows))) {
            return new Operand(true, (int) (cols == 1 ? Math.max(1, rows) : sCol));
        }
        return null;
    }

    /** The call for {@code a:[B,M,K]}, {@code b:[B,K,N]} into contiguous {@code out:[B,M,N]}; null when a or b must be copied first. */
    static GemmPlan of(View a, View b, View out) {
        int batch = out.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        Operand ob = operand(k, n, b.strides()[1], b.strides()[2]);
        Operand oa = operand(m, k, a.strides()[1], a.strides()[2]);
        if (oa == null || ob == null) return null;
        long sa = a.shape()[0] == 1 ? 0 : a.strides()[0], sb = b.shape()[0] == 1 ? 0 : b.strides()[0];
        return new GemmPlan(ob.trans(), oa.trans(), n, m, k, ob.ld(), oa.ld(), Math.max(1, n), sb, sa, (long) m * n, batch);
    }
}
