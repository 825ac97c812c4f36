package dev.kindling.backend.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeometryTest {
    @Test
    void contiguousOperandsMergeIntoOneRow() {
        Geometry g = Geometry.of("add", new int[]{4, 5, 6}, new long[]{30, 6, 1}, new long[]{30, 6, 1}, new long[]{30, 6, 1});
        assertArrayEquals(new long[]{120}, g.size);
        assertTrue(g.contiguous());
        assertEquals(120, g.numel);
    }

    @Test
    void broadcastAndTransposedOperandsKeepTheirDimensions() {
        // out [4,6] contiguous, a [4,6] contiguous, b a row [6] broadcast over rows (stride 0)
        Geometry g = Geometry.of("add", new int[]{4, 6}, new long[]{6, 1}, new long[]{6, 1}, new long[]{0, 1});
        assertArrayEquals(new long[]{4, 6}, g.size);
        assertArrayEquals(new long[]{0, 1}, g.strides[2]);
        assertFalse(g.contiguous());
        // a transposed input [3,2] with strides (1,3)
        Geometry t = Geometry.of("copy", new int[]{3, 2}, new long[]{2, 1}, new long[]{1, 3});
        assertEquals(2, t.ndim());
    }

    @Test
    void sizeOneDimensionsDisappearAndScalarsHaveNone() {
        Geometry g = Geometry.of("exp", new int[]{1, 7, 1}, new long[]{7, 1, 1}, new long[]{99, 1, 5});
        assertArrayEquals(new long[]{7}, g.size);
        assertTrue(g.contiguous());
        Geometry s = Geometry.of("fill", new int[0], new long[0]);
        assertEquals(0, s.ndim());
        assertEquals(1, s.numel);
        assertTrue(s.contiguous());
    }

    @Test
    void packMatchesTheCStruct() {
        Geometry g = Geometry.of("add", new int[]{4, 6}, new long[]{6, 1}, new long[]{6, 1}, new long[]{0, 1});
        long[] p = g.pack();
        int m = Geometry.MAX_DIMS;
        assertEquals(1 + m + Geometry.MAX_OPERANDS * m, p.length);
        assertEquals(2, p[0]);
        assertEquals(4, p[1]);
        assertEquals(6, p[2]);
        assertEquals(6, p[1 + m]);         // operand 0, dim 0
        assertEquals(0, p[1 + m + 2 * m]); // operand 2 (b), dim 0: broadcast
        assertEquals(1, p[1 + m + 2 * m + 1]);
        assertTrue(Geometry.C_STRUCT.contains("long long size[12]") && Geometry.C_STRUCT.contains("stride[4][12]"));
    }

    @Test
    void tooManyDimensionsOrOperandsAreNamedErrors() {
        int n = Geometry.MAX_DIMS + 1;
        int[] shape = new int[n];
        long[] st = new long[n];
        for (int d = 0; d < n; d++) {
            shape[d] = 2;
            st[d] = 1L << (2 * (n - d)); // gaps everywhere: nothing merges
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Geometry.of("mul", shape, st));
        assertTrue(e.getMessage().startsWith("mul: tensors of shape"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Geometry.of("x", new int[]{1}, new long[1], new long[1], new long[1], new long[1], new long[1]));
    }
}
