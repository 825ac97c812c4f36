package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.View;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The sum of every element of a large contiguous float32 tensor as dot products with ones: OpenBLAS's vectorised
 * {@code sdot} over blocks of {@link #BLOCK} floats, the blocks spread over all threads and their sums added in
 * double. Measured on 4M floats, 2 threads: 0.15 ms, where oneDNN's reduction to one value runs on one thread
 * (0.53 ms) and a Java loop stays scalar (1.2 ms).
 */
final class BlasSum {
    private BlasSum() {}

    static final int BLOCK = 1 << 16;

    /** Read-only after construction, so every thread shares it. */
    private static final FloatBuffer ONES = ones();

    private static FloatBuffer ones() {
        FloatBuffer b = ByteBuffer.allocateDirect(4 * BLOCK).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < BLOCK; i++) b.put(i, 1f);
        return b;
    }

    /** Writes the sum of {@code in} into the one-element {@code out} when it can; false leaves it to the other kernels. */
    static boolean sumAll(ReduceOp op, View in, int[] dims, View out) {
        if (op != ReduceOp.SUM || dims.length != in.dim() || out.numel() != 1 || in.dtype() != DType.FLOAT32
                || out.dtype() != DType.FLOAT32 || in.numel() < OneDnnPointwise.MIN_ELEMENTS || !in.isContiguous()
                || !OpenBlas.available()) {
            return false;
        }
        CpuBuffer b = CpuBackend.buf(in);
        long n = in.numel();
        int base = in.offset();
        // one slot per block, added in block order afterwards: the same bits whichever thread ran which block
        double[] parts = new double[(int) ((n + BLOCK - 1) / BLOCK)];
        Parallel.range(parts.length, 1, (s, e) -> {
            for (int blk = (int) s; blk < e; blk++) {
                long from = (long) blk * BLOCK;
                parts[blk] = OpenBlas.sdot(b.f, base + (int) from, ONES, 0, (int) Math.min(BLOCK, n - from));
            }
        });
        double total = 0;
        for (double p : parts) total += p;
        CpuBackend.buf(out).f.put(out.offset(), (float) total);
        return true;
    }
}
