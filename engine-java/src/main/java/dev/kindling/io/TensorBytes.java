package dev.kindling.io;

import dev.kindling.Tensor;

import java.nio.ByteBuffer;

/** Turns raw row-major tensor bytes of a file dtype into a Kindling tensor (F16 and BF16 widen to FLOAT32). */
final class TensorBytes {
    private TensorBytes() {}

    /** {@code bytes} holds exactly the elements, from its position, in its byte order. */
    static Tensor decode(ByteBuffer bytes, StDType dtype, int[] shape) {
        if (dtype != StDType.F16 && dtype != StDType.BF16) return Tensor.fromByteBuffer(bytes, dtype.loadAs, shape);
        float[] v = new float[bytes.remaining() / 2];
        boolean bf16 = dtype == StDType.BF16;
        for (int i = 0; i < v.length; i++) {
            short s = bytes.getShort(bytes.position() + 2 * i);
            v[i] = bf16 ? HalfFloats.bf16ToFloat(s) : HalfFloats.f16ToFloat(s);
        }
        return Tensor.fromArray(v, shape);
    }
}
