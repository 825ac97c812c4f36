package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Java matmul that replaces OpenBLAS when the native library cannot load, against a plain triple loop. */
class JavaGemmTest {
    private static FloatBuffer floats(int n, Random r) {
        FloatBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) b.put(i, (float) r.nextGaussian());
        return b;
    }

    @Test
    void floatMatchesTripleLoopForOffsetsAndTransposedStrides() {
        Random r = new Random(1);
        int m = 37, k = 19, n = 23;
        // A stored transposed ([k, m] row-major, so element (i, p) sits at p * m + i) after an offset of 5;
        // B row-major with a padded leading dimension 30 after an offset of 3
        FloatBuffer a = floats(5 + k * m, r), b = floats(3 + k * 30, r), c = floats(2 + m * n, r);
        JavaGemm.gemmF(m, n, k, a, 5, 1, m, b, 3, 30, 1, c, 2, n, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++) want += (double) a.get(5 + p * m + i) * b.get(3 + p * 30 + j);
                assertEquals(want, c.get(2 + i * n + j), 1e-4, "C[" + i + ", " + j + "]");
            }
        }
    }

    @Test
    void doubleMatchesTripleLoop() {
        Random r = new Random(2);
        int m = 64, k = 40, n = 33;
        DoubleBuffer a = ByteBuffer.allocateDirect(m * k * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        DoubleBuffer b = ByteBuffer.allocateDirect(k * n * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        DoubleBuffer c = ByteBuffer.allocateDirect(m * n * 8).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        for (int i = 0; i < m * k; i++) a.put(i, r.nextGaussian());
        for (int i = 0; i < k * n; i++) b.put(i, r.nextGaussian());
        JavaGemm.gemmD(m, n, k, a, 0, k, 1, b, 0, n, 1, c, 0, n, false);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double want = 0;
                for (int p = 0; p < k; p++) want += a.get(i * k + p) * b.get(p * n + j);
                assertEquals(want, c.get(i * n + j), 1e-12);
            }
        }
    }
}
