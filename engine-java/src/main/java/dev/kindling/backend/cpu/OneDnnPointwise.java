package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;

import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * Large float32 elementwise ops and full reductions on oneDNN: its kernels are vectorised over the whole buffer,
 * where JDK 17's JIT leaves a loop over off-heap memory scalar (4M-element exp 7.5 ms in Java, sum 1.3 ms).
 * Only contiguous, equally shaped operands of at least {@link #MIN_ELEMENTS} go here (below that, the call's
 * fixed cost outweighs the gain), and only ops whose special values (NaN, infinities) oneDNN treats as PyTorch
 * does: arithmetic, tanh, sqrt, abs, square (not exp, log, sigmoid, ReLU or max/min; see {@link #eltwise}).
 */
final class OneDnnPointwise {
    private OneDnnPointwise() {}

    /** Elements below which the Java loops stay (a oneDNN call costs a few microseconds). */
    static final long MIN_ELEMENTS = 1 << 16;

    private static int eltwise(UnaryOp op) {
        return switch (op) {
            // not exp (oneDNN gives exp(NaN) = inf), log (subnormals flushed, up to 6 ulp off), sigmoid (0 from -87
            // on, where PyTorch still gives 1.6e-38) nor relu (relu(NaN) = 0): measured
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

    private static boolean big(View... views) {
        if (!OneDnn.available()) return false;
        long n = views[0].numel();
        if (n < MIN_ELEMENTS) return false;
        for (View v : views) {
            if (v.dtype() != DType.FLOAT32 || v.numel() != n || !v.isContiguous()) return false;
        }
        return true;
    }

    /** Runs {@code out = op(in)} on oneDNN when it can; false leaves it to the Java loops. */
    static boolean unary(CachingAllocator alloc, UnaryOp op, View in, View out) {
        int alg = eltwise(op);
        if (alg < 0 || !big(in, out)) return false;
        long n = in.numel();
        OneDnn.Plan plan = OneDnn.plan("eltwise " + alg + " " + n, () -> new Plan1(alg, n));
        OneDnn.run(plan, alloc, new View[]{in, out});
        return true;
    }

    /** Runs {@code out = op(a, b)} for equally shaped contiguous operands on oneDNN when it can. */
    static boolean binary(CachingAllocator alloc, BinaryOp op, View a, View b, View out) {
        int alg = binary(op);
        if (alg < 0 || !big(a, b, out)) return false;
        long n = a.numel();
        OneDnn.Plan plan = OneDnn.plan("binary " + alg + " " + n, () -> new Plan2(alg, n));
        OneDnn.run(plan, alloc, new View[]{a, b, out});
        return true;
    }

    /** A sum over every element of a contiguous float32 view into a one-element {@code out}, on oneDNN when it can. */
    static boolean sumAll(CachingAllocator alloc, ReduceOp op, View in, int[] dims, View out) {
        if (op != ReduceOp.SUM || dims.length != in.dim() || out.numel() != 1 || out.dtype() != DType.FLOAT32 || !big(in)) return false;
        long n = in.numel();
        OneDnn.Plan plan = OneDnn.plan("sum " + n, () -> new PlanSum(n));
        OneDnn.run(plan, alloc, new View[]{in, out});
        return true;
    }

    private static final class Plan1 extends OneDnn.Plan {
        final dnnl_primitive prim;
        final dnnl_memory_desc md;

        Plan1(int alg, long n) {
            try {
                md = plain(new long[]{n}, dnnl_a);
                dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
                OneDnn.check(dnnl_eltwise_forward_primitive_desc_create(pd, OneDnn.engine, dnnl_forward_inference, alg, md, md, 0f, 0f,
                        null), "eltwise forward");
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
                OneDnn.add(ids, ms, DNNL_ARG_SRC, calls.wrap(v[0], md));
                OneDnn.add(ids, ms, DNNL_ARG_DST, calls.wrap(v[1], md));
                calls.exec(prim, ids, ms);
            }
        }
    }

    private static final class Plan2 extends OneDnn.Plan {
        final dnnl_primitive prim;
        final dnnl_memory_desc md;

        Plan2(int alg, long n) {
            try {
                md = plain(new long[]{n}, dnnl_a);
                dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
                OneDnn.check(dnnl_binary_primitive_desc_create(pd, OneDnn.engine, alg, md, md, md, null), "binary");
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
                OneDnn.add(ids, ms, DNNL_ARG_SRC_0, calls.wrap(v[0], md));
                OneDnn.add(ids, ms, DNNL_ARG_SRC_1, calls.wrap(v[1], md));
                OneDnn.add(ids, ms, DNNL_ARG_DST, calls.wrap(v[2], md));
                calls.exec(prim, ids, ms);
            }
        }
    }

    private static final class PlanSum extends OneDnn.Plan {
        final dnnl_primitive prim;
        final dnnl_memory_desc src, dst;

        PlanSum(long n) {
            try {
                src = plain(new long[]{n}, dnnl_a);
                dst = plain(new long[]{1}, dnnl_a);
                dnnl_primitive_desc pd = own(new dnnl_primitive_desc());
                OneDnn.check(dnnl_reduction_primitive_desc_create(pd, OneDnn.engine, dnnl_reduction_sum, src, dst, 0f, 0f, null),
                        "reduction");
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
                OneDnn.add(ids, ms, DNNL_ARG_SRC, calls.wrap(v[0], src));
                OneDnn.add(ids, ms, DNNL_ARG_DST, calls.wrap(v[1], dst));
                calls.exec(prim, ids, ms);
            }
        }
    }
}
