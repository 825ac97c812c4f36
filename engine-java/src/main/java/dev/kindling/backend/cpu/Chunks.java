package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.HalfFloats;

/**
 * Moves strided runs of elements between a buffer and small heap arrays, converting dtype on the way.
 * Kernels compute on these arrays (which the JIT vectorises) instead of on the buffer element by element:
 * contiguous runs become bulk copies, broadcast runs (stride 0) become fills. FLOAT16 and BFLOAT16 elements
 * widen to float on reading and round to nearest even once on writing, so every kernel computes them in at
 * least float32 precision, as PyTorch's CPU kernels do. A run is at most {@link #SIZE} elements (the heap arrays'
 * length): callers move chunks, and conversions go through this thread's {@link Scratch} arrays of that size.
 */
final class Chunks {
    static final int SIZE = 1024;

    private Chunks() {}

    /** Per-thread scratch arrays, so kernels allocate nothing per call. */
    static final class Scratch {
        final float[] f0 = new float[SIZE], f1 = new float[SIZE], f2 = new float[SIZE];
        final double[] d0 = new double[SIZE], d1 = new double[SIZE], d2 = new double[SIZE];
        final long[] l0 = new long[SIZE], l1 = new long[SIZE], l2 = new long[SIZE];
        /** FLOAT32 elements as their bits, for kernels that select bits ({@link #readBits}). */
        final int[] i0 = new int[SIZE], i1 = new int[SIZE], i2 = new int[SIZE];
        /** BOOL results of a kernel (comparisons), written by {@link #writeBool}. */
        final byte[] b0 = new byte[SIZE];
        /**
         * Used inside one read or write call alone, around its bulk copy of a contiguous run: to widen or narrow
         * floats, and to hold BOOL bytes.
         */
        final float[] widen = new float[SIZE];
        final byte[] bytes = new byte[SIZE];
        final long[] longs = new long[SIZE];
        final int[] ints = new int[SIZE];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() { return SCRATCH.get(); }

    static void readF(CpuBuffer b, int off, int stride, int n, float[] dst) {
        if (stride == 1) {
            b.f.get(off, dst, 0, n);
        } else if (stride == 0) {
            java.util.Arrays.fill(dst, 0, n, b.f.get(off));
        } else {
            for (int i = 0; i < n; i++) dst[i] = b.f.get(off + i * stride);
        }
    }

    /** FLOAT32 elements as their int bits, through the buffer's int view (see {@link PointwiseMath#hasBitsLoop}). */
    static void readBits(CpuBuffer b, int off, int stride, int n, int[] dst) {
        if (stride == 1) {
            b.i.get(off, dst, 0, n);
        } else if (stride == 0) {
            java.util.Arrays.fill(dst, 0, n, b.i.get(off));
        } else {
            for (int i = 0; i < n; i++) dst[i] = b.i.get(off + i * stride);
        }
    }

    /** Writes FLOAT32 elements from their int bits (see {@link #readBits}). */
    static void writeBits(CpuBuffer b, int off, int stride, int n, int[] src) {
        if (stride == 1) {
            b.i.put(off, src, 0, n);
        } else {
            for (int i = 0; i < n; i++) b.i.put(off + i * stride, src[i]);
        }
    }

    static void writeF(CpuBuffer b, int off, int stride, int n, float[] src) {
        if (stride == 1) {
            b.f.put(off, src, 0, n);
        } else {
            for (int i = 0; i < n; i++) b.f.put(off + i * stride, src[i]);
        }
    }

    static void readD(CpuBuffer b, DType t, int off, int stride, int n, double[] dst) {
        if (stride == 0 && n > 1) { // a broadcast element: read once
            java.util.Arrays.fill(dst, 0, n, getD(b, t, off));
            return;
        }
        switch (t) {
            case FLOAT64 -> {
                if (stride == 1) b.d.get(off, dst, 0, n);
                else for (int i = 0; i < n; i++) dst[i] = b.d.get(off + i * stride);
            }
            case FLOAT32 -> {
                if (stride == 1) {
                    float[] w = SCRATCH.get().widen;
                    b.f.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b.f.get(off + i * stride);
                }
            }
            case INT64 -> {
                if (stride == 1) {
                    long[] w = SCRATCH.get().longs;
                    b.l.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b.l.get(off + i * stride);
                }
            }
            case INT32 -> {
                if (stride == 1) {
                    int[] w = SCRATCH.get().ints;
                    b.i.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b.i.get(off + i * stride);
                }
            }
            case BOOL -> {
                if (stride == 1) {
                    byte[] w = SCRATCH.get().bytes;
                    b.data.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b.data.get(off + i * stride);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) dst[i] = HalfFloats.f16ToFloat(b.s.get(off + i * stride));
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) dst[i] = HalfFloats.bf16ToFloat(b.s.get(off + i * stride));
            }
        }
    }

