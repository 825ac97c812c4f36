package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Large float32 elementwise ops and full reductions on oneDNN: its kernels are vectorised over the whole buffer,
 * where JDK 17's JIT leaves a loop over off-heap memory scalar (4M-element exp 7.5 ms in Java, sum 1.3 ms).
 * Only contiguous, equally shaped operands of at least {@link #MIN_ELEMENTS}, {@link #MIN_VECTORISED} or
 * {@link #MIN_STREAMING} elements, by op, go here (below that, the call's fixed cost outweighs the gain), and only ops
 * whose special values (NaN, infinities) oneDNN treats as PyTorch does: arithmetic, tanh, sqrt, abs, square, ReLU in a
 * NaN-keeping form (see {@link #relu}), and exp and sigmoid on inputs a BLAS pass vouches for (not log or max/min; see
 * {@link #eltwise}).
 */
final class OneDnnPointwise {
    private OneDnnPointwise() {}

    /** Elements below which the Java loops stay (a oneDNN call costs a few microseconds): tanh and sums. */
    static final long MIN_ELEMENTS = 1 << 16;

    /**
     * The same for ReLU, abs, square, sqrt and broadcast arithmetic, whose Java loops C2 vectorises and which give the
     * same bits either way. A oneDNN call also wakes its OpenMP workers, which sleep between calls, and right after a
     * product (the Java threads just ran it) that costs most: ReLU over [1000, 512] in the MLP's inference 400 us on
     * oneDNN, 180 in Java. Session 15, two threads, alone / after a product, us: ReLU of 2^19 floats 175 / 213 on oneDNN
     * against 92 / 118 in Java, 2^20 302 / 251 against 204 / 223, 2^21 414 / 405 against 536 / 443; a bias add of 2^20
     * 248 against 216, 2^22 725 against 812. (Session 14 had moved these from 2^16 to 2^18 on another machine.)
     */
    static final long MIN_VECTORISED = 1 << 21;

    /**
     * The same for arithmetic on equally shaped operands, and exp and sigmoid (whose oneDNN call needs a pass that
     * vouches for the input first): session 15, add of 2^20 floats 372 / 329 us on oneDNN against 221 / 242 in Java,
     * 2^21 538 / 554 against 454 / 463, 2^22 987 / 979 against 938 / 952; exp of 2^20 472 against 365, 2^22 1,450
     * against 1,521; sigmoid 2^22 1,707 against 1,911.
     */
    static final long MIN_STREAMING = 1 << 22;

    /** The size from which {@code op} runs here. */
    private static long minElements(UnaryOp op) {
        return switch (op) {
            case RELU, SQRT, ABS, SQUARE -> MIN_VECTORISED;
            case EXP, SIGMOID -> MIN_STREAMING;
            default -> MIN_ELEMENTS;
        };
    }

    private static int eltwise(UnaryOp op) {
        return switch (op) {
            // not log (subnormals flushed, up to 6 ulp off); exp (exp(NaN) = inf) and sigmoid (0 from -87 on, where
            // PyTorch still gives 1.6e-38) only where guard() vouches for the input: measured. ReLU: see relu()
            case EXP -> dnnl_eltwise_exp;
            case SIGMOID -> dnnl_eltwise_logistic;
            case TANH -> dnnl_eltwise_tanh;
            case SQRT -> dnnl_eltwise_sqrt;
            case ABS -> dnnl_eltwise_abs;
            case SQUARE -> dnnl_eltwise_square;
            default -> -1;
        };
    }

    private static int binary(BinaryOp op) {
        return switch (op) {
            case ADD -> dnnl_binary_add;
            case SUB -> dnnl_binary_sub;
            case MUL -> dnnl_binary_mul;
            case DIV -> dnnl_binary_div;
            default -> -1;
        };
    }

    private static boolean big(long min, View... views) {
        long n = views[0].numel();
        if (n < min) return false;
        for (View v : views) {
            if (v.dtype() != DType.FLOAT32 || v.numel() != n || !v.isContiguous()) return false;
        }
        // last: asking loads oneDNN (90 MB), which a program of small tensors never needs
        return OneDnn.available();
    }

    /**
     * The largest {@code |x|} for which oneDNN's {@code op} gives PyTorch's value, or 0 when no guard is needed.
     * Inputs holding a NaN, an infinity or a larger value go to the Java loops (where exp(NaN) stays NaN and
     * sigmoid keeps its tiny values below -87).
     */
    private static float guard(UnaryOp op) {
        return switch (op) {
            // measured against float64 over the float range: within 5 ulp on [-80, 80] (exp) and 2 ulp (sigmoid); exp
            // loses all precision just above -87.33, where its result nears the subnormals
            case EXP, SIGMOID -> 80f;
            default -> 0f;
        };
    }

    /** True when every |x| is at most {@code limit} (no NaN, no infinity): checked on all threads, two BLAS passes each. */
    private static boolean tame(View in, float limit) {
        CpuBuffer b = CpuBackend.buf(in);
        java.util.concurrent.atomic.AtomicBoolean ok = new java.util.concurrent.atomic.AtomicBoolean(true);
        Parallel.range(in.numel(), CpuBackend.GRAIN * 4, (s, e) -> {
            if (!ok.get()) return;   // another piece already found a value oneDNN would get wrong
            float seen = OpenBlas.maxAbs(b.f, in.offset() + (int) s, (int) (e - s));
            if (!(Float.isFinite(seen) && seen <= limit)) ok.set(false);
        });
        return ok.get();
    }

    /** True when oneDNN's {@code op} gives PyTorch's values on {@code in}: no guard needed, or the guard's pass passed. */
    static boolean vouched(UnaryOp op, View in) {
        float limit = guard(op);
        return limit == 0 || (OpenBlas.available() && tame(in, limit));
    }

    /** Runs {@code out = op(in)} on oneDNN when it can; false leaves it to the Java loops. */
    static boolean unary(CachingAllocator alloc, UnaryOp op, View in, View out) {
        if (op == UnaryOp.RELU) return relu(alloc, in, out);
        int alg = eltwise(op);
        if (alg < 0 || !big(minElements(op), in, out)) return false;
        if (!vouched(op, in)) return false;
        long n = in.numel();
        run(alloc, "eltwise " + alg + " " + n, n, n, new int[]{DNNL_ARG_SRC, DNNL_ARG_DST}, (pd, md, dst) ->
                dnnl_eltwise_forward_primitive_desc_create(pd, OneDnn.engine, dnnl_forward_inference, alg, md, md, 0f, 0f, null),
                in, out);
        return true;
    }

    /**
     * ReLU as {@code max(max(x, 0), x)}, one oneDNN binary primitive with a post-op, in a single pass: its own relu
     * (and clip, and {@code max(x, 0)}) turn NaN into 0, where torch.relu keeps it. The hardware max returns its
     * second operand when either is NaN, so the post-op {@code max(., x)} puts the NaN back; it also returns the
     * second of two zeros, so a last {@code 1 * v + 0} turns -0 into +0 as the Java loop's {@code Math.max(x, 0f)}
     * does. Same bits as that loop (signalling NaNs come back quiet). Measured on 4M floats, two threads: 0.87 ms,
     * where oneDNN's relu behind a NaN check took 1.2 ms and oneDNN's relu alone 0.79-0.83 ms. Should this oneDNN
     * build give the primitive no JIT kernel (its reference one is 200x slower), or none at all, the Java loops run it.
     */
    private static boolean relu(CachingAllocator alloc, View in, View out) {
        if (!big(minElements(UnaryOp.RELU), in, out)) return false;
        ReluPlan plan = (ReluPlan) OneDnn.plan("relu " + in.numel(), () -> new ReluPlan(in.numel()));
        if (!plan.jit) {
            OneDnn.release(plan);
            return false;
        }
        OneDnn.run(plan, alloc, new View[]{in, out});
        return true;
    }

    /**
     * Runs {@code out = op(a, b)} on oneDNN when it can: equally shaped contiguous operands, or a contiguous {@code a}
     * and a {@code b} broadcast over some of its dimensions (a scalar, a bias row, a per-channel column).
     */
    static boolean binary(CachingAllocator alloc, BinaryOp op, View a, View b, View out) {
        int alg = binary(op);
        // small operands leave first: the layout questions below would cost more than their Java loop
        if (alg < 0 || b.dtype() != DType.FLOAT32 || out.numel() < MIN_ELEMENTS) return false;
        if (!a.isContiguous() && b.isContiguous() && (op == BinaryOp.ADD || op == BinaryOp.MUL)) {
            View t = a; // commutative: the broadcast operand goes second, where oneDNN takes it
            a = b;
            b = t;
        }
        long n = a.numel();
        boolean same = b.isContiguous() && b.numel() == n;
        // decided before big(), which loads oneDNN: a layout it cannot take never does
        long[][] dims = same ? null : broadcastDims(out.shape(), b.strides());
        if ((!same && dims == null) || !big(same ? MIN_STREAMING : MIN_VECTORISED, a, out)) return false;
        if (same) {
            run(alloc, "binary " + alg + " " + n, n, n, new int[]{DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST}, (pd, md, dst) ->
                    dnnl_binary_primitive_desc_create(pd, OneDnn.engine, alg, md, md, md, null), a, b, out);
            return true;
        }
        String key = "broadcast " + alg + " " + java.util.Arrays.toString(dims[0]) + java.util.Arrays.toString(dims[1]);
        int tag = OneDnn.plainTag(dims[0].length);
        OneDnn.Plan plan = OneDnn.plan(key, () -> new ViewsPlan(new int[]{DNNL_ARG_SRC_0, DNNL_ARG_SRC_1, DNNL_ARG_DST}, (p, pd) -> {
            dnnl_memory_desc full = p.plain(dims[0], tag), part = p.plain(dims[1], tag);
            OneDnn.check(dnnl_binary_primitive_desc_create(pd, OneDnn.engine, alg, full, part, full, null), "broadcast binary primitive");
            return new dnnl_memory_desc[]{full, part, full};
        }));
        OneDnn.run(plan, alloc, new View[]{a, b, out});
        return true;
    }

    /**
     * The dimensions of the product and of {@code b} (1 where it is broadcast) when {@code b}'s elements are
     * contiguous apart from its broadcast (stride 0) dimensions, neighbours of the same kind merged; null when they
     * are not, or need more than five dimensions. [64, 512] + [512]: {[64, 512], [1, 512]}; [N, C, H, W] * [1, C, 1, 1]:
     * {[N, C, H*W], [1, C, 1]}; a tensor and a scalar: {[n], [1]}.
     */
    static long[][] broadcastDims(int[] shape, int[] strides) {
        long[] dims = new long[shape.length], bdims = new long[shape.length];
        int count = 0;
        long expected = 1;
        int kind = -1; // of the group being built: 1 full, 0 broadcast
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) continue;
            int full = strides[d] == 0 ? 0 : 1;
            if (full == 1) {
                if (strides[d] != expected) return null;
                expected *= shape[d];
            }
            if (full == kind) {
                dims[count - 1] *= shape[d];
                if (full == 1) bdims[count - 1] *= shape[d];
            } else {
                dims[count] = shape[d];
                bdims[count++] = full == 1 ? shape[d] : 1;
                kind = full;
            }
        }
        if (count == 0 || count > 5) return null;
        long[][] out = {new long[count], new long[count]};
        for (int i = 0; i < count; i++) {
            out[0][i] = dims[count - 1 - i];
            out[1][i] = bdims[count - 1 - i];
        }
        return out;
    }

    /** A sum over every element of a contiguous float32 view into a one-element {@code out}, on oneDNN when it can. */
    static boolean sumAll(CachingAllocator alloc, ReduceOp op, View in, int[] dims, View out) {
        if (op != ReduceOp.SUM || dims.length != in.dim() || out.numel() != 1 || out.dtype() != DType.FLOAT32 || !big(MIN_ELEMENTS, in)) return false;
        long n = in.numel();
        run(alloc, "sum " + n, n, 1, new int[]{DNNL_ARG_SRC, DNNL_ARG_DST}, (pd, md, dst) ->
                dnnl_reduction_primitive_desc_create(pd, OneDnn.engine, dnnl_reduction_sum, md, dst, 0f, 0f, null), in, out);
        return true;
    }

    /** Creates a primitive descriptor over the inputs' n-element layout {@code md} and the output's {@code dst}; returns a status. */
    private interface Descriptor { int create(dnnl_primitive_desc pd, dnnl_memory_desc md, dnnl_memory_desc dst); }

    /** Runs one primitive whose arguments {@code args} are the views in order: inputs of n elements, then the output of {@code outN}. */
    private static void run(CachingAllocator alloc, String key, long n, long outN, int[] args, Descriptor descriptor, View... views) {
        OneDnn.Plan plan = OneDnn.plan(key, () -> new ViewsPlan(args, (p, pd) -> {
            dnnl_memory_desc md = p.plain(new long[]{n}, dnnl_a), dst = outN == n ? md : p.plain(new long[]{outN}, dnnl_a);
            OneDnn.check(descriptor.create(pd, md, dst), "pointwise primitive");
            dnnl_memory_desc[] mds = new dnnl_memory_desc[args.length];
            java.util.Arrays.fill(mds, md);
            mds[args.length - 1] = dst;
            return mds;
        }));
        OneDnn.run(plan, alloc, views);
    }

    /** {@code max(max(x, 0), x)} then {@code 1 * v + 0} over n floats (see {@link #relu}), with the zero it broadcasts. */
    private static final class ReluPlan extends OneDnn.Plan {
        private static final int POST_OP_SRC = DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE | DNNL_ARG_SRC_1; // of post-op 0
        final dnnl_primitive prim;
        final dnnl_memory_desc md, scalar;
        final FloatPointer zero = new FloatPointer(1).put(0, 0f);
        final boolean jit;

        ReluPlan(long n) {
            dnnl_post_ops ops = new dnnl_post_ops();
            dnnl_primitive_attr attr = new dnnl_primitive_attr();
            try {
                md = plain(new long[]{n}, dnnl_a);
                scalar = plain(new long[]{1}, dnnl_a);
                OneDnn.check(dnnl_post_ops_create(ops), "dnnl_post_ops_create");
                OneDnn.check(dnnl_post_ops_append_binary(ops, dnnl_binary_max, md), "dnnl_post_ops_append_binary");
                OneDnn.check(dnnl_post_ops_append_eltwise(ops, dnnl_eltwise_linear, 1f, 0f), "dnnl_post_ops_append_eltwise");
                OneDnn.check(dnnl_primitive_attr_create(attr), "dnnl_primitive_attr_create");
                OneDnn.check(dnnl_primitive_attr_set_post_ops(attr, ops), "dnnl_primitive_attr_set_post_ops");
                dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
                // a build that cannot make this primitive (status "unimplemented"), or only its reference kernel, leaves
                // relu to the Java loops rather than failing it
                jit = dnnl_binary_primitive_desc_create(pd, OneDnn.engine, dnnl_binary_max, md, scalar, md, attr) == dnnl_success
                        && !OneDnn.implementation(pd).startsWith("ref");
                prim = jit ? primitive(pd) : null;
            } catch (RuntimeException e) {
                destroy();
                throw e;
            } finally {
                dnnl_post_ops_destroy(ops);
                dnnl_primitive_attr_destroy(attr);
            }
        }

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            try (OneDnn.Calls calls = new OneDnn.Calls(stream, alloc)) {
                dnnl_memory x = calls.wrap(v[0], md);
                List<int[]> ids = new ArrayList<>();
                List<dnnl_memory> ms = new ArrayList<>();
                OneDnn.add(ids, ms, DNNL_ARG_SRC_0, x);
                OneDnn.add(ids, ms, DNNL_ARG_SRC_1, calls.memory(scalar, zero));
                OneDnn.add(ids, ms, DNNL_ARG_DST, calls.wrap(v[1], md));
                OneDnn.add(ids, ms, POST_OP_SRC, x);
                calls.exec(prim, ids, ms);
            }
        }

        @Override void destroy() {
            super.destroy();
            zero.close();
        }
    }

    /** One primitive whose operands are the views in order: their argument ids and memory layouts. */
    private static final class ViewsPlan extends OneDnn.Plan {
        /** Makes the operands' layouts (owned by the plan) and fills in the primitive's descriptor {@code pd}. */
        interface Layouts { dnnl_memory_desc[] create(ViewsPlan plan, dnnl_primitive_desc pd); }

        final dnnl_primitive prim;
        final int[] args;
        final dnnl_memory_desc[] mds;

        ViewsPlan(int[] args, Layouts layouts) {
            this.args = args;
            try {
                dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
                mds = layouts.create(this, pd);
                prim = primitive(pd);
            } catch (RuntimeException e) {
                destroy();
                throw e;
            }
        }

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            try (OneDnn.Calls calls = new OneDnn.Calls(stream, alloc)) {
                List<int[]> ids = new ArrayList<>();
                List<dnnl_memory> ms = new ArrayList<>();
                for (int i = 0; i < args.length; i++) OneDnn.add(ids, ms, args[i], calls.wrap(v[i], mds[i]));
                calls.exec(prim, ids, ms);
            }
        }
    }
}
