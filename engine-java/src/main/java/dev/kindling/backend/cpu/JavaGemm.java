package dev.kindling.backend.cpu;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The matmul used when OpenBLAS cannot load (and for integer dtypes): rows of A split over the threads,
 * an i-k-j loop over heap copies of B's rows so the innermost loop is contiguous and vectorises.
 */
final class JavaGemm {
    private JavaGemm() {}

    /** C[m,n] = A[m,k] @ B[k,n] (+ C when {@code accumulate}) with arbitrary element strides. */
    static void gemmF(int m, int n, int k, FloatBuffer a, int offA, int aRow, int aCol,
                      FloatBuffer b, int offB, int bRow, int bCol, FloatBuffer c, int offC, int ldc, boolean accumulate) {
        float[] bm = new float[k * n];
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bm[p * n + j] = b.get(offB + p * bRow + j * bCol);
        Parallel.range(m, Math.max(1, 65536 / Math.max(1, n * k)), (s, e) -> {
            float[] row = new float[n];
            for (int i = (int) s; i < e; i++) {
                java.util.Arrays.fill(row, 0f);
                for (int p = 0; p < k; p++) {
                    float av = a.get(offA + i * aRow + p * aCol);
                    int base = p * n;
                    for (int j = 0; j < n; j++) row[j] += av * bm[base + j];
                }
                if (accumulate) for (int j = 0; j < n; j++) row[j] += c.get(offC + i * ldc + j);
                c.put(offC + i * ldc, row, 0, n);
            }
        });
    }

    static void gemmD(int m, int n, int k, DoubleBuffer a, int offA, int aRow, int aCol,
                      DoubleBuffer b, int offB, int bRow, int bCol, DoubleBuffer c, int offC, int ldc, boolean accumulate) {
        double[] bm = new double[k * n];
        for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) bm[p * n + j] = b.get(offB + p * bRow + j * bCol);
        Parallel.range(m, Math.max(1, 65536 / Math.max(1, n * k)), (s, e) -> {
            double[] row = new double[n];
            for (int i = (int) s; i < e; i++) {
                java.util.Arrays.fill(row, 0.0);
                for (int p = 0; p < k; p++) {
                    double av = a.get(offA + i * aRow + p * aCol);
                    int base = p * n;
                    for (int j = 0; j < n; j++) row[j] += av * bm[base + j];
                }
                if (accumulate) for (int j = 0; j < n; j++) row[j] += c.get(offC + i * ldc + j);
                c.put(offC + i * ldc, row, 0, n);
            }
        });
    }
}
