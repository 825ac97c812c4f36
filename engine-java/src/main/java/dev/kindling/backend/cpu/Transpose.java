package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import java.nio.FloatBuffer;

/**
 * Transposing float32 matrices in cache-sized tiles: on the heap ({@link #of}), and a matrix stored transposed copied
 * into a contiguous one ({@code x.t().contiguous()}, or any 2-d view with strides {@code [1, ld]}, {@link #copy}): each
 * tile's columns are read as contiguous runs of the source, turned on the heap and written as contiguous runs of the
 * destination. The element-by-element path reads every source element from a different cache line (1024 x 1024:
 * 3.5 ms, PyTorch 1.75 ms; tiled 0.8 ms).
 */
final class Transpose {
    private Transpose() {}

    /** Tile side: 64 x 64 floats, 16 KB, stays in L1 with its transposed copy. */
    private static final int TILE = 64;
    /** Below this many elements the element-by-element path is as fast. */
    private static final long MIN_ELEMENTS = 4096;

    /** Copies {@code src} into {@code dst} when it is such a transpose (different buffers); false leaves it to the caller. */
    static boolean copy(View src, CpuBuffer sb, View dst, CpuBuffer db) {
        // every copy asks: the cheapest questions first
        if (dst.dim() != 2 || src.dim() != 2 || src.dtype() != DType.FLOAT32 || dst.dtype() != DType.FLOAT32
                || dst.numel() < MIN_ELEMENTS || !java.util.Arrays.equals(src.shape(), dst.shape()) || !dst.isContiguous()) {
            return false;
        }
        int rows = dst.shape()[0], cols = dst.shape()[1];
        long ld = src.strides()[1];
        // element (i, j) of src at offset + i + j * ld: each source column is a contiguous run of `rows` floats
        if (src.strides()[0] != 1 || ld < rows) return false;
        FloatBuffer in = sb.f, out = db.f;
        long srcOff = src.offset(), dstOff = dst.offset();
        int tilesDown = (rows + TILE - 1) / TILE;
        Parallel.range(tilesDown, Math.max(1, CpuBackend.GRAIN / ((long) TILE * Math.max(1, cols))), (s, e) -> {
            float[] tile = new float[TILE * TILE], turned = new float[TILE * TILE];
            for (long ti = s; ti < e; ti++) {
                int i0 = (int) ti * TILE, bi = Math.min(TILE, rows - i0);
                for (int j0 = 0; j0 < cols; j0 += TILE) {
                    int bj = Math.min(TILE, cols - j0);
                    // the tile's bj source columns of bi floats, as a dense bj x bi block, turned into bi rows of bj
                    for (int jj = 0; jj < bj; jj++) in.get((int) (srcOff + i0 + (j0 + jj) * ld), tile, jj * bi, bi);
                    of(tile, bj, bi, turned);
                    for (int ii = 0; ii < bi; ii++) out.put((int) (dstOff + (long) (i0 + ii) * cols + j0), turned, ii * bj, bj);
                }
            }
        });
        return true;
    }

    /** {@code to} (cols x rows) = the transpose of the dense {@code from} (rows x cols), in tiles that stay in cache. */
    static void of(float[] from, int rows, int cols, float[] to) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) to[j * rows + i] = from[i * cols + j];
                }
            }
        }
    }
}
