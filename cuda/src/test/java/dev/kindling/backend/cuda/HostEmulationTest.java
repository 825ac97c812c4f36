package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import dev.kindling.backend.cpu.CpuBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The generated kernels, run on the CPU through {@link HostKernels}, compute what the CPU backend computes on the
 * same strided and broadcast views: every elementwise family for every dtype it exists for, the 16-bit conversions
 * bit for bit, and the reductions. Skipped where g++ is missing.
 */
class HostEmulationTest {
    private static final Backend CPU = Backends.cpu();

    @BeforeAll
    static void needsGxx() {
        assumeTrue(HostKernels.gxx() != null, "g++ not on the PATH: cannot run the generated kernels on the host");
    }

    /** One kernel call and the CPU backend's twin, compared after the program ran. */
    private record Case(String key, View expected, View out) {}

    private final Random rnd = new Random(7);
    private final List<Case> cases = new ArrayList<>();
    private final List<View> owned = new ArrayList<>();

    private View alloc(DType t, int[] shape, int[] strides, int elems) {
        View v = new View(CPU.allocate((long) Math.max(1, elems) * t.byteSize()), t, shape, strides, 0);
        ByteBuffer b = ((CpuBuffer) v.buffer()).data();
        for (int i = 0; i < b.capacity(); i++) b.put(i, (byte) 0); // pooled blocks hold old data: outputs start from zero on both sides
        owned.add(v);
        return v;
    }

    /** Random contents: normals times 3 with NaN, infinities and zeros for floats; small non-zero integers. */
    private void fill(View v, int elems, boolean specials, boolean positive) {
        ByteBuffer b = ((CpuBuffer) v.buffer()).data();
        for (int i = 0; i < elems; i++) {
            double x = rnd.nextGaussian() * 3;
            if (positive) x = Math.abs(x) + 0.1;
            if (specials && i % 17 == 3) x = new double[]{Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0}[i % 5];
            long n = positive ? 1 + rnd.nextInt(4) : rnd.nextInt(41) - 20;
            switch (v.dtype()) {
                case FLOAT32 -> b.putFloat(4 * i, (float) x);
                case FLOAT64 -> b.putDouble(8 * i, x);
                case FLOAT16 -> b.putShort(2 * i, dev.kindling.backend.HalfFloats.floatToF16((float) x));
                case BFLOAT16 -> b.putShort(2 * i, dev.kindling.backend.HalfFloats.floatToBf16((float) x));
                case INT64 -> b.putLong(8 * i, n);
                case INT32 -> b.putInt(4 * i, (int) n);
                case BOOL -> b.put(i, (byte) (positive || rnd.nextBoolean() ? 1 : 0));
            }
        }
    }

    private static ByteBuffer bytes(View v, int elems) {
        return ((CpuBuffer) v.buffer()).data().duplicate().order(ByteOrder.nativeOrder()).clear().limit(elems * v.dtype().byteSize());
    }

    private static String ptr(String array, View v, boolean constant) {
        return "(" + (constant ? "const " : "") + CudaTypes.storage(v.dtype()) + "*)(" + array + " + " + (long) v.offset() * v.dtype().byteSize() + ")";
    }

    /** Queues {@code spec} over out (contiguous, zeroed) and the inputs; {@code cpu} fills the expected twin. */
    private void elementwise(HostKernels hk, String key, ElementwiseSpec spec, View out, List<View> ins, double s0, double s1,
                             Consumer<View> cpu) {
        int n = (int) out.numel();
        View expected = alloc(out.dtype(), out.shape(), out.strides(), n);
        cpu.accept(expected);
        View[] all = new View[ins.size() + 1];
        all[0] = out;
        for (int i = 0; i < ins.size(); i++) all[i + 1] = ins.get(i);
        Geometry g = Geometry.of(key, out.shape(), all);
        KernelSource k = spec.source(g.contiguous());
        hk.kernel(k);
        String o = hk.array(bytes(out, n));
        StringBuilder call = new StringBuilder(k.name()).append('(').append(hk.struct("Geo", g.pack())).append(", ")
                .append(g.numel).append("LL, ").append(ptr(o, out, false));
        for (View v : ins) call.append(", ").append(ptr(hk.array(bytes(v, span(v))), v, true));
        call.append(", ").append(HostKernels.literal(s0)).append(", ").append(HostKernels.literal(s1)).append(");");
        hk.statement(call.toString()).output(key, o, n * out.dtype().byteSize());
        cases.add(new Case(key, expected, out));
    }

