package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.HalfFloats;
import dev.kindling.Device;
import dev.kindling.backend.Backend;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.OptimStep;
import dev.kindling.backend.Buffer;
import dev.kindling.backend.ConvParams;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import dev.kindling.memory.MemoryStats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.kindling.backend.cpu.Chunks.SIZE;

/**
 * The CPU backend: pooled direct buffers, elementwise kernels over heap chunks split across threads,
 * OpenBLAS for matmul. Shape, dtype and device checks happen in the ops layer before any call here.
 */
public final class CpuBackend implements Backend {
    /** Elements per task below which a loop stays on one thread. */
    static final long GRAIN = 1 << 15;

    private final CachingAllocator allocator = new CachingAllocator();

    /** A CPU backend with its own allocator; the engine creates one, reached through {@code Backends.cpu()}. */
    public CpuBackend() {
        OpenBlas.setThreads(Parallel.threads());
        // starts the Vector API kernels' warm-up (when the JVM has the module) while the program does its first steps
        Simd.start();
    }

    @Override public Device device() { return Device.CPU; }

    @Override public Buffer allocate(long bytes) { return allocator.allocate(bytes); }

    @Override public MemoryStats memoryStats() { return allocator.stats(); }

    @Override public void resetPeakMemory() { allocator.resetPeak(); }

    @Override public void emptyCache() { allocator.trim(); }

    @Override public void setNumThreads(int threads) {
        Parallel.setThreads(threads);
        OpenBlas.setThreads(threads);
    }

    @Override public int numThreads() { return Parallel.threads(); }

    @Override public boolean nativeBlas() { return OpenBlas.available(); }

    /** Why OpenBLAS is off, or null. */
    public static String nativeBlasFailure() { return OpenBlas.failure(); }

    static CpuBuffer buf(View v) { return (CpuBuffer) v.buffer(); }

    /**
     * How a kernel moves its operands: as floats, doubles or longs; CF and CL compare floats or longs into BOOL bytes;
     * BITS moves FLOAT32 elements as their int bits, for bit selects ({@link PointwiseMath#hasBitsLoop}).
     */
    private enum Mode { F, D, L, CF, CL, BITS }

    /** Runs {@code body} over the elements of equally shaped views, chunk by chunk, on all threads. */
    private static void forChunks(int[] shape, View[] views, ChunkBody body) { forChunks(shape, views, null, body); }

    private static void forChunks(int[] shape, View[] views, RunBody direct, ChunkBody body) {
        forChunks(shape, views, direct, GRAIN, body);
    }

    /**
     * Like {@link #forChunks(int[], View[], ChunkBody)}, but first offers each whole inner run to
     * {@code direct} (a loop on the buffers themselves); runs it declines go through heap chunks.
     */
    private static void forChunks(int[] shape, View[] views, RunBody direct, long grain, ChunkBody body) {
        int[] flat = flatStrides(shape, views);
        if (flat != null) {
            // the common case: every operand contiguous or a broadcast scalar, so one run covers it all
            long total = 1;
            for (int s : shape) total *= s;
            Parallel.range(total, grain, (s, e) -> runFlat(views, flat, (int) s, (int) (e - s), direct, body));
            return;
        }
        StridedIter it = new StridedIter(shape, views);
        int k = views.length;
        Parallel.range(it.total, grain, (s, e) -> {
            Chunks.Scratch sc = Chunks.scratch();
            int[] st = new int[k];
            for (int j = 0; j < k; j++) st[j] = it.innerStride(j);
            int[] o = new int[k];
            it.forRange(s, e, (off, n) -> {
                if (direct != null && direct.run(off, st, n)) return;
                for (int c = 0; c < n; c += SIZE) {
                    int len = Math.min(SIZE, n - c);
                    for (int j = 0; j < k; j++) o[j] = off[j] + c * st[j];
                    body.run(sc, o, st, len);
                }
            });
        });
    }

