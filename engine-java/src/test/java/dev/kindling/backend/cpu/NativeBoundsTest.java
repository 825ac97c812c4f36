package dev.kindling.backend.cpu;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 2: no native call receives a size or offset that reaches past its buffers. A 65536 x 65536
 * product over 64-byte buffers (what a slice of a tensor with a wrapped numel() used to hand OpenBLAS) is an
 * exception before the call, not a SIGSEGV in sgemm_oncopy.
 */
class NativeBoundsTest {
    private static FloatBuffer floats(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Test
    void gemmPastTheBuffersThrowsBeforeTheNativeCall() {
        FloatBuffer a = floats(16), b = floats(16), c = floats(16);
        var e = assertThrows(IllegalArgumentException.class,
                () -> OpenBlas.sgemm(false, false, 65536, 65536, 65536, a, 0, 65536, b, 0, 65536, 0f, c, 0, 65536));
        assertTrue(e.getMessage().startsWith("sgemm: matrix A (65536 x 65536"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.sgemm(false, false, 4, 4, 4, a, 1, 4, b, 0, 4, 0f, c, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.sgemm(false, true, 4, 4, 4, a, 0, 4, b, 0, 4, 0f, c, -1, 4));
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.sgemm(false, false, 4, 4, 4, a, 0, 3, b, 0, 4, 0f, c, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.sgemm(false, false, -1, 4, 4, a, 0, 4, b, 0, 4, 0f, c, 0, 4));
        DoubleBuffer d = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()).asDoubleBuffer();
        assertThrows(IllegalArgumentException.class, () -> OpenBlas.dgemm(true, false, 3, 3, 3, d, 0, 3, d, 0, 3, 0, d, 0, 3));
    }

    @Test
    void gemmThatFitsStillRuns() {
        if (!OpenBlas.available()) return;
        FloatBuffer a = floats(16), b = floats(16), c = floats(16);
        for (int i = 0; i < 16; i++) {
            a.put(i, i % 5 == 0 ? 1 : 0); // identity
            b.put(i, i);
        }
        OpenBlas.sgemm(false, false, 4, 4, 4, a, 0, 4, b, 0, 4, 0f, c, 0, 4);
        for (int i = 0; i < 16; i++) assertEquals(i, c.get(i));
        // the transposed, offset block at the very end of its buffer is inside it
        OpenBlas.sgemm(true, false, 2, 2, 2, a, 10, 4, b, 0, 4, 0f, c, 12, 2);
    }
}