    static void writeD(CpuBuffer b, DType t, int off, int stride, int n, double[] src) {
        switch (t) {
            case FLOAT64 -> {
                if (stride == 1) b.d.put(off, src, 0, n);
                else for (int i = 0; i < n; i++) b.d.put(off + i * stride, src[i]);
            }
            case FLOAT32 -> {
                if (stride == 1) {
                    float[] w = SCRATCH.get().widen;
                    for (int i = 0; i < n; i++) w[i] = (float) src[i];
                    b.f.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.f.put(off + i * stride, (float) src[i]);
                }
            }
            case INT64 -> {
                if (stride == 1) {
                    long[] w = SCRATCH.get().longs;
                    for (int i = 0; i < n; i++) w[i] = (long) src[i];
                    b.l.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.l.put(off + i * stride, (long) src[i]);
                }
            }
            case INT32 -> {
                if (stride == 1) {
                    int[] w = SCRATCH.get().ints;
                    for (int i = 0; i < n; i++) w[i] = (int) (long) src[i];
                    b.i.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.i.put(off + i * stride, (int) (long) src[i]);
                }
            }
            case BOOL -> {
                if (stride == 1) {
                    byte[] w = SCRATCH.get().bytes;
                    for (int i = 0; i < n; i++) w[i] = src[i] != 0 ? (byte) 1 : (byte) 0;
                    b.data.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.data.put(off + i * stride, src[i] != 0 ? (byte) 1 : (byte) 0);
                }
            }
            // through float, as PyTorch's conversion of a double to Half or BFloat16 goes
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) b.s.put(off + i * stride, HalfFloats.floatToF16((float) src[i]));
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) b.s.put(off + i * stride, HalfFloats.floatToBf16((float) src[i]));
            }
        }
    }

    /** Reads {@code n} BOOL elements (0 or 1 each) into {@code dst}. */
    static void readBool(CpuBuffer b, int off, int stride, int n, byte[] dst) {
        if (stride == 1) {
            b.data.get(off, dst, 0, n);
        } else if (stride == 0) {
            java.util.Arrays.fill(dst, 0, n, b.data.get(off));
        } else {
            for (int i = 0; i < n; i++) dst[i] = b.data.get(off + i * stride);
        }
    }

    /** Writes {@code n} BOOL elements (0 or 1 each) from {@code src}. */
    static void writeBool(CpuBuffer b, int off, int stride, int n, byte[] src) {
        if (stride == 1) {
            b.data.put(off, src, 0, n);
        } else {
            for (int i = 0; i < n; i++) b.data.put(off + i * stride, src[i]);
        }
    }

    static void readL(CpuBuffer b, DType t, int off, int stride, int n, long[] dst) {
        if (stride == 0 && n > 1) { // a broadcast element: read once
            readL(b, t, off, 1, 1, dst);
            java.util.Arrays.fill(dst, 1, n, dst[0]);
            return;
        }
        switch (t) {
            case INT64 -> {
                if (stride == 1) b.l.get(off, dst, 0, n);
                else for (int i = 0; i < n; i++) dst[i] = b.l.get(off + i * stride);
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) dst[i] = b.i.get(off + i * stride);
            }
            case BOOL -> {
                if (stride == 1) {
                    byte[] w = SCRATCH.get().bytes;
                    b.data.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = b.data.get(off + i * stride);
                }
            }
            case FLOAT32 -> {
                if (stride == 1) {
                    float[] w = SCRATCH.get().widen;
                    b.f.get(off, w, 0, n);
                    for (int i = 0; i < n; i++) dst[i] = (long) w[i];
                } else {
                    for (int i = 0; i < n; i++) dst[i] = (long) b.f.get(off + i * stride);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) dst[i] = (long) b.d.get(off + i * stride);
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) dst[i] = (long) HalfFloats.f16ToFloat(b.s.get(off + i * stride));
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) dst[i] = (long) HalfFloats.bf16ToFloat(b.s.get(off + i * stride));
            }
        }
    }

    static void writeL(CpuBuffer b, DType t, int off, int stride, int n, long[] src) {
        switch (t) {
            case INT64 -> {
                if (stride == 1) b.l.put(off, src, 0, n);
                else for (int i = 0; i < n; i++) b.l.put(off + i * stride, src[i]);
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) b.i.put(off + i * stride, (int) src[i]);
            }
            case BOOL -> {
                if (stride == 1) {
                    byte[] w = SCRATCH.get().bytes;
                    for (int i = 0; i < n; i++) w[i] = src[i] != 0 ? (byte) 1 : (byte) 0;
                    b.data.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.data.put(off + i * stride, src[i] != 0 ? (byte) 1 : (byte) 0);
                }
            }
            case FLOAT32 -> {
                if (stride == 1) {
                    float[] w = SCRATCH.get().widen;
                    for (int i = 0; i < n; i++) w[i] = (float) src[i];
                    b.f.put(off, w, 0, n);
                } else {
                    for (int i = 0; i < n; i++) b.f.put(off + i * stride, (float) src[i]);
                }
            }
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) b.d.put(off + i * stride, (double) src[i]);
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) b.s.put(off + i * stride, HalfFloats.floatToF16((float) src[i]));
            }
            case BFLOAT16 -> {
                for (int i = 0; i < n; i++) b.s.put(off + i * stride, HalfFloats.floatToBf16((float) src[i]));
            }
        }
    }

    static double getD(CpuBuffer b, DType t, int idx) {
        return switch (t) {
            case FLOAT32 -> b.f.get(idx);
            case FLOAT64 -> b.d.get(idx);
            case INT64 -> b.l.get(idx);
            case INT32 -> b.i.get(idx);
            case BOOL -> b.data.get(idx);
            case FLOAT16 -> HalfFloats.f16ToFloat(b.s.get(idx));
            case BFLOAT16 -> HalfFloats.bf16ToFloat(b.s.get(idx));
        };
    }

    static void putD(CpuBuffer b, DType t, int idx, double v) {
        switch (t) {
            case FLOAT32 -> b.f.put(idx, (float) v);
            case FLOAT64 -> b.d.put(idx, v);
            case INT64 -> b.l.put(idx, (long) v);
            case INT32 -> b.i.put(idx, (int) (long) v);
            case BOOL -> b.data.put(idx, v != 0 ? (byte) 1 : 0);
            case FLOAT16 -> b.s.put(idx, HalfFloats.floatToF16((float) v));
            case BFLOAT16 -> b.s.put(idx, HalfFloats.floatToBf16((float) v));
        }
    }

    static long getL(CpuBuffer b, DType t, int idx) {
        return switch (t) {
            case FLOAT32 -> (long) b.f.get(idx);
            case FLOAT64 -> (long) b.d.get(idx);
            case INT64 -> b.l.get(idx);
            case INT32 -> b.i.get(idx);
            case BOOL -> b.data.get(idx);
            case FLOAT16 -> (long) HalfFloats.f16ToFloat(b.s.get(idx));
            case BFLOAT16 -> (long) HalfFloats.bf16ToFloat(b.s.get(idx));
        };
    }

    static void putL(CpuBuffer b, DType t, int idx, long v) {
        switch (t) {
            case FLOAT32 -> b.f.put(idx, (float) v);
            case FLOAT64 -> b.d.put(idx, (double) v);
            case INT64 -> b.l.put(idx, v);
            case INT32 -> b.i.put(idx, (int) v);
            case BOOL -> b.data.put(idx, v != 0 ? (byte) 1 : 0);
            case FLOAT16 -> b.s.put(idx, HalfFloats.floatToF16((float) v));
            case BFLOAT16 -> b.s.put(idx, HalfFloats.floatToBf16((float) v));
        }
    }
}