    /** Per operand 1 (contiguous) or 0 (one element broadcast), or null when some operand is neither. */
    private static int[] flatStrides(int[] shape, View[] views) {
        int[] flat = new int[views.length];
        for (int j = 0; j < views.length; j++) {
            int[] st = views[j].strides();
            int expected = 1;
            boolean contiguous = true, scalar = true;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (shape[d] == 1) continue;
                if (st[d] != expected) contiguous = false;
                if (st[d] != 0) scalar = false;
                expected *= shape[d];
            }
            if (contiguous) flat[j] = 1;
            else if (scalar) flat[j] = 0;
            else return null;
        }
        return flat;
    }

    private static void runFlat(View[] views, int[] flat, int start, int n, RunBody direct, ChunkBody body) {
        int k = views.length;
        int[] o = new int[k];
        for (int j = 0; j < k; j++) o[j] = views[j].offset() + start * flat[j];
        if (direct != null && direct.run(o, flat, n)) return;
        Chunks.Scratch sc = Chunks.scratch();
        int[] base = o.clone();
        for (int c = 0; c < n; c += SIZE) {
            for (int j = 0; j < k; j++) o[j] = base[j] + c * flat[j];
            body.run(sc, o, flat, Math.min(SIZE, n - c));
        }
    }

    private interface ChunkBody { void run(Chunks.Scratch sc, int[] off, int[] stride, int n); }

    /** Handles a whole run of {@code n} elements in place, or returns false to have it chunked. */
    private interface RunBody { boolean run(int[] off, int[] stride, int n); }

    @Override public void copy(View src, View dst) {
        DType s = src.dtype(), d = dst.dtype();
        CpuBuffer sb = buf(src), db = buf(dst);
        if (sb != db && Transpose.copy(src, sb, dst, db)) return;
        // integers to float32 through long: one rounding, as PyTorch converts (through double, a long above 2^53
        // was rounded twice)
        Mode mode = s == DType.FLOAT32 && d == DType.FLOAT32 ? Mode.F
                : s.isIntegral() && (d.isIntegral() || d == DType.FLOAT32) ? Mode.L
                : s == DType.FLOAT32 && d.isIntegral() && d != DType.BOOL ? Mode.L // truncated as through double
                : Mode.D;
        int size = s.byteSize();
        // same dtype, both runs contiguous, no overlap: one bulk memory copy per run
        RunBody bulk = s != d || sb == db ? null : (off, st, n) -> {
            if (st[0] != 1 || st[1] != 1) return false;
            db.data.put(off[0] * size, sb.data, off[1] * size, n * size);
            return true;
        };
        forChunks(dst.shape(), new View[]{dst, src}, bulk, (sc, off, st, n) -> {
            switch (mode) {
                case F -> {
                    Chunks.readF(sb, off[1], st[1], n, sc.f0);
                    Chunks.writeF(db, off[0], st[0], n, sc.f0);
                }
                case L -> {
                    Chunks.readL(sb, s, off[1], st[1], n, sc.l0);
                    Chunks.writeL(db, d, off[0], st[0], n, sc.l0);
                }
                case D -> {
                    Chunks.readD(sb, s, off[1], st[1], n, sc.d0);
                    Chunks.writeD(db, d, off[0], st[0], n, sc.d0);
                }
            }
        });
    }

    @Override public void fill(View dst, double value) {
        CpuBuffer db = buf(dst);
        DType d = dst.dtype();
        if (d == DType.FLOAT32) {
            // floats written in bulk (through doubles, converted one by one, zeros over [64, 1000] took 56 us)
            float v = (float) value;
            forChunks(dst.shape(), new View[]{dst}, (sc, off, st, n) -> {
                java.util.Arrays.fill(sc.f0, 0, n, v);
                Chunks.writeF(db, off[0], st[0], n, sc.f0);
            });
            return;
        }
        forChunks(dst.shape(), new View[]{dst}, (sc, off, st, n) -> {
            java.util.Arrays.fill(sc.d0, 0, n, value);
            Chunks.writeD(db, d, off[0], st[0], n, sc.d0);
        });
    }

    @Override public void fillLong(View dst, long value) {
        CpuBuffer db = buf(dst);
        DType d = dst.dtype();
        forChunks(dst.shape(), new View[]{dst}, (sc, off, st, n) -> {
            java.util.Arrays.fill(sc.l0, 0, n, value);
            Chunks.writeL(db, d, off[0], st[0], n, sc.l0);
        });
    }

    @Override public void write(View dst, Object array) {
        CpuBuffer b = buf(dst);
        int off = dst.offset();
        if (dst.dtype().isHalf()) {
            // float values (or their raw bits) into 16-bit elements
            boolean bf16 = dst.dtype() == DType.BFLOAT16;
            if (array instanceof short[] a) b.s.put(off, a);
            else if (array instanceof float[] a) {
                for (int i = 0; i < a.length; i++) b.s.put(off + i, bf16 ? HalfFloats.floatToBf16(a[i]) : HalfFloats.floatToF16(a[i]));
            } else throw new IllegalArgumentException("write: a " + dst.dtype() + " tensor takes float[] or short[], got "
                    + array.getClass().getSimpleName());
        } else if (array instanceof float[] a) b.f.put(off, a);
        else if (array instanceof double[] a) b.d.put(off, a);
        else if (array instanceof long[] a) b.l.put(off, a);
        else if (array instanceof int[] a) b.i.put(off, a);
        else if (array instanceof boolean[] a) for (int i = 0; i < a.length; i++) b.data.put(off + i, a[i] ? (byte) 1 : 0);
        else if (array instanceof byte[] a) b.data.put(off, a);
        else throw new IllegalArgumentException("write: unsupported array type " + array.getClass().getSimpleName());
    }

    @Override public void readBytes(View src, ByteBuffer dst) {
        int n = Math.toIntExact(src.numel() * src.dtype().byteSize());
        ByteBuffer from = buf(src).data.slice(src.offset() * src.dtype().byteSize(), n).order(ByteOrder.nativeOrder());
        ByteBuffer to = dst.slice(dst.position(), n).order(dst.order());
        RawBytes.copy(from, to, src.dtype().byteSize());
    }

    @Override public void writeBytes(View dst, ByteBuffer src) {
        int n = Math.toIntExact(dst.numel() * dst.dtype().byteSize());
        ByteBuffer to = buf(dst).data.slice(dst.offset() * dst.dtype().byteSize(), n).order(ByteOrder.nativeOrder());
        ByteBuffer from = src.slice(src.position(), n).order(src.order());
        RawBytes.copy(from, to, dst.dtype().byteSize());
        if (dst.dtype() == DType.BOOL) RawBytes.normalizeBools(to);
    }

    @Override public Object read(View src) {
        int n = Math.toIntExact(src.numel());
        CpuBuffer b = buf(src);
        StridedIter it = new StridedIter(src.shape(), src);
        int st = it.innerStride(0);
        int[] pos = {0};
        switch (src.dtype()) {
            case FLOAT32 -> {
                float[] out = new float[n];
                it.forRange(0, n, (off, len) -> {
                    if (st == 1) b.f.get(off[0], out, pos[0], len);
                    else for (int i = 0; i < len; i++) out[pos[0] + i] = b.f.get(off[0] + i * st);
                    pos[0] += len;
                });
                return out;
            }
            case FLOAT16, BFLOAT16 -> {
                float[] out = new float[n];
                boolean bf16 = src.dtype() == DType.BFLOAT16;
                it.forRange(0, n, (off, len) -> {
                    for (int i = 0; i < len; i++) {
                        short h = b.s.get(off[0] + i * st);
                        out[pos[0] + i] = bf16 ? HalfFloats.bf16ToFloat(h) : HalfFloats.f16ToFloat(h);
                    }
                    pos[0] += len;
                });
                return out;
            }
            case FLOAT64 -> {
                double[] out = new double[n];
                it.forRange(0, n, (off, len) -> {
                    for (int i = 0; i < len; i++) out[pos[0] + i] = b.d.get(off[0] + i * st);
                    pos[0] += len;
                });
                return out;
            }
            case INT64 -> {
                long[] out = new long[n];
                it.forRange(0, n, (off, len) -> {
                    for (int i = 0; i < len; i++) out[pos[0] + i] = b.l.get(off[0] + i * st);
                    pos[0] += len;
                });
                return out;
            }
            case INT32 -> {
                int[] out = new int[n];
                it.forRange(0, n, (off, len) -> {
                    for (int i = 0; i < len; i++) out[pos[0] + i] = b.i.get(off[0] + i * st);
                    pos[0] += len;
                });
                return out;
            }
            default -> {
                boolean[] out = new boolean[n];
                it.forRange(0, n, (off, len) -> {
                    for (int i = 0; i < len; i++) out[pos[0] + i] = b.data.get(off[0] + i * st) != 0;
                    pos[0] += len;
                });
                return out;
            }
        }
    }

    @Override public void unary(UnaryOp op, View in, View out) {
        if (OneDnnPointwise.unary(allocator, op, in, out)) return;
        DType it = in.dtype(), ot = out.dtype();
        CpuBuffer ib = buf(in), ob = buf(out);
        Mode mode = it == DType.FLOAT32 && ot == DType.FLOAT32 && PointwiseMath.hasFloatLoop(op) ? Mode.F
                : it.isIntegral() && PointwiseMath.hasLongLoop(op) ? Mode.L : Mode.D;
        RunBody direct = mode != Mode.F ? null : (off, st, n) -> FloatLoops.unary(op, ib.f, off[1], st[1], ob.f, off[0], st[0], n);
        // ops of several ns an element split over the threads from fewer elements (a 64x512 tanh: 8 pieces, not 1)
        long grain = PointwiseMath.costly(op) ? GRAIN / 8 : GRAIN;
        forChunks(out.shape(), new View[]{out, in}, direct, grain, (sc, off, st, n) -> {
            switch (mode) {
                case F -> {
                    Chunks.readF(ib, off[1], st[1], n, sc.f0);
                    PointwiseMath.unaryF(op, sc.f0, sc.f1, sc.f2, n);
                    Chunks.writeF(ob, off[0], st[0], n, sc.f1);
                }
                case L -> {
                    Chunks.readL(ib, it, off[1], st[1], n, sc.l0);
                    PointwiseMath.unaryL(op, sc.l0, sc.l1, n);
                    Chunks.writeL(ob, ot, off[0], st[0], n, sc.l1);
                }
                case D -> {
                    Chunks.readD(ib, it, off[1], st[1], n, sc.d0);
                    PointwiseMath.unaryD(op, sc.d0, sc.d1, n);
                    Chunks.writeD(ob, ot, off[0], st[0], n, sc.d1);
                }
            }
        });
    }

    /**
     * {@code r[i] = a[i]} where both are zeros: {@code r = max(a, lo)} (or {@code min(a, hi)}) is then {@code a}, as
     * {@code a < lo ? lo : a} gives it, where Math.max/min may take the zero bound's sign. Branch-free on the bits (a
     * branch per element, mispredicted on random signs, cost 3 ns: {@code clampMax(0)}, ELU's first step, took 7x
     * PyTorch's time).
     */
    private static void keepZeros(float[] a, float[] r, int n) {
        FloatBits.check(n, a, r, r);
        for (int i = 0; i < n; i++) {
            int v = FloatBits.get(a, i), c = FloatBits.get(r, i), both = (((v | c) & 0x7fffffff) - 1) >> 31;
            FloatBits.put(r, i, c & ~both | v & both);
        }
    }

    @Override public void clamp(View in, double min, double max, View out) {
        DType it = in.dtype(), ot = out.dtype();
        CpuBuffer ib = buf(in), ob = buf(out);
        boolean hasMin = !Double.isNaN(min), hasMax = !Double.isNaN(max);
        if (it == DType.FLOAT32 && ot == DType.FLOAT32) {
            // in float: comparing a float with a double bound or with the bound rounded to float picks the same
            // elements (no float lies between the two), and the bound is written rounded either way. Math.max and
            // Math.min (which C2 vectorises; the comparisons below it compiles into branches that random data
            // mispredicts, 5 ns an element) agree with "v < lo ? lo : v" except for a zero against a zero bound of
            // the other sign, where the element keeps its own sign
            float lo = hasMin ? (float) min : Float.NEGATIVE_INFINITY, hi = hasMax ? (float) max : Float.POSITIVE_INFINITY;
            boolean zeroBound = lo == 0 || hi == 0;
            forChunks(out.shape(), new View[]{out, in}, (sc, off, st, n) -> {
                float[] a = sc.f0;
                Chunks.readF(ib, off[1], st[1], n, a);
                // one bound, one pass: clampMin(0) took two vectorised steps and two zero fixes, 2.2x PyTorch's time
                if (!zeroBound && !hasMax) {
                    for (int i = 0; i < n; i++) a[i] = Math.max(a[i], lo);
                } else if (!zeroBound && !hasMin) {
                    for (int i = 0; i < n; i++) a[i] = Math.min(a[i], hi);
                } else if (!zeroBound) {
                    for (int i = 0; i < n; i++) a[i] = Math.min(Math.max(a[i], lo), hi);
                } else if (FloatBits.ON) {
                    // the loop below in vectorised steps, each a max or min whose zeros then take the other side's
                    float[] r = a;
                    if (hasMin) {
                        float[] m = sc.f1;
                        for (int i = 0; i < n; i++) m[i] = Math.max(r[i], lo);
                        keepZeros(r, m, n);
                        r = m;
                    }
                    if (hasMax) {
                        float[] m = r == a ? sc.f1 : a;
                        for (int i = 0; i < n; i++) m[i] = Math.min(r[i], hi);
                        keepZeros(r, m, n);
                        r = m;
                    }
                    Chunks.writeF(ob, off[0], st[0], n, r);
                    return;
                } else {
                    for (int i = 0; i < n; i++) {
                        float v = a[i], m = Math.max(v, lo);
                        if (v == lo) m = v;
                        float r = Math.min(m, hi);
                        a[i] = m == hi ? m : r;
                    }
                }
                Chunks.writeF(ob, off[0], st[0], n, a);
            });
            return;
        }
        forChunks(out.shape(), new View[]{out, in}, (sc, off, st, n) -> {
            double[] a = sc.d0;
            Chunks.readD(ib, it, off[1], st[1], n, a);
            for (int i = 0; i < n; i++) {
                double v = a[i];
                if (hasMin && v < min) v = min;
                if (hasMax && v > max) v = max;
                a[i] = v;
            }
            Chunks.writeD(ob, ot, off[0], st[0], n, a);
        });
    }

    @Override public void binary(BinaryOp op, View a, View b, View out) {
        // the op's name is built only for the error: this runs for every elementwise op
        if (a.dtype() != b.dtype()) Backend.checkSame(a, b, op.name().toLowerCase(java.util.Locale.ROOT));
        if (OneDnnPointwise.binary(allocator, op, a, b, out)) return;
        DType ct = a.dtype();
        DType ot = out.dtype();
        CpuBuffer ab = buf(a), bb = buf(b), ob = buf(out);
        boolean compare = ot == DType.BOOL && PointwiseMath.isComparison(op);
        Mode mode = ct == DType.FLOAT32 && ot == DType.FLOAT32 && PointwiseMath.hasFloatLoop(op) ? Mode.F
                : ct == DType.FLOAT32 && ot == DType.FLOAT32 && PointwiseMath.hasBitsLoop(op) ? Mode.BITS
                : compare && ct == DType.FLOAT32 ? Mode.CF
                : compare && ct.isIntegral() ? Mode.CL
                : ct.isIntegral() ? Mode.L : Mode.D;
        // the buffer loops only for long runs (memory-bound, where they spare the copies): in cache the chunks' array
        // loops vectorise and win (one thread, sub of 32K floats: 25-27 us on the buffers, 12 through chunks; 8K: 6-10
        // against 4.5-5.6; 640: the same)
        RunBody direct = mode != Mode.F ? null : (off, st, n) -> n >= FloatLoops.MIN_RUN
                && FloatLoops.binary(op, ab.f, off[1], st[1], bb.f, off[2], st[2], ob.f, off[0], st[0], n);
        forChunks(out.shape(), new View[]{out, a, b}, direct, (sc, off, st, n) -> {
            switch (mode) {
                case F -> {
                    Chunks.readF(ab, off[1], st[1], n, sc.f0);
                    Chunks.readF(bb, off[2], st[2], n, sc.f1);
                    PointwiseMath.binaryF(op, sc.f0, sc.f1, sc.f2, n);
                    Chunks.writeF(ob, off[0], st[0], n, sc.f2);
                }
                case BITS -> {
                    Chunks.readBits(ab, off[1], st[1], n, sc.i0);
                    Chunks.readBits(bb, off[2], st[2], n, sc.i1);
                    PointwiseMath.binaryBits(op, sc.i0, sc.i1, sc.i2, n);
                    Chunks.writeBits(ob, off[0], st[0], n, sc.i2);
                }
                case L -> {
                    Chunks.readL(ab, ct, off[1], st[1], n, sc.l0);
                    Chunks.readL(bb, ct, off[2], st[2], n, sc.l1);
                    PointwiseMath.binaryL(op, sc.l0, sc.l1, sc.l2, n);
                    Chunks.writeL(ob, ot, off[0], st[0], n, sc.l2);
                }
                case D -> {
                    Chunks.readD(ab, ct, off[1], st[1], n, sc.d0);
                    Chunks.readD(bb, ct, off[2], st[2], n, sc.d1);
                    PointwiseMath.binaryD(op, sc.d0, sc.d1, sc.d2, n);
                    Chunks.writeD(ob, ot, off[0], st[0], n, sc.d2);
                }
                case CF -> {
                    Chunks.readF(ab, off[1], st[1], n, sc.f0);
                    Chunks.readF(bb, off[2], st[2], n, sc.f1);
                    PointwiseMath.compareF(op, sc.f0, sc.f1, sc.b0, n);
                    Chunks.writeBool(ob, off[0], st[0], n, sc.b0);
                }
                case CL -> {
                    Chunks.readL(ab, ct, off[1], st[1], n, sc.l0);
                    Chunks.readL(bb, ct, off[2], st[2], n, sc.l1);
                    PointwiseMath.compareL(op, sc.l0, sc.l1, sc.b0, n);
                    Chunks.writeBool(ob, off[0], st[0], n, sc.b0);
                }
            }
        });
    }

    @Override public void ternary(TernaryOp op, View self, View t1, View t2, double value, View out) {
        DType t = Backend.checkSame(self, t1, "ternary");
        Backend.checkSame(self, out, "ternary");
        if (op != TernaryOp.AXPY) Backend.checkSame(self, t2, "ternary");
        if (!t.isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + t);
        View second = op == TernaryOp.AXPY ? t1 : t2;
        CpuBuffer sb = buf(self), ab = buf(t1), bb = buf(second), ob = buf(out);
        boolean f32 = t == DType.FLOAT32;
        float fv = (float) value;
        forChunks(out.shape(), new View[]{out, self, t1, second}, (sc, off, st, n) -> {
            if (f32) {
                Chunks.readF(sb, off[1], st[1], n, sc.f0);
                Chunks.readF(ab, off[2], st[2], n, sc.f1);
                if (op != TernaryOp.AXPY) Chunks.readF(bb, off[3], st[3], n, sc.f2);
                FusedMath.ternaryF(op, sc.f0, sc.f1, sc.f2, fv, n);
                Chunks.writeF(ob, off[0], st[0], n, sc.f0);
            } else {
                Chunks.readD(sb, t, off[1], st[1], n, sc.d0);
                Chunks.readD(ab, t, off[2], st[2], n, sc.d1);
                if (op != TernaryOp.AXPY) Chunks.readD(bb, t, off[3], st[3], n, sc.d2);
                FusedMath.ternaryD(op, sc.d0, sc.d1, sc.d2, value, n);
                Chunks.writeD(ob, t, off[0], st[0], n, sc.d0);
            }
        });
    }

    @Override public boolean gelu(View x, View out, View factor) {
        if (!allFloat32(x, out, factor)) return false;
        CpuBuffer xb = buf(x), ob = buf(out), fb = factor == null ? null : buf(factor);
        View[] views = factor == null ? new View[]{out, x} : new View[]{out, x, factor};
        forChunks(out.shape(), views, null, GRAIN / 8, (sc, off, st, n) -> {
            Chunks.readF(xb, off[1], st[1], n, sc.f0);
            GeluKernel.forward(sc.f0, sc.f1, sc.f2, n);
            Chunks.writeF(ob, off[0], st[0], n, sc.f1);
            if (fb != null) Chunks.writeF(fb, off[2], st[2], n, sc.f2);
        });
        return true;
    }

    @Override public boolean geluBackward(View grad, View x, View factor, View gradIn) {
        if (!allFloat32(grad, x, factor, gradIn) || !gradIn.isContiguous()) return false;
        CpuBuffer gb = buf(grad), xb = buf(x), fb = buf(factor), rb = buf(gradIn);
        int[] shape = gradIn.shape();
        forChunks(shape, new View[]{gradIn, x}, null, GRAIN, (sc, off, st, n) -> {
            Chunks.readF(xb, off[1], st[1], n, sc.f0);
            GeluKernel.negSquare(sc.f0, sc.f1, n);
            Chunks.writeF(rb, off[0], st[0], n, sc.f1);
        });
        // the ops' own exponential (oneDNN's from 65,536 elements, the Java loop below), so its bits are theirs
        unary(UnaryOp.EXP, gradIn, gradIn);
        forChunks(shape, new View[]{gradIn, grad, x, factor}, (sc, off, st, n) -> {
            Chunks.readF(gb, off[1], st[1], n, sc.f0);
            Chunks.readF(xb, off[2], st[2], n, sc.f1);
            Chunks.readF(rb, off[0], st[0], n, sc.f2);
            GeluKernel.backwardTail(sc.f0, sc.f1, sc.f2, n);
            Chunks.readF(fb, off[3], st[3], n, sc.f2);
            GeluKernel.backward(sc.f0, sc.f2, sc.f1, n);
            Chunks.writeF(rb, off[0], st[0], n, sc.f0);
        });
        return true;
    }

    @Override public boolean elu(View x, double alpha, View out, View factor) {
        if (!allFloat32(x, out, factor)) return false;
        CpuBuffer xb = buf(x), ob = buf(out), fb = factor == null ? null : buf(factor);
        float a = (float) alpha;
        View[] views = factor == null ? new View[]{out, x} : new View[]{out, x, factor};
        forChunks(out.shape(), views, null, GRAIN / 8, (sc, off, st, n) -> {
            Chunks.readF(xb, off[1], st[1], n, sc.f0);
            EluKernel.forward(sc.f0, sc.f1, sc.f2, a, n);
            Chunks.writeF(ob, off[0], st[0], n, sc.f1);
            if (fb != null) Chunks.writeF(fb, off[2], st[2], n, sc.f2);
        });
        return true;
    }

    @Override public boolean eluBackward(View grad, View x, double alpha, View factor, View gradIn) {
        if (!allFloat32(grad, x, factor, gradIn)) return false;
        float a = (float) alpha;
        threeIntoFirst(gradIn, grad, x, factor, (g, xs, f, n) -> EluKernel.backward(g, xs, f, a, n));
        return true;
    }

    @Override public int binaryCrossEntropy(View x, View t, View out) {
        if (!allFloat32(x, t, out)) return -1;
        CpuBuffer xb = buf(x), tb = buf(t), ob = buf(out);
        java.util.concurrent.atomic.AtomicInteger found = new java.util.concurrent.atomic.AtomicInteger();
        forChunks(out.shape(), new View[]{out, x, t}, null, GRAIN / 8, (sc, off, st, n) -> {
            Chunks.readF(xb, off[1], st[1], n, sc.f0);
            Chunks.readF(tb, off[2], st[2], n, sc.f1);
            int f = BceKernel.forward(sc.f0, sc.f1, sc.f2, n);
            if (f != BceKernel.INSIDE) found.accumulateAndGet(f, Math::max);
            else Chunks.writeF(ob, off[0], st[0], n, sc.f2);
        });
        return found.get();
    }

    @Override public boolean binaryCrossEntropyBackward(View grad, View x, View t, View gradIn) {
        if (!allFloat32(grad, x, t, gradIn)) return false;
        threeIntoFirst(gradIn, grad, x, t, BceKernel::backward);
        return true;
    }

    @Override public boolean siluBackward(View grad, View x, View s, View gradIn) {
        if (!allFloat32(grad, x, s, gradIn)) return false;
        threeIntoFirst(gradIn, grad, x, s, (g, xs, ss, n) -> {
            FloatBits.check(n, g, xs, ss);
            // MulBackward0's two gradients, the second through sigmoid's one-pass backward, added
            for (int i = 0; i < n; i++) g[i] = g[i] * ss[i] + g[i] * xs[i] * ss[i] * (1f - ss[i]);
        });
        return true;
    }

    @Override public boolean leakyRelu(View x, double slope, View out) {
        if (!allFloat32(x, out)) return false;
        CpuBuffer xb = buf(x), ob = buf(out);
        float s = (float) slope;
        forChunks(out.shape(), new View[]{out, x}, (sc, off, st, n) -> {
            Chunks.readF(xb, off[1], st[1], n, sc.f0);
            LeakyReluKernel.forward(sc.f0, sc.f1, s, n);
            Chunks.writeF(ob, off[0], st[0], n, sc.f1);
        });
        return true;
    }

    @Override public boolean leakyReluBackward(View grad, View x, double slope, View gradIn) {
        if (!allFloat32(grad, x, gradIn)) return false;
        CpuBuffer gb = buf(grad), xb = buf(x), rb = buf(gradIn);
        float s = (float) slope;
        forChunks(gradIn.shape(), new View[]{gradIn, grad, x}, (sc, off, st, n) -> {
            Chunks.readF(gb, off[1], st[1], n, sc.f0);
            Chunks.readF(xb, off[2], st[2], n, sc.f1);
            LeakyReluKernel.backward(sc.f0, sc.f1, sc.f2, s, n);
            Chunks.writeF(rb, off[0], st[0], n, sc.f0);
        });
        return true;
    }

    /** A kernel over three float32 chunks that leaves its result in the first. */
    private interface ThreeFloats { void run(float[] a, float[] b, float[] c, int n); }

    /** {@code out = body(a, b, c)} chunk by chunk, the three float32 operands read into heap arrays. */
    private static void threeIntoFirst(View out, View a, View b, View c, ThreeFloats body) {
        CpuBuffer ab = buf(a), bb = buf(b), cb = buf(c), ob = buf(out);
        forChunks(out.shape(), new View[]{out, a, b, c}, (sc, off, st, n) -> {
            Chunks.readF(ab, off[1], st[1], n, sc.f0);
            Chunks.readF(bb, off[2], st[2], n, sc.f1);
            Chunks.readF(cb, off[3], st[3], n, sc.f2);
            body.run(sc.f0, sc.f1, sc.f2, n);
            Chunks.writeF(ob, off[0], st[0], n, sc.f0);
        });
    }

    /** Every view (null ones aside) float32 and of the first one's shape. */
    private static boolean allFloat32(View... views) {
        for (View v : views) {
            if (v != null && (v.dtype() != DType.FLOAT32 || !java.util.Arrays.equals(v.shape(), views[0].shape()))) return false;
        }
        return true;
    }

    @Override public boolean softmaxBackward(View grad, View out, int dim, boolean log, View gradIn) {
        return SoftmaxKernel.backward(grad, out, dim, log, gradIn);
    }

    @Override public boolean softmax(View in, int dim, boolean log, View out) {
        if (in.isContiguous() || !SoftmaxKernel.supports(in, out)) return SoftmaxKernel.run(in, dim, log, out);
        // a strided input: one contiguous copy, where the op chain would make six passes over the strided layout
        CpuBuffer temp = allocator.allocate(Math.multiplyExact(Math.max(1, in.numel()), 4L));
        try {
            View dense = new View(temp, in.dtype(), in.shape(), View.contiguousStrides(in.shape()), 0);
            copy(in, dense);
            return SoftmaxKernel.run(dense, dim, log, out);
        } finally {
            temp.free();
        }
    }

    @Override public boolean optimStep(OptimStep step, View... tensors) { return OptimKernels.run(step, tensors); }

    @Override public void where(View cond, View a, View b, View out) {
        DType ct = Backend.checkSame(a, b, "where");
        DType ot = out.dtype(), kt = cond.dtype();
        CpuBuffer cb = buf(cond), ab = buf(a), bb = buf(b), ob = buf(out);
        boolean integral = ct.isIntegral();
        if (ct == DType.FLOAT32 && ot == DType.FLOAT32 && kt == DType.BOOL) {
            // the usual case (a mask over floats) without the widening to long and double
            forChunks(out.shape(), new View[]{out, cond, a, b}, (sc, off, st, n) -> {
                Chunks.readBool(cb, off[1], st[1], n, sc.b0);
                Chunks.readF(ab, off[2], st[2], n, sc.f0);
                Chunks.readF(bb, off[3], st[3], n, sc.f1);
                byte[] c = sc.b0;
                float[] x = sc.f0, y = sc.f1, o = sc.f2;
                if (FloatBits.ON) {
                    FloatBits.check(n, x, y, o);
                    // branch-free on the bits (a branch per element: 1-3.5 ns on a random mask, this 0.3), the mask
                    // bytes widened into o first: an int loop reading the bytes themselves stays scalar
                    for (int i = 0; i < n; i++) FloatBits.put(o, i, c[i]);
                    for (int i = 0; i < n; i++) {
                        int k = FloatBits.get(o, i), m = (-k | k) >> 31;      // all ones for any nonzero byte
                        FloatBits.put(o, i, FloatBits.get(x, i) & m | FloatBits.get(y, i) & ~m);
                    }
                } else {
                    for (int i = 0; i < n; i++) o[i] = c[i] != 0 ? x[i] : y[i];
                }
                Chunks.writeF(ob, off[0], st[0], n, o);
            });
            return;
        }
        forChunks(out.shape(), new View[]{out, cond, a, b}, (sc, off, st, n) -> {
            Chunks.readL(cb, kt, off[1], st[1], n, sc.l2);
            long[] c = sc.l2;
            if (integral) {
                Chunks.readL(ab, ct, off[2], st[2], n, sc.l0);
                Chunks.readL(bb, ct, off[3], st[3], n, sc.l1);
                for (int i = 0; i < n; i++) if (c[i] == 0) sc.l0[i] = sc.l1[i];
                Chunks.writeL(ob, ot, off[0], st[0], n, sc.l0);
            } else {
                Chunks.readD(ab, ct, off[2], st[2], n, sc.d0);
                Chunks.readD(bb, ct, off[3], st[3], n, sc.d1);
                for (int i = 0; i < n; i++) if (c[i] == 0) sc.d0[i] = sc.d1[i];
                Chunks.writeD(ob, ot, off[0], st[0], n, sc.d0);
            }
        });
    }

    @Override public void reduce(ReduceOp op, View in, int[] dims, View out) {
        if (BlasSum.sumAll(op, in, dims, out) || OneDnnPointwise.sumAll(allocator, op, in, dims, out)) return;
        Reductions.reduce(op, in, dims, out);
    }

    @Override public void argReduce(boolean max, View in, int dim, View values, View indices) {
        Reductions.argReduce(max, in, dim, values, indices);
    }

    @Override public void matmul(View a, View b, View out) {
        widened(new View[]{a, b, out}, 2, v -> Gemm.matmul(allocator, this, v[0], v[1], v[2], false));
    }

    @Override public void matmulAdd(View a, View b, View out) {
        widened(new View[]{a, b, out}, 2, v -> Gemm.matmul(allocator, this, v[0], v[1], v[2], true));
    }

    @Override public void gather(View in, int dim, View index, View out) {
        Indexing.gather(in, dim, index, out);
    }

    @Override public void scatter(View out, int dim, View index, View src, boolean accumulate) {
        Indexing.scatter(out, dim, index, src, accumulate);
    }

    @Override public void indexSelect(View in, int dim, View index, View out) {
        Indexing.indexSelect(this, in, dim, index, out);
    }

    @Override public void indexAdd(View out, int dim, View index, View src) {
        Indexing.indexAdd(this, out, dim, index, src);
    }

    @Override public void sort(View in, boolean descending, View values, View indices) {
        Indexing.sort(in, descending, values, indices);
    }

    @Override public boolean topk(View in, int k, boolean largest, View values, View indices) {
        if (in.dtype() != DType.FLOAT32) return false;
        Indexing.topkFloats(in, k, largest, values, indices);
        return true;
    }

    @Override public long countNonzero(View in) { return Indexing.countNonzero(in); }

    @Override public void nonzero(View in, View out) { Indexing.nonzero(in, out); }

    @Override public boolean hasConvKernels(DType dtype) { return dtype == DType.FLOAT32 && OneDnn.available(); }

    @Override public String convKernels() {
        return OneDnn.available() ? OneDnn.description() + " for float32 (convolution, batch norm), im2col + gemm for float64"
                : "im2col + gemm (oneDNN off: " + OneDnn.failure() + ")";
    }

    /** Why oneDNN is off, or null. */
    public static String oneDnnFailure() { return OneDnn.failure(); }

    /** Which library multiplies matrices of which size, for {@code Kindling.doctor()}. */
    public static String matmulKernels() {
        if (!OpenBlas.available()) return "Java gemm (OpenBLAS off: " + OpenBlas.failure() + ")";
        return OneDnnGemm.on()
                ? "oneDNN sgemm for float32 products of 2^" + Long.numberOfTrailingZeros(OneDnnGemm.MIN_WORK)
                        + " multiply-adds and more (sides >= " + OneDnnGemm.MIN_SIDE + "), OpenBLAS for smaller ones"
                        + " and float64"
                : "OpenBLAS (oneDNN's sgemm not used: " + OneDnnGemm.whyNot() + ")";
    }

    /** Whether the Vector API kernels run, and why not when they do not: one line for {@code Kindling.doctor()}. */
    public static String vectorKernels() { return Simd.describe(); }

    /** How the kernels without the Vector API (exp, sigmoid, softmax) move float bits: one line for {@code Kindling.doctor()}. */
    public static String scalarKernels() { return FloatBits.describe(); }

    /** Where the pool's native blocks come from and how they are released, for {@code Kindling.doctor()}. */
    public static String nativeMemory() { return "blocks from " + NativeBlocks.describe() + ", released as they leave the pool"; }

    @Override public void conv2d(View x, View w, View bias, View y, ConvParams p) {
        OneDnn.conv2dForward(allocator, x, w, bias, y, p);
    }

    @Override public void conv2dBackward(View x, View w, View gy, View gx, View gw, View gb, ConvParams p) {
        OneDnn.conv2dBackward(allocator, x, w, gy, gx, gw, gb, p);
    }

    @Override public boolean hasBatchNormKernels(DType dtype) { return dtype == DType.FLOAT32 && OneDnn.available(); }

    @Override public void batchNorm(View x, View mean, View var, View weight, View bias, double eps, boolean useGlobalStats, View y) {
        OneDnn.batchNormForward(allocator, x, mean, var, weight, bias, eps, useGlobalStats, y);
    }

    @Override public void batchNormBackward(View x, View mean, View var, View weight, View gy, double eps, boolean useGlobalStats,
                                            View gx, View gw, View gb) {
        OneDnn.batchNormBackward(allocator, x, mean, var, weight, gy, eps, useGlobalStats, gx, gw, gb);
    }

    @Override public boolean hasLayerNormKernels(DType dtype) { return dtype == DType.FLOAT32 || dtype == DType.FLOAT64; }

    @Override public void layerNorm(View x, int n, View weight, View bias, double eps, View y, View mean, View rstd) {
        LayerNormKernel.forward(x, n, weight, bias, eps, y, mean, rstd);
    }

    @Override public void layerNormBackward(View x, int n, View mean, View rstd, View weight, View gy, View gx, View gw, View gb) {
        LayerNormKernel.backward(x, n, mean, rstd, weight, gy, gx, gw, gb);
    }

    @Override public void maxPool2d(View x, int[] kernel, ConvParams p, View values, View indices) {
        widened(new View[]{x, values}, 1, v -> Pooling.maxPool2d(v[0], kernel, p, v[1], indices));
    }

    @Override public void maxPool2dBackward(View gy, View indices, View gx) {
        widened(new View[]{gy, gx}, 1, v -> Pooling.maxPool2dBackward(v[0], indices, v[1]));
    }

    @Override public void avgPool2d(View x, int[] kernel, ConvParams p, boolean countIncludePad, View y) {
        widened(new View[]{x, y}, 1, v -> Pooling.avgPool2d(v[0], kernel, p, countIncludePad, v[1]));
    }

    @Override public void avgPool2dBackward(View gy, int[] kernel, ConvParams p, boolean countIncludePad, View gx) {
        widened(new View[]{gy, gx}, 1, v -> Pooling.avgPool2dBackward(v[0], kernel, p, countIncludePad, v[1]));
    }

    @Override public void im2col(View in, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View cols) {
        widened(new View[]{in, cols}, 1, v -> Conv.im2col(v[0], kh, kw, sh, sw, ph, pw, dh, dw, v[1]));
    }

    @Override public void col2im(View cols, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View out) {
        widened(new View[]{cols, out}, 1, v -> Conv.col2im(v[0], kh, kw, sh, sw, ph, pw, dh, dw, v[1]));
    }

    /**
     * Runs a kernel written for FLOAT32 and FLOAT64 on FLOAT16 or BFLOAT16 views, as PyTorch's CPU kernels do: each
     * view is widened into a contiguous float32 copy, the kernel runs on the copies, and the views from
     * {@code firstOut} on (the outputs, whose contents some kernels accumulate into) are rounded back once.
     */
    private void widened(View[] views, int firstOut, java.util.function.Consumer<View[]> kernel) {
        boolean half = false;
        for (View v : views) half |= v.dtype().isHalf();
        if (!half) {
            kernel.accept(views);
            return;
        }
        View[] wide = new View[views.length];
        CpuBuffer[] temps = new CpuBuffer[views.length];
        try {
            for (int j = 0; j < views.length; j++) {
                View v = views[j];
                temps[j] = allocator.allocate(Math.multiplyExact(Math.max(1, v.numel()), 4L));
                wide[j] = new View(temps[j], DType.FLOAT32, v.shape(), View.contiguousStrides(v.shape()), 0);
                copy(v, wide[j]);
            }
            kernel.accept(wide);
            for (int j = firstOut; j < views.length; j++) copy(wide[j], views[j]);
        } finally {
            for (CpuBuffer t : temps) if (t != null) t.free();
        }
    }
}
