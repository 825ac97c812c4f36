package dev.kindling.backend.cuda;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.Buffer;
import dev.kindling.backend.ConvParams;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import dev.kindling.backend.cpu.CpuBuffer;
import dev.kindling.memory.MemoryStats;
import org.bytedeco.cuda.cudart.CUstream_st;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kernels of one GPU. Staged: copies, fills, every elementwise op (unary, binary, where, clamp, the fused
 * ternaries), reductions, arg-max/min, gather/scatter/index_select/index_add and matrix products run on the GPU
 * (NVRTC-compiled kernels and cuBLAS), and so do pooling and im2col/col2im (convolution as im2col + gemm until
 * cuDNN); sort and nonzero run on host copies; 16-bit scatter_add/index_add throw an {@link UnsupportedOperationException}
 * naming the op until they are written (docs/devices.md lists them). All work goes to one stream per device, in
 * order; host reads wait for it.
 */
final class CudaBackend implements Backend {
    private static final int THREADS = 256;
    private static final ThreadLocal<int[]> CURRENT_DEVICE = ThreadLocal.withInitial(() -> new int[]{-1});

    private final Device device;
    private final GpuInfo gpu;
    private final CUstream_st stream;
    private final DeviceAllocator allocator;
    private final Cublas cublas;
    private final KernelCache<CudaKernel> kernels;
    /** Kernels by name and expression, so a launch neither regenerates nor hashes its source. */
    private final Map<String, CudaKernel> launched = new ConcurrentHashMap<>();
    private volatile int threads = 1;
    /** A device word that index kernels set when an index is out of range; read at the next host read. */
    private final CudaBuffer indexError;
    /** The index op launched since the error word was last read, or null: only then does a read check it. */
    private volatile String pendingIndexOp;

    CudaBackend(Device device, GpuInfo gpu) {
        this.device = device;
        this.gpu = gpu;
        enter();
        this.stream = Cudart.createStream();
        this.allocator = new DeviceAllocator(device.toString(), new RawAllocator() {
            @Override public long malloc(long bytes) { return Cudart.malloc(bytes); }

            @Override public void free(long address) { Cudart.free(address); }

            @Override public long[] memInfo() { return Cudart.memInfo(); }
        }, CudaBackend::collectGarbage);
        this.cublas = new Cublas(stream);
        this.kernels = new KernelCache<>(gpu.arch(), Nvrtc.INSTANCE, CudaDriver.INSTANCE, KernelCache.defaultDir(), 4096, 256L << 20);
        this.indexError = allocator.allocate(4);
        Cudart.memsetZero(indexError.address, 4, stream);
    }