    /** Elements a view reaches in its buffer (offset 0). */
    private static int span(View v) {
        long last = v.offset();
        for (int d = 0; d < v.dim(); d++) last += (long) (v.shape()[d] - 1) * v.strides()[d];
        return (int) last + 1;
    }

    private static double tolerance(DType t) {
        return switch (t) {
            case FLOAT32 -> 1e-5;
            case FLOAT64 -> 1e-12;
            case FLOAT16 -> 2e-3;
            case BFLOAT16 -> 1.6e-2;
            default -> 0;
        };
    }

    private static double get(ByteBuffer b, DType t, int i) {
        return switch (t) {
            case FLOAT32 -> b.getFloat(4 * i);
            case FLOAT64 -> b.getDouble(8 * i);
            case FLOAT16 -> dev.kindling.backend.HalfFloats.f16ToFloat(b.getShort(2 * i));
            case BFLOAT16 -> dev.kindling.backend.HalfFloats.bf16ToFloat(b.getShort(2 * i));
            case INT64 -> b.getLong(8 * i);
            case INT32 -> b.getInt(4 * i);
            case BOOL -> b.get(i);
        };
    }

    private void runAndCompare(HostKernels hk, Path dir, boolean bitExact) throws Exception {
        Map<String, ByteBuffer> got = hk.run(dir);
        List<String> problems = new ArrayList<>();
        for (Case c : cases) {
            ByteBuffer actual = got.get(c.key()), expected = bytes(c.expected(), (int) c.expected().numel());
            DType t = c.out().dtype();
            double tol = tolerance(t);
            for (int i = 0; i < c.expected().numel(); i++) {
                boolean ok;
                if (bitExact && !Double.isNaN(get(expected, t, i))) { // a NaN's quiet bit may differ: Java quiets when widening
                    ok = switch (t.byteSize()) {
                        case 2 -> actual.getShort(2 * i) == expected.getShort(2 * i);
                        case 4 -> actual.getInt(4 * i) == expected.getInt(4 * i);
                        default -> actual.getLong(8 * i) == expected.getLong(8 * i);
                    };
                } else if (bitExact) {
                    ok = Double.isNaN(get(actual, t, i));
                } else {
                    double e = get(expected, t, i), a = get(actual, t, i);
                    ok = Double.isNaN(e) ? Double.isNaN(a) : e == a || Math.abs(e - a) <= tol * (1 + Math.abs(e));
                }
                if (!ok) {
                    problems.add(c.key() + "[" + i + "]: kernel " + get(actual, t, i) + ", CPU " + get(expected, t, i));
                    break;
                }
            }
        }
        owned.forEach(v -> v.buffer().free());
        assertTrue(problems.isEmpty(), problems.size() + " of " + cases.size() + " cases differ:\n" + String.join("\n", problems));
    }

    @Test
    void halfAndBfloat16ConversionsAreBitExact(@TempDir Path dir) throws Exception {
        HostKernels hk = new HostKernels();
        int all = 1 << 16;
        for (DType h : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            View in = alloc(h, new int[]{all}, new int[]{1}, all);
            ByteBuffer b = ((CpuBuffer) in.buffer()).data();
            for (int i = 0; i < all; i++) b.putShort(2 * i, (short) i);
            View out = alloc(DType.FLOAT32, new int[]{all}, new int[]{1}, all);
            elementwise(hk, "widen_" + h, ElementwiseSpec.copy(h, DType.FLOAT32), out, List.of(in), 0, 0, e -> CPU.copy(in, e));
            // and back: every float these give, plus random bit patterns and the halfway points around them
            int m = 3 * all;
            View f = alloc(DType.FLOAT32, new int[]{m}, new int[]{1}, m);
            ByteBuffer fb = ((CpuBuffer) f.buffer()).data();
            for (int i = 0; i < m; i++) {
                int bits = i < all ? Float.floatToRawIntBits(h == DType.FLOAT16 ? dev.kindling.backend.HalfFloats.f16ToFloat((short) i)
                        : dev.kindling.backend.HalfFloats.bf16ToFloat((short) i)) + (i % 3 == 0 ? 0x1000 : 0) : rnd.nextInt();
                fb.putInt(4 * i, bits);
            }
            View narrow = alloc(h, new int[]{m}, new int[]{1}, m);
            elementwise(hk, "narrow_" + h, ElementwiseSpec.copy(DType.FLOAT32, h), narrow, List.of(f), 0, 0, e -> CPU.copy(f, e));
        }
        runAndCompare(hk, dir, true);
    }

