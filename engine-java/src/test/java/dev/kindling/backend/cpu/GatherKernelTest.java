package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 gather's paths against a plain loop: runs longer than a chunk, rows copied whole (few picks per row
 * element) or read element by element (rows much longer than the run), gathers over a leading dim and from a
 * transposed input, and a bad index anywhere in a long run named in the error.
 */
class GatherKernelTest {
    private static float[] reference(float[] x, int rows, int cols, long[] idx, int idxRows, int idxCols, int dim) {
        float[] out = new float[idxRows * idxCols];
        for (int r = 0; r < idxRows; r++) {
            for (int c = 0; c < idxCols; c++) {
                int i = (int) idx[r * idxCols + c];
                out[r * idxCols + c] = dim == 1 ? x[r * cols + i] : x[i * cols + c];
            }
        }
        return out;
    }

    private static long[] picks(SplittableRandom g, int n, int bound) {
        long[] idx = new long[n];
        for (int i = 0; i < n; i++) idx[i] = g.nextInt(bound);
        return idx;
    }

    private static float[] values(SplittableRandom g, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) g.nextGaussian();
        return x;
    }

    @Test
    void everyFloatPathGivesThePlainLoopsValues() {
        SplittableRandom g = new SplittableRandom(9);
        int[][] cases = {{8, 3000, 8, 2500}, {8, 3000, 5, 5}, {64, 100, 64, 7}, {3, 1, 3, 4}, {1, 5000, 1, 1}};
        for (int[] c : cases) {
            int rows = c[0], cols = c[1], ir = c[2], ic = c[3];
            float[] x = values(g, rows * cols);
            long[] over1 = picks(g, ir * ic, cols);
            try (Tensor t = Tensor.fromArray(x, rows, cols); Tensor i1 = Tensor.fromArray(over1, ir, ic);
                 Tensor y1 = t.gather(1, i1)) {
                assertArrayEquals(reference(x, rows, cols, over1, ir, ic, 1), y1.toFloatArray(), "dim 1 of " + rows + "x" + cols);
            }
            long[] over0 = picks(g, Math.min(ir, rows) * cols, rows);
            try (Tensor t = Tensor.fromArray(x, rows, cols); Tensor i0 = Tensor.fromArray(over0, Math.min(ir, rows), cols);
                 Tensor y0 = t.gather(0, i0)) {
                assertArrayEquals(reference(x, rows, cols, over0, Math.min(ir, rows), cols, 0), y0.toFloatArray(), "dim 0 of " + rows + "x" + cols);
            }
        }
    }

    @Test
    void aTransposedInputReadsThroughItsStrides() {
        SplittableRandom g = new SplittableRandom(4);
        float[] x = values(g, 300 * 40);
        long[] idx = picks(g, 40 * 120, 300);
        try (Tensor t = Tensor.fromArray(x, 300, 40); Tensor tt = t.t(); Tensor i = Tensor.fromArray(idx, 40, 120);
             Tensor y = tt.gather(1, i); Tensor ttc = tt.contiguous()) {
            assertArrayEquals(reference(ttc.toFloatArray(), 40, 300, idx, 40, 120, 1), y.toFloatArray());
        }
    }

    @Test
    void aBadIndexDeepInALongRunIsNamed() {
        SplittableRandom g = new SplittableRandom(2);
        for (long bad : new long[]{-1, 3000, Long.MIN_VALUE, Long.MAX_VALUE}) {
            long[] idx = picks(g, 2 * 2500, 3000);
            idx[2500 + 1777] = bad;
            try (Tensor t = Tensor.fromArray(values(g, 2 * 3000), 2, 3000); Tensor i = Tensor.fromArray(idx, 2, 2500)) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.gather(1, i));
                assertTrue(e.getMessage().contains("gather") && e.getMessage().contains("index " + bad), e.getMessage());
            }
        }
    }
}
