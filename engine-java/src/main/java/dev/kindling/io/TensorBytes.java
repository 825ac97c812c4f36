package dev.kindling.io;

import dev.kindling.Tensor;

import java.nio.ByteBuffer;

/** Turns raw row-major tensor bytes of a file dtype into a Kindling tensor of the same dtype. */
final class TensorBytes {
    private TensorBytes() {}

    /** {@code bytes} holds exactly the elements, from its position, in its byte order. */
    static Tensor decode(ByteBuffer bytes, StDType dtype, int[] shape) {
        return Tensor.fromByteBuffer(bytes, dtype.loadAs, shape);
    }
}