    @Test
    void elementwiseFamiliesMatchTheCpuOnStridedAndBroadcastViews(@TempDir Path dir) throws Exception {
        HostKernels hk = new HostKernels();
        int[] shape = {5, 7};
        for (DType t : DType.values()) {
            String ct = CudaTypes.compute(t);
            for (UnaryOp op : UnaryOp.values()) {
                if (Expressions.unary(op, ct, "a") == null) continue;
                boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT || op == UnaryOp.LOG1P;
                View in = alloc(t, shape, new int[]{1, 5}, 35);                 // a transposed layout
                fill(in, 35, !positive && t.isFloatingPoint(), positive);
                View out = alloc(KernelCatalog.bool(op) ? DType.BOOL : t, shape, new int[]{7, 1}, 35);
                elementwise(hk, op + "_" + t, ElementwiseSpec.unary(op, t, out.dtype()), out, List.of(in), 0, 0, e -> CPU.unary(op, in, e));
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (Expressions.binary(op, ct, "a", "b") == null) continue;
                boolean intDivision = !t.isFloatingPoint() && (op == BinaryOp.FMOD || op == BinaryOp.REMAINDER
                        || op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.POW);
                View a = alloc(t, shape, new int[]{1, 5}, 35), b = alloc(t, shape, new int[]{0, 1}, 7); // b: a broadcast row
                fill(a, 35, t.isFloatingPoint(), false);
                fill(b, 7, false, intDivision);
                View out = alloc(op.producesBool() ? DType.BOOL : t, shape, new int[]{7, 1}, 35);
                elementwise(hk, op + "_" + t, ElementwiseSpec.binary(op, t, out.dtype()), out, List.of(a, b), 0, 0, e -> CPU.binary(op, a, b, e));
            }
            for (DType to : DType.values()) {
                View in = alloc(t, shape, new int[]{1, 5}, 35);
                fill(in, 35, to.isFloatingPoint() && t.isFloatingPoint(), false); // float to int of NaN/inf is undefined in C
                View out = alloc(to, shape, new int[]{7, 1}, 35);
                elementwise(hk, "copy_" + t + "_" + to, ElementwiseSpec.copy(t, to), out, List.of(in), 0, 0, e -> CPU.copy(in, e));
            }
            View cond = alloc(DType.BOOL, shape, new int[]{7, 1}, 35), x = alloc(t, shape, new int[]{1, 5}, 35), y = alloc(t, shape, new int[]{0, 1}, 7);
            fill(cond, 35, false, false);
            fill(x, 35, true, false);
            fill(y, 7, true, false);
            View wo = alloc(t, shape, new int[]{7, 1}, 35);
            elementwise(hk, "where_" + t, ElementwiseSpec.where(DType.BOOL, t, t), wo, List.of(cond, x, y), 0, 0, e -> CPU.where(cond, x, y, e));
            View fo = alloc(t, shape, new int[]{7, 1}, 35);
            elementwise(hk, "fill_" + t, ElementwiseSpec.fill(t), fo, List.of(), 2.5, 0, e -> CPU.fill(e, 2.5));
            if (t != DType.BOOL) {
                for (int variant = 0; variant < 3; variant++) {
                    double lo = variant == 2 ? Double.NaN : -1.5, hi = variant == 1 ? Double.NaN : 2;
                    View co = alloc(t, shape, new int[]{7, 1}, 35);
                    elementwise(hk, "clamp" + variant + "_" + t, ElementwiseSpec.clamp(t, t, variant != 2, variant != 1), co, List.of(x),
                            lo, hi, e -> CPU.clamp(x, lo, hi, e));
                }
            }
        }
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            for (TernaryOp op : TernaryOp.values()) {
                View self = alloc(t, new int[]{40}, new int[]{1}, 40), t1 = alloc(t, new int[]{40}, new int[]{1}, 40),
                        t2 = alloc(t, new int[]{40}, new int[]{1}, 40);
                fill(self, 40, false, false);
                fill(t1, 40, false, false);
                fill(t2, 40, false, true);
                View out = alloc(t, new int[]{40}, new int[]{1}, 40);
                List<View> ins = op == TernaryOp.AXPY ? List.of(self, t1) : List.of(self, t1, t2);
                elementwise(hk, op + "_" + t, ElementwiseSpec.ternary(op, t), out, ins, 0.3, 0, e -> CPU.ternary(op, self, t1, t2, 0.3, e));
            }
        }
        assertTrue(cases.size() > 250, cases.size() + " cases");
        runAndCompare(hk, dir, false);
    }

    private static String geometry(HostKernels hk, String op, int[] shape, View... operands) {
        return hk.struct("Geo", Geometry.of(op, shape, operands).pack());
    }

    private static int[] zeroAt(int[] strides, int dim) {
        int[] s = strides.clone();
        s[dim] = 0;
        return s;
    }

    private View indices(int[] shape, int bound, int elems) {
        View v = alloc(DType.INT64, shape, View.contiguousStrides(shape), elems);
        ByteBuffer b = ((CpuBuffer) v.buffer()).data();
        for (int i = 0; i < elems; i++) b.putLong(8 * i, rnd.nextInt(bound));
        return v;
    }

    @Test
    void indexingMatchesTheCpu(@TempDir Path dir) throws Exception {
        HostKernels hk = new HostKernels();
        for (DType t : DType.values()) {
            // gather along dim 1 of a transposed [4,6] input with a [4,3] index
            View in = alloc(t, new int[]{4, 6}, new int[]{1, 4}, 24);
            fill(in, 24, t.isFloatingPoint(), false);
            View idx = indices(new int[]{4, 3}, 6, 12);
            View out = alloc(t, new int[]{4, 3}, new int[]{3, 1}, 12);
            Geometry g = Geometry.of("gather", out.shape(), out, idx, in.with(idx.shape(), zeroAt(in.strides(), 1), 0));
            KernelSource take = IndexKernels.take(t, t);
            hk.kernel(take);
            String err = hk.array(ByteBuffer.allocate(4));
            String o = hk.array(bytes(out, 12));
            hk.statement(take.name() + "(" + hk.struct("Geo", g.pack()) + ", 12LL, (int*) " + err + ", 6LL, 4LL, " + ptr(o, out, false)
                    + ", " + ptr(hk.array(bytes(idx, 12)), idx, true) + ", " + ptr(hk.array(bytes(in, 24)), in, true) + ");");
            hk.output("gather_" + t, o, 12 * t.byteSize());
            View eg = alloc(t, out.shape(), out.strides(), 12);
            CPU.gather(in, 1, idx, eg);
            cases.add(new Case("gather_" + t, eg, out));

            // index_add / scatter_add along dim 0 of a [5,3] output from a [4,3] source
            if (IndexKernels.canAccumulate(t)) {
                View src = alloc(t, new int[]{4, 3}, new int[]{3, 1}, 12);
                fill(src, 12, false, false);
                View i1 = indices(new int[]{4}, 5, 4);
                View dst = alloc(t, new int[]{5, 3}, new int[]{3, 1}, 15);
                View along = i1.with(src.shape(), new int[]{1, 0}, 0), dz = dst.with(src.shape(), zeroAt(dst.strides(), 0), 0);
                KernelSource put = IndexKernels.put(t, true);
                hk.kernel(put);
                String d = hk.array(bytes(dst, 15));
                hk.statement(put.name() + "(" + geometry(hk, "index_add", src.shape(), along, src, dz) + ", 12LL, (int*) " + err
                        + ", 5LL, 3LL, " + ptr(hk.array(bytes(i1, 4)), along, true) + ", " + ptr(hk.array(bytes(src, 12)), src, true)
                        + ", " + ptr(d, dst, false) + ");");
                hk.output("index_add_" + t, d, 15 * t.byteSize());
                View ed = alloc(t, dst.shape(), dst.strides(), 15);
                CPU.indexAdd(ed, 0, i1, src);
                cases.add(new Case("index_add_" + t, ed, dst));
            }

            // argmax and argmin along dim 1 of a [3,50] input with ties and NaNs
            for (boolean max : new boolean[]{true, false}) {
                View x = alloc(t, new int[]{3, 50}, new int[]{50, 1}, 150);
                fill(x, 150, t.isFloatingPoint(), false);
                View vals = alloc(t, new int[]{3, 1}, new int[]{1, 1}, 3), ix = alloc(DType.INT64, new int[]{3, 1}, new int[]{1, 1}, 3);
                KernelSource arg = IndexKernels.arg(max, t);
                hk.kernel(arg);
                String va = hk.array(bytes(vals, 3)), xa = hk.array(bytes(ix, 3));
                hk.statement(arg.name() + "(" + hk.struct("RGeo", ReductionKernels.pack("arg", x, new int[]{1}, vals)) + ", "
                        + hk.struct("RGeo", ReductionKernels.pack("arg", x, new int[]{1}, ix)) + ", 3LL, 50LL, " + ptr(va, vals, false)
                        + ", (long long*) " + xa + ", " + ptr(hk.array(bytes(x, 150)), x, true) + ");");
                hk.output("argval_" + max + t, va, 3 * t.byteSize());
                hk.output("argidx_" + max + t, xa, 24);
                View ev = alloc(t, vals.shape(), vals.strides(), 3), ei = alloc(DType.INT64, ix.shape(), ix.strides(), 3);
                CPU.argReduce(max, x, 1, ev, ei);
                cases.add(new Case("argval_" + max + t, ev, vals));
                cases.add(new Case("argidx_" + max + t, ei, ix));
            }
        }
        runAndCompare(hk, dir, false);
    }

    /** Queues a window kernel over contiguous operands; {@code out}, one of them, is compared with {@code expected}. */
    private void window(HostKernels hk, String key, KernelSource k, long[] geo, long n, View expected, View out, View... operands) {
        hk.kernel(k);
        StringBuilder call = new StringBuilder(k.name()).append('(').append(hk.struct("Win", geo)).append(", ").append(n).append("LL");
        String outArray = null;
        for (View v : operands) {
            if (v == null) {
                call.append(", nullptr");
                continue;
            }
            String a = hk.array(bytes(v, (int) v.numel()));
            if (v == out) outArray = a;
            call.append(", ").append(ptr(a, v, false)); // non-const converts to const where the kernel reads
        }
        hk.statement(call.append(");").toString()).output(key, outArray, (int) out.numel() * out.dtype().byteSize());
        cases.add(new Case(key, expected, out));
    }

    private View contiguous(DType t, int... shape) { return alloc(t, shape, View.contiguousStrides(shape), (int) java.util.Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b)); }

    @Test
    void poolingAndIm2colMatchTheCpu(@TempDir Path dir) throws Exception {
        HostKernels hk = new HostKernels();
        for (DType t : List.of(DType.FLOAT32, DType.FLOAT64)) {
            // planes of 7x9 with a 3x2 window, stride (2,1), padding (1,1), dilation (1,2): overlapping windows
            int[] k = {3, 2};
            dev.kindling.backend.ConvParams p = new dev.kindling.backend.ConvParams(new int[]{2, 1}, new int[]{1, 1}, new int[]{1, 2}, 1);
            int oh = (7 + 2 - 1 * 2 - 1) / 2 + 1, ow = (9 + 2 - 2 * 1 - 1) + 1;
            View x = contiguous(t, 3, 7, 9);
            fill(x, x.shape()[0] * 63, true, false);
            View vals = contiguous(t, 3, oh, ow), idx = contiguous(DType.INT64, 3, oh, ow);
            View ev = contiguous(t, 3, oh, ow), ei = contiguous(DType.INT64, 3, oh, ow);
            CPU.maxPool2d(x, k, p, ev, ei);
            long[] geo = WindowKernels.pack(7, 9, oh, ow, k[0], k[1], 2, 1, 1, 1, 1, 2, false);
            window(hk, "maxpool_" + t, WindowKernels.maxPool(t, false), geo, vals.numel(), ev, vals, x, vals, null);
            window(hk, "maxpool_idx_" + t, WindowKernels.maxPool(t, true), geo, vals.numel(), ei, idx, x, contiguous(t, 3, oh, ow), idx);
            // backward from the CPU's indices (the same as the kernel's, checked above)
            View gy = contiguous(t, 3, oh, ow);
            fill(gy, (int) gy.numel(), false, false);
            View gx = contiguous(t, 3, 7, 9), egx = contiguous(t, 3, 7, 9);
            CPU.maxPool2dBackward(gy, ei, egx);
            window(hk, "maxpool_bwd_" + t, WindowKernels.maxPoolBackward(t), geo, gy.numel(), egx, gx, gy, ei, gx);
            // average pooling (dilation 1), both divisors, and its backward
            dev.kindling.backend.ConvParams pa = new dev.kindling.backend.ConvParams(new int[]{2, 1}, new int[]{1, 1}, new int[]{1, 1}, 1);
            int aoh = (7 + 2 - 3) / 2 + 1, aow = (9 + 2 - 2) + 1;
            for (boolean include : new boolean[]{true, false}) {
                long[] ag = WindowKernels.pack(7, 9, aoh, aow, 3, 2, 2, 1, 1, 1, 1, 1, include);
                View y = contiguous(t, 3, aoh, aow), ey = contiguous(t, 3, aoh, aow);
                View xs = contiguous(t, 3, 7, 9);
                fill(xs, 189, false, false);
                CPU.avgPool2d(xs, k, pa, include, ey);
                window(hk, "avgpool_" + include + t, WindowKernels.avgPool(t), ag, y.numel(), ey, y, xs, y);
                View g2 = contiguous(t, 3, aoh, aow);
                fill(g2, (int) g2.numel(), false, false);
                View gx2 = contiguous(t, 3, 7, 9), egx2 = contiguous(t, 3, 7, 9);
                CPU.avgPool2dBackward(g2, k, pa, include, egx2);
                window(hk, "avgpool_bwd_" + include + t, WindowKernels.avgPoolBackward(t), ag, gx2.numel(), egx2, gx2, g2, gx2);
            }
            // im2col and col2im of a [2,6,5] image, kernel 3x2, stride (2,1), padding (1,0), dilation (1,2)
            int coh = (6 + 2 - 2 - 1) / 2 + 1, cow = (5 - 2 - 1) + 1;
            long[] cg = WindowKernels.pack(6, 5, coh, cow, 3, 2, 2, 1, 1, 0, 1, 2, false);
            View img = contiguous(t, 2, 6, 5);
            fill(img, 60, false, false);
            View cols = contiguous(t, 12, coh * cow), ecols = contiguous(t, 12, coh * cow);
            CPU.im2col(img, 3, 2, 2, 1, 1, 0, 1, 2, ecols);
            window(hk, "im2col_" + t, WindowKernels.im2col(t), cg, cols.numel(), ecols, cols, img, cols);
            View src = contiguous(t, 12, coh * cow);
            fill(src, (int) src.numel(), false, false);
            View back = contiguous(t, 2, 6, 5), eback = contiguous(t, 2, 6, 5);
            CPU.col2im(src, 3, 2, 2, 1, 1, 0, 1, 2, eback);
            window(hk, "col2im_" + t, WindowKernels.col2im(t), cg, back.numel(), eback, back, src, back);
        }
        runAndCompare(hk, dir, false);
    }

    @Test
    void reductionsMatchTheCpuOverAnyDimensions(@TempDir Path dir) throws Exception {
        HostKernels hk = new HostKernels();
        int[] shape = {3, 4, 5};
        int[] permuted = {1, 3, 12};  // a [5,4,3] buffer seen as [3,4,5]
        for (ReduceOp op : ReduceOp.values()) {
            for (DType t : DType.values()) {
                DType o = op == ReduceOp.ANY || op == ReduceOp.ALL ? DType.BOOL
                        : (op == ReduceOp.SUM || op == ReduceOp.PROD) && !t.isFloatingPoint() ? DType.INT64 : t;
                for (int[] dims : new int[][]{{1}, {0, 2}, {0, 1, 2}}) {
                    View in = alloc(t, shape, permuted, 60);
                    fill(in, 60, false, op == ReduceOp.PROD);
                    int[] os = shape.clone();
                    for (int d : dims) os[d] = 1;
                    View out = alloc(o, os, View.contiguousStrides(os), 60);
                    int n = (int) out.numel();
                    View expected = alloc(o, os, out.strides(), n);
                    CPU.reduce(op, in, dims, expected);
                    KernelSource k = ReductionKernels.source(op, t, o);
                    hk.kernel(k);
                    String oa = hk.array(bytes(out, n));
                    String key = op + "_" + t + "_" + java.util.Arrays.toString(dims).replaceAll("[^0-9]", "");
                    hk.statement(k.name() + "(" + hk.struct("RGeo", ReductionKernels.pack(key, in, dims, out)) + ", " + n + "LL, "
                            + 60 / n + "LL, " + ptr(oa, out, false) + ", " + ptr(hk.array(bytes(in, 60)), in, true) + ");");
                    hk.output(key, oa, n * o.byteSize());
                    cases.add(new Case(key, expected, out));
                }
            }
        }
        assertEquals(ReduceOp.values().length * DType.values().length * 3, cases.size());
        runAndCompare(hk, dir, false);
    }
}