    /** Unclosed tensors hold device memory until collected: ask for a collection and give the Cleaner a moment. */
    private static void collectGarbage() {
        System.gc();
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes this device current on the calling thread (the runtime and driver API act on the current device). */
    private void enter() {
        int[] cur = CURRENT_DEVICE.get();
        if (cur[0] != device.index()) {
            Cudart.setDevice(device.index());
            cur[0] = device.index();
        }
    }

    private static UnsupportedOperationException staged(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet (the CUDA backend is staged,"
                + " see docs/devices.md); move the tensors to the CPU for it: t.to(Device.CPU)");
    }

    private long address(View v) {
        Buffer b = v.buffer();
        if (!(b instanceof CudaBuffer cb)) {
            throw new IllegalArgumentException(device + " backend: got a tensor of another device (" + b.getClass().getSimpleName() + ")");
        }
        return cb.address + (long) v.offset() * v.dtype().byteSize();
    }

    @Override public Device device() { return device; }

    @Override public Buffer allocate(long bytes) {
        enter();
        return allocator.allocate(bytes);
    }

    @Override public MemoryStats memoryStats() { return allocator.stats(); }

    @Override public void resetPeakMemory() { allocator.resetPeak(); }

    @Override public void emptyCache() {
        enter();
        Cudart.synchronize(stream);
        allocator.emptyCache();
    }

    /** Kernels run on the GPU; this only records the value for {@link #numThreads()}. */
    @Override public void setNumThreads(int threads) { this.threads = threads; }

    @Override public int numThreads() { return threads; }

    @Override public boolean nativeBlas() { return true; }

    /** The GPU this backend runs on. */
    GpuInfo gpu() { return gpu; }

    KernelCache.Stats kernelStats() { return kernels.stats(); }

    // ---------------------------------------------------------------- elementwise

    private void elementwise(ElementwiseSpec spec, View out, List<View> ins, double s0, double s1) {
        View[] all = new View[ins.size() + 1];
        all[0] = out;
        for (int i = 0; i < ins.size(); i++) all[i + 1] = ins.get(i);
        Geometry g = Geometry.of(spec.family(), out.shape(), all);
        if (g.numel == 0) return;
        enter();
        boolean contiguous = g.contiguous();
        CudaKernel k = launched.computeIfAbsent(spec.key(contiguous), x -> kernels.get(spec.source(contiguous)));
        KernelArgs args = KernelArgs.begin().struct(g.pack()).i64(g.numel).i64(address(out));
        for (View v : ins) args.i64(address(v));
        args.f64(s0).f64(s1);
        long blocks = Math.min((g.numel + THREADS - 1) / THREADS, (long) gpu.multiprocessors() * 64);
        CudaDriver.launch(k, Math.max(1, blocks), THREADS, stream, args);
    }

    @Override public void copy(View src, View dst) {
        if (src.buffer() instanceof CpuBuffer) { // the engine fills device tensors from host values (random draws)
            copyFromHost(src, dst);
            return;
        }
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous() && src.numel() == dst.numel()) {
            long n = src.numel() * src.dtype().byteSize();
            if (n == 0) return;
            enter();
            Cudart.copyOnDevice(address(dst), address(src), n, stream);
            return;
        }
        elementwise(ElementwiseSpec.copy(src.dtype(), dst.dtype()), dst, List.of(src), 0, 0);
    }

    @Override public void fill(View dst, double value) {
        if (value == 0 && Double.doubleToRawLongBits(value) == 0 && dst.isContiguous()) {
            long n = dst.numel() * dst.dtype().byteSize();
            if (n == 0) return;
            enter();
            Cudart.memsetZero(address(dst), n, stream);
            return;
        }
        elementwise(ElementwiseSpec.fill(dst.dtype()), dst, List.of(), value, 0);
    }

    @Override public void fillLong(View dst, long value) {
        if (Math.abs(value) <= 1L << 53) {
            fill(dst, value);
        } else {
            elementwise(ElementwiseSpec.fillLong(dst.dtype(), value), dst, List.of(), 0, 0); // beyond double's exact integers
        }
    }

    @Override public void unary(UnaryOp op, View in, View out) {
        elementwise(ElementwiseSpec.unary(op, in.dtype(), out.dtype()), out, List.of(in), 0, 0);
    }

    @Override public void clamp(View in, double min, double max, View out) {
        elementwise(ElementwiseSpec.clamp(in.dtype(), out.dtype(), !Double.isNaN(min), !Double.isNaN(max)), out, List.of(in), min, max);
    }

    @Override public void binary(BinaryOp op, View a, View b, View out) {
        Backend.checkSame(a, b, op.name().toLowerCase(java.util.Locale.ROOT));
        elementwise(ElementwiseSpec.binary(op, a.dtype(), out.dtype()), out, List.of(a, b), 0, 0);
    }

