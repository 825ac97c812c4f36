package dev.kindling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14, item 2: sizes, strides, offsets and byte counts never wrap. An impossible size is an
 * IllegalArgumentException naming the op, the shape and the bytes (PyTorch: "Storage size calculation
 * overflowed"), never a tensor with a wrapped numel, a raw ArithmeticException, or a crash in native code.
 */
class SizeOverflowTest {
    private static final int K64 = 1 << 16;

    /** Asserts an IllegalArgumentException whose message holds every fragment and no raw JDK arithmetic text. */
    private static IllegalArgumentException fails(Executable body, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, body);
        String msg = String.valueOf(e.getMessage());
        for (String f : fragments) assertTrue(msg.contains(f), () -> "message \"" + msg + "\" lacks \"" + f + "\"");
        assertTrue(!msg.contains("/ by zero") && !msg.contains("integer overflow") && !msg.contains("long overflow"),
                () -> "raw JDK message: " + msg);
        return e;
    }

    // ------------------------------------------------------------------ the three reported cases

    @Test
    void aShapeWhoseProductWrapsToZeroIsAnError() {
        // 2^64 elements: the long product used to wrap to 0, giving a tensor with numel() == 0 whose slices
        // then crashed the JVM inside OpenBLAS
        fails(() -> Tensor.zeros(K64, K64, K64, K64), "zeros", "overflowed", "[65536, 65536, 65536, 65536]",
                "18446744073709551616 elements", "73786976294838206464 bytes");
        fails(() -> Tensor.ones(new int[]{K64, K64, K64, K64}, DType.FLOAT64), "ones", "overflowed");
        fails(() -> Tensor.empty(K64, K64, K64, K64), "empty", "overflowed");
    }

    @Test
    void aByteCountThatWrapsIsAnError() {
        // 2^62 elements of 4 bytes: the byte count wrapped to 0, then a kernel divided by zero
        fails(() -> Tensor.zeros(1 << 30, 1 << 30, 4), "zeros", "[1073741824, 1073741824, 4]",
                "4611686018427387904 elements", "18446744073709551616 bytes");
    }

    @Test
    void randomFactoriesCheckTheSizeBeforeAllocating() {
        fails(() -> Tensor.randn(1 << 30, 64), "randn", "[1073741824, 64]", "68719476736 elements", "274877906944 bytes");
        fails(() -> Tensor.rand(1 << 30, 64), "rand", "68719476736 elements");
        fails(() -> Tensor.randint(0, 10, 1 << 30, 64), "randint", "68719476736 elements");
        fails(() -> Tensor.rand(K64, K64, K64, K64), "rand", "overflowed");
        fails(() -> Tensor.randint(Long.MIN_VALUE, Long.MAX_VALUE, 2), "randint", "range");
    }

    // ------------------------------------------------------------------ element and byte limits

    @Test
    void tooManyElementsSaysTheLimit() {
        fails(() -> Tensor.zeros(K64, 1 << 15), "zeros", "2147483648 elements", "2147483647");
        fails(() -> Tensor.zeros(new int[]{K64, 1 << 15}, DType.BOOL), "zeros", "2147483648 elements");
        // fits the element limit, not the CPU's 2 GiB per storage
        fails(() -> Tensor.zeros(1 << 29), "zeros", "[536870912]", "2147483648 bytes", "2 GiB");
        fails(() -> Tensor.eye(46341), "eye", "[46341, 46341]");
        fails(() -> Tensor.eye(K64, K64), "eye", "4294967296 elements");
    }

    @Test
    void fromByteBufferChecksTheByteCount() {
        fails(() -> Tensor.fromByteBuffer(ByteBuffer.allocate(16), DType.FLOAT32, 1 << 30, 1 << 30, 4),
                "fromByteBuffer", "18446744073709551616 bytes");
        fails(() -> Tensor.fromByteBuffer(ByteBuffer.allocate(16), DType.FLOAT32, K64, K64), "fromByteBuffer");
    }

    // ------------------------------------------------------------------ views and shape ops

    @Test
    void reshapeAndViewRejectShapesWhoseProductWraps() {
        // 65536^4 wraps to 0 == numel of an empty tensor: this used to succeed
        fails(() -> Tensor.zeros(0).reshape(K64, K64, K64, K64), "reshape", "[65536, 65536, 65536, 65536]");
        fails(() -> Tensor.zeros(0).view(K64, K64, K64, K64), "view", "[65536, 65536, 65536, 65536]");
        fails(() -> Tensor.zeros(0).reshape(-1, K64, K64, K64, K64), "reshape");
        // 2^32 elements of a broadcast view cannot be flattened into one int-sized dimension
        Tensor big = Tensor.zeros(1, 1).expand(K64, K64);
        assertEquals(1L << 32, big.numel());
        fails(() -> big.reshape(-1), "reshape", "4294967296");
        fails(() -> big.flatten(), "flatten", "4294967296");
        // an empty tensor may still have huge sizes; its strides saturate instead of wrapping
        Tensor empty = Tensor.zeros(0, K64, K64, K64);
        assertEquals(0, empty.numel());
        for (int s : empty.stride()) assertTrue(s >= 0, "stride " + s);
        assertEquals(0, empty.reshape(K64, 0, K64, K64).numel());
    }

    @Test
    void expandRejectsAnOverflowingOrNegativeSize() {
        // 65536^4 elements: numel() used to wrap to 0
        fails(() -> Tensor.zeros(1).expand(K64, K64, K64, K64), "expand", "overflowed", "[65536, 65536, 65536, 65536]");
        fails(() -> Tensor.zeros(1).expand(-2), "expand", "-2");
        // a broadcast view larger than any storage is fine: it holds one element
        assertEquals(1L << 48, Tensor.zeros(1).expand(K64, K64, K64).numel());
    }

    @Test
    void repeatRejectsSizesPastTheLimits() {
        fails(() -> Tensor.ones(2).repeat(1 << 30), "repeat", "2147483648");
        fails(() -> Tensor.ones(K64).repeat(K64), "repeat", "4294967296");
        fails(() -> Tensor.ones(4).repeat(K64, K64), "repeat", "[65536, 262144]", "17179869184 elements");
        fails(() -> Tensor.ones(2).repeat(-1), "repeat", "negative");
    }

    @Test
    void catAndStackRejectATotalPastTheLimits() {
        Tensor half = Tensor.zeros(1).expand(1 << 30);
        // 2^31 along one dimension: the int total used to wrap negative
        fails(() -> Tensor.cat(List.of(half, half, half)), "cat", "3221225472");
        fails(() -> Tensor.cat(List.of(half, half), 0), "cat", "2147483648");
        Tensor quarter = Tensor.zeros(1).expand(1 << 28);
        fails(() -> Tensor.cat(List.of(quarter, quarter, quarter)), "cat", "[805306368]", "2 GiB");
        fails(() -> Tensor.stack(List.of(quarter, quarter, quarter)), "cat", "[3, 268435456]");
    }

    @Test
    void matmulWhoseResultCannotExistIsAnError() {
        Tensor col = Tensor.zeros(1, 1).expand(K64, 1), row = Tensor.zeros(1, 1).expand(1, K64);
        fails(() -> col.matmul(row), "matmul", "[65536, 65536]", "4294967296 elements");
        fails(() -> col.mm(row), "mm", "[65536, 65536]");
        Tensor bcol = Tensor.zeros(1, 1, 1).expand(4, 1 << 15, 1), brow = Tensor.zeros(1, 1, 1).expand(4, 1, 1 << 15);
        fails(() -> bcol.bmm(brow), "bmm", "[4, 32768, 32768]");
        fails(() -> bcol.matmul(brow), "matmul", "[4, 32768, 32768]");
        fails(() -> Tensor.zeros(1, 1, 1).expand(K64, K64, 1).matmul(Tensor.zeros(1, 4)), "matmul", "[65536, 65536, 4]");
        fails(() -> col.mul(row), "mul", "[65536, 65536]");
        fails(() -> col.add(row), "add", "[65536, 65536]");
    }

    @Test
    void slicesAndNarrowsComputeInLongs() {
        Tensor x = Tensor.arange(0, 10);
        // (end - start + step - 1) used to wrap: a step of Integer.MAX_VALUE gave an empty slice
        Tensor s = x.slice(0, 0, 10, Integer.MAX_VALUE);
        assertArrayEquals(new int[]{1}, s.shape());
        assertArrayEquals(new long[]{0}, s.toLongArray());
        assertArrayEquals(new long[]{3}, x.slice(0, 3, Integer.MAX_VALUE, Integer.MAX_VALUE - 1).toLongArray());
        // start + length used to wrap and pass the bounds check
        assertThrows(IndexOutOfBoundsException.class, () -> x.narrow(0, 1, Integer.MAX_VALUE));
        assertEquals(2, x.chunk(Integer.MAX_VALUE, 0).get(1).longItem() + 1);
    }

    @Test
    void hostArraysOfBroadcastViewsSayTheLimit() {
        Tensor big = Tensor.zeros(1, 1).expand(K64, K64);
        fails(big::toFloatArray, "toFloatArray", "4294967296 elements");
        fails(() -> big.uniform_(0, 1), "uniform_", "4294967296 elements");
    }
}