    @Override public void ternary(TernaryOp op, View self, View t1, View t2, double value, View out) {
        DType t = Backend.checkSame(self, t1, "ternary");
        Backend.checkSame(self, out, "ternary");
        if (op != TernaryOp.AXPY) Backend.checkSame(self, t2, "ternary");
        if (!t.isFloatingPoint()) throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + t);
        List<View> ins = op == TernaryOp.AXPY ? List.of(self, t1) : List.of(self, t1, t2);
        elementwise(ElementwiseSpec.ternary(op, t), out, ins, value, 0);
    }

    @Override public void where(View cond, View a, View b, View out) {
        Backend.checkSame(a, b, "where");
        elementwise(ElementwiseSpec.where(cond.dtype(), a.dtype(), out.dtype()), out, List.of(cond, a, b), 0, 0);
    }

    // ---------------------------------------------------------------- reductions

    @Override public void reduce(ReduceOp op, View in, int[] dims, View out) {
        long nout = out.numel(), nred = 1;
        for (int d : dims) nred = Math.multiplyExact(nred, in.shape()[d]);
        if (nout == 0) return;
        enter();
        long[] g = ReductionKernels.pack(op.name().toLowerCase(), in, dims, out);
        String key = "red|" + op + "|" + in.dtype() + "|" + out.dtype();
        CudaKernel k = launched.computeIfAbsent(key, x -> kernels.get(ReductionKernels.source(op, in.dtype(), out.dtype())));
        KernelArgs args = KernelArgs.begin().struct(g).i64(nout).i64(nred).i64(address(out)).i64(address(in));
        CudaDriver.launch(k, Math.min(nout, 1L << 20), ReductionKernels.THREADS, stream, args);
    }

    @Override public long countNonzero(View in) {
        long n = in.numel();
        if (n == 0) return 0;
        Buffer flags = allocate(n), count = allocate(8);
        try {
            View f = new View(flags, DType.BOOL, in.shape(), View.contiguousStrides(in.shape()), 0);
            elementwise(ElementwiseSpec.nonzero(in.dtype()), f, List.of(in), 0, 0);
            int[] dims = new int[in.dim()];
            for (int d = 0; d < dims.length; d++) dims[d] = d;
            int[] ones = new int[in.dim()];
            java.util.Arrays.fill(ones, 1);
            View c = new View(count, DType.INT64, ones, new int[in.dim()], 0);
            reduce(ReduceOp.SUM, f, dims, c);
            return ((long[]) read(c))[0];
        } finally {
            flags.free();
            count.free();
        }
    }

    // ---------------------------------------------------------------- indexing

    private static int[] zeroAt(int[] strides, int dim) {
        int[] s = strides.clone();
        s[dim] = 0;
        return s;
    }

    /** A 1-D index laid along {@code dim} of {@code shape} (stride 0 elsewhere), for index_select and index_add. */
    private static View along(View index, int[] shape, int dim) {
        int[] st = new int[shape.length];
        st[dim] = index.strides()[0];
        return index.with(shape, st, index.offset());
    }

    private void launchIndexed(String op, KernelSource source, Geometry g, long size, long dimStride, View... operands) {
        if (g.numel == 0) return;
        enter();
        CudaKernel k = launched.computeIfAbsent(source.name(), x -> kernels.get(source));
        KernelArgs args = KernelArgs.begin().struct(g.pack()).i64(g.numel).i64(indexError.address).i64(size).i64(dimStride);
        for (View v : operands) args.i64(address(v));
        long blocks = Math.min((g.numel + THREADS - 1) / THREADS, (long) gpu.multiprocessors() * 64);
        CudaDriver.launch(k, Math.max(1, blocks), THREADS, stream, args);
        pendingIndexOp = op;
    }

    @Override public void gather(View in, int dim, View index, View out) {
        View src = in.with(index.shape(), zeroAt(in.strides(), dim), in.offset());
        launchIndexed("gather", IndexKernels.take(in.dtype(), out.dtype()), Geometry.of("gather", out.shape(), out, index, src),
                in.shape()[dim], in.strides()[dim], out, index, src);
    }

    @Override public void indexSelect(View in, int dim, View index, View out) {
        View idx = along(index, out.shape(), dim), src = in.with(out.shape(), zeroAt(in.strides(), dim), in.offset());
        launchIndexed("index_select", IndexKernels.take(in.dtype(), out.dtype()), Geometry.of("index_select", out.shape(), out, idx, src),
                in.shape()[dim], in.strides()[dim], out, idx, src);
    }

    @Override public void scatter(View out, int dim, View index, View src, boolean accumulate) {
        String op = accumulate ? "scatter_add" : "scatter";
        if (accumulate && !IndexKernels.canAccumulate(out.dtype())) throw staged(op + " of " + out.dtype());
        View s = src.with(index.shape(), src.strides(), src.offset());
        View dst = out.with(index.shape(), zeroAt(out.strides(), dim), out.offset());
        launchIndexed(op, IndexKernels.put(out.dtype(), accumulate), Geometry.of(op, index.shape(), index, s, dst),
                out.shape()[dim], out.strides()[dim], index, s, dst);
    }

    @Override public void indexAdd(View out, int dim, View index, View src) {
        if (!IndexKernels.canAccumulate(out.dtype())) throw staged("index_add of " + out.dtype());
        View idx = along(index, src.shape(), dim), dst = out.with(src.shape(), zeroAt(out.strides(), dim), out.offset());
        launchIndexed("index_add", IndexKernels.put(out.dtype(), true), Geometry.of("index_add", src.shape(), idx, src, dst),
                out.shape()[dim], out.strides()[dim], idx, src, dst);
    }

    @Override public void argReduce(boolean max, View in, int dim, View values, View indices) {
        long nout = values.numel();
        if (nout == 0) return;
        enter();
        KernelSource src = IndexKernels.arg(max, in.dtype());
        CudaKernel k = launched.computeIfAbsent(src.name(), x -> kernels.get(src));
        String op = max ? "max" : "min";
        KernelArgs args = KernelArgs.begin().struct(ReductionKernels.pack(op, in, new int[]{dim}, values))
                .struct(ReductionKernels.pack(op, in, new int[]{dim}, indices)).i64(nout).i64(in.shape()[dim])
                .i64(address(values)).i64(address(indices)).i64(address(in));
        CudaDriver.launch(k, Math.min(nout, 1L << 20), ReductionKernels.THREADS, stream, args);
    }

    // ---------------------------------------------------------------- on the host

    /**
     * Runs a CPU kernel on host copies of {@code in} and uploads its contiguous outputs. For the ops that wait for
     * the GPU anyway (nonzero must know its count; PyTorch synchronises there too) and until a device kernel exists
     * (sort): correct, and as slow as two copies.
     */
    private void onHost(View in, java.util.function.BiConsumer<View, View[]> cpu, View... outs) {
        View hostIn = download(in);
        View[] hostOuts = new View[outs.length];
        try {
            for (int i = 0; i < outs.length; i++) hostOuts[i] = staging(outs[i]);
            cpu.accept(hostIn, hostOuts);
            for (int i = 0; i < outs.length; i++) upload(hostOuts[i], outs[i]);
        } finally {
            hostIn.buffer().free();
            for (View h : hostOuts) if (h != null) h.buffer().free();
        }
    }

    @Override public void sort(View in, boolean descending, View values, View indices) {
        onHost(in, (h, o) -> Backends.cpu().sort(h, descending, o[0], o[1]), values, indices);
    }

    @Override public void nonzero(View in, View out) {
        onHost(in, (h, o) -> Backends.cpu().nonzero(h, o[0]), out);
    }

    // ---------------------------------------------------------------- products

    @Override public void matmul(View a, View b, View out) { gemm(a, b, out, false); }

    @Override public void matmulAdd(View a, View b, View out) { gemm(a, b, out, true); }

    private void gemm(View a, View b, View out, boolean accumulate) {
        if (out.numel() == 0) return;
        enter();
        if (a.shape()[2] == 0) { // an empty inner dimension: the product is zero
            if (!accumulate) fill(out, 0);
            return;
        }
        GemmPlan plan = GemmPlan.of(a, b, out);
        Buffer ta = null, tb = null;
        try {
            if (plan == null) {
                if (GemmPlan.operand(a.shape()[1], a.shape()[2], a.strides()[1], a.strides()[2]) == null) {
                    ta = allocate(a.numel() * a.dtype().byteSize());
                    View c = new View(ta, a.dtype(), a.shape(), View.contiguousStrides(a.shape()), 0);
                    copy(a, c);
                    a = c;
                }
                if (GemmPlan.operand(b.shape()[1], b.shape()[2], b.strides()[1], b.strides()[2]) == null) {
                    tb = allocate(b.numel() * b.dtype().byteSize());
                    View c = new View(tb, b.dtype(), b.shape(), View.contiguousStrides(b.shape()), 0);
                    copy(b, c);
                    b = c;
                }
                plan = GemmPlan.of(a, b, out);
            }
            cublas.gemm(plan, out.dtype(), address(b), address(a), address(out), accumulate, Kindling.allowTf32());
        } finally {
            if (ta != null) ta.free(); // the stream orders the gemm before any reuse of these blocks
            if (tb != null) tb.free();
        }
    }

    // ---------------------------------------------------------------- host <-> device

    /** A contiguous CPU staging block for {@code v}'s elements, and the view of it. */
    private static View staging(View v) {
        Buffer b = Backends.cpu().allocate(Math.max(1, v.numel() * v.dtype().byteSize()));
        return new View(b, v.dtype(), v.shape(), View.contiguousStrides(v.shape()), 0);
    }

    /** A contiguous host view's bytes, positioned at its first element. */
    private static ByteBuffer bytes(View cpu) {
        ByteBuffer b = ((CpuBuffer) cpu.buffer()).data().duplicate().order(java.nio.ByteOrder.nativeOrder());
        return b.position(cpu.offset() * cpu.dtype().byteSize());
    }

    /** {@code dst = src} for a host {@code src}: its elements go up as they are, then convert on the device if needed. */
    private void copyFromHost(View src, View dst) {
        View host = src;
        if (!src.isContiguous()) {
            host = staging(src);
            Backends.cpu().copy(src, host);
        }
        try {
            if (src.dtype() == dst.dtype() && dst.isContiguous()) {
                upload(host, dst);
                return;
            }
            Buffer tmp = allocate(Math.max(1, src.numel() * src.dtype().byteSize()));
            try {
                View dev = new View(tmp, src.dtype(), src.shape(), View.contiguousStrides(src.shape()), 0);
                upload(host, dev);
                copy(dev, dst);
            } finally {
                tmp.free(); // the stream orders the copy kernel before any reuse of the block
            }
        } finally {
            if (host != src) host.buffer().free();
        }
    }

    private void upload(View cpu, View dst) {
        long n = dst.numel() * dst.dtype().byteSize();
        if (n == 0) return;
        enter();
        Cudart.copyToDevice(address(dst), bytes(cpu), n, stream);
    }

    /** Copies {@code src} (made contiguous on the device first when it is not) into a new CPU staging view. */
    private View download(View src) {
        View host = staging(src);
        long n = src.numel() * src.dtype().byteSize();
        if (n == 0) return host;
        enter();
        View from = src;
        Buffer tmp = null;
        if (!src.isContiguous()) {
            tmp = allocate(n);
            from = new View(tmp, src.dtype(), src.shape(), View.contiguousStrides(src.shape()), 0);
            copy(src, from);
        }
        try {
            Cudart.copyToHost(bytes(host), address(from), n, stream);
        } finally {
            if (tmp != null) tmp.free();
        }
        checkIndexError();
        return host;
    }

    /**
     * Throws when an index kernel since the last check met an index out of range. Kernels cannot stop the
     * program, so the error comes with the next read of a value (PyTorch's device-side assert is as late).
     */
    private void checkIndexError() {
        String op = pendingIndexOp;
        if (op == null) return;
        pendingIndexOp = null;
        ByteBuffer word = ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
        Cudart.copyToHost(word, indexError.address, 4, stream);
        if (word.getInt(0) != 0) {
            Cudart.memsetZero(indexError.address, 4, stream);
            throw new IndexOutOfBoundsException(op + " on " + device + ": an index was out of bounds for its dimension"
                    + " (CUDA kernels report this at the next read of a value, so the op named is the last index op run)");
        }
    }

    @Override public void write(View dst, Object array) { throughHost(dst, host -> Backends.cpu().write(host, array)); }

    @Override public Object read(View src) { return withHostCopy(src, host -> Backends.cpu().read(host)); }

    @Override public void readBytes(View src, ByteBuffer dst) {
        withHostCopy(src, host -> {
            Backends.cpu().readBytes(host, dst);
            return null;
        });
    }

    @Override public void writeBytes(View dst, ByteBuffer src) { throughHost(dst, host -> Backends.cpu().writeBytes(host, src)); }

    /** Runs {@code body} on a CPU copy of {@code src}, then frees the copy. */
    private <T> T withHostCopy(View src, java.util.function.Function<View, T> body) {
        View host = download(src);
        try {
            return body.apply(host);
        } finally {
            host.buffer().free();
        }
    }

    /** Lets {@code fill} write a CPU staging view shaped as {@code dst}, then uploads it into {@code dst}. */
    private void throughHost(View dst, java.util.function.Consumer<View> fill) {
        View host = staging(dst);
        try {
            fill.accept(host);
            upload(host, dst);
        } finally {
            host.buffer().free();
        }
    }

    // ---------------------------------------------------------------- staged








    // ---------------------------------------------------------------- windows: pooling, im2col

    private void launchWindow(KernelSource source, long[] geometry, long n, View... operands) {
        if (n == 0) return;
        enter();
        CudaKernel k = launched.computeIfAbsent(source.name(), x -> kernels.get(source));
        KernelArgs args = KernelArgs.begin().struct(geometry).i64(n);
        for (View v : operands) args.i64(v == null ? 0 : address(v));
        long blocks = Math.min((n + THREADS - 1) / THREADS, (long) gpu.multiprocessors() * 64);
        CudaDriver.launch(k, Math.max(1, blocks), THREADS, stream, args);
    }

    private static long[] window(View plane, View out, int[] k, ConvParams p, boolean flag) {
        return WindowKernels.pack(plane.shape()[1], plane.shape()[2], out.shape()[1], out.shape()[2], k[0], k[1], p.stride()[0],
                p.stride()[1], p.padding()[0], p.padding()[1], p.dilation()[0], p.dilation()[1], flag);
    }

    @Override public void maxPool2d(View x, int[] kernel, ConvParams p, View values, View indices) {
        launchWindow(WindowKernels.maxPool(x.dtype(), indices != null), window(x, values, kernel, p, false), values.numel(), x, values, indices);
    }

    @Override public void maxPool2dBackward(View gy, View indices, View gx) {
        long[] g = WindowKernels.pack(gx.shape()[1], gx.shape()[2], gy.shape()[1], gy.shape()[2], 1, 1, 1, 1, 0, 0, 1, 1, false);
        KernelSource src = WindowKernels.maxPoolBackward(gx.dtype());
        if (gx.dtype() == DType.FLOAT32 || gx.dtype() == DType.FLOAT64) {
            fill(gx, 0);
            launchWindow(src, g, gy.numel(), gy, indices, gx);
            return;
        }
        Buffer acc = allocate(gx.numel() * 4); // 16-bit gradients accumulate in float, then round once
        try {
            View a = new View(acc, DType.FLOAT32, gx.shape(), View.contiguousStrides(gx.shape()), 0);
            fill(a, 0);
            launchWindow(src, g, gy.numel(), gy, indices, a);
            copy(a, gx);
        } finally {
            acc.free();
        }
    }

    @Override public void avgPool2d(View x, int[] kernel, ConvParams p, boolean countIncludePad, View y) {
        launchWindow(WindowKernels.avgPool(x.dtype()), window(x, y, kernel, p, countIncludePad), y.numel(), x, y);
    }

    @Override public void avgPool2dBackward(View gy, int[] kernel, ConvParams p, boolean countIncludePad, View gx) {
        launchWindow(WindowKernels.avgPoolBackward(gx.dtype()), window(gx, gy, kernel, p, countIncludePad), gx.numel(), gy, gx);
    }

    private static int outSize(int in, int k, int s, int p, int d) {
        return (int) Math.floorDiv((long) in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    @Override public void im2col(View in, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View cols) {
        int h = in.shape()[1], w = in.shape()[2];
        long[] g = WindowKernels.pack(h, w, outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw), kh, kw, sh, sw, ph, pw, dh, dw, false);
        launchWindow(WindowKernels.im2col(in.dtype()), g, cols.numel(), in, cols);
    }

    @Override public void col2im(View cols, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View out) {
        int h = out.shape()[1], w = out.shape()[2];
        long[] g = WindowKernels.pack(h, w, outSize(h, kh, sh, ph, dh), outSize(w, kw, sw, pw, dw), kh, kw, sh, sw, ph, pw, dh, dw, false);
        launchWindow(WindowKernels.col2im(out.dtype()), g, out.numel(), cols, out);
    }

    @Override public String convKernels() { return "im2col + cuBLAS gemm (cuDNN not used yet)"; }
}
