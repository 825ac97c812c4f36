package dev.kindling.backend.cpu;

import dev.kindling.backend.ConvParams;
import dev.kindling.backend.View;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.dnnl_version_t;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static org.bytedeco.dnnl.global.dnnl.*;

/**
 * oneDNN's loading and its float32 convolution and batch normalization, forward and backward ({@link OneDnnPointwise}
 * and {@link OneDnnGemm} use its engine for elementwise ops and large products). Loading is attempted once; when the
 * native library is missing for this platform, {@link #available()} is false, the reason is logged once, and
 * convolution runs as im2col + gemm instead.
 *
 * <p>Users' tensors stay NCHW. Each call reorders its operands into the blocked layouts that oneDNN's
 * primitive chose (nChw16c and friends) and the result back; the primitives and reorders are created once
 * per (shapes, geometry) and kept in a small LRU cache, so creation cost never lands on every step.
 */
final class OneDnn {
    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    /** Plans kept; a network has a handful of conv shapes, a sweep over sizes evicts the oldest. */
    private static final int CACHE_SIZE = 64;

    static dnnl_engine engine;
    private static String description;
    private static final String FAILURE = load();

    private static final ThreadLocal<dnnl_stream> STREAMS = ThreadLocal.withInitial(() -> {
        dnnl_stream s = new dnnl_stream();
        check(dnnl_stream_create(s, engine, dnnl_stream_default_flags), "dnnl_stream_create");
        return s;
    });

    private static final Map<String, Plan> PLANS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
            if (size() <= CACHE_SIZE) return false;
            eldest.getValue().retire();
            return true;
        }
    };

    private OneDnn() {}

    private static String load() {
        if (Boolean.getBoolean("kindling.disableOneDnn")) return "disabled by -Dkindling.disableOneDnn=true";
        try {
            OmpThreads.beforeLoad();
            org.bytedeco.javacpp.Loader.load(dnnl.class);
            dnnl_engine e = new dnnl_engine();
            check(dnnl_engine_create(e, dnnl_cpu, 0), "dnnl_engine_create");
            engine = e;
            dnnl_version_t v = dnnl_version();
            description = "oneDNN " + v.major() + "." + v.minor() + "." + v.patch() + " (" + isaName(dnnl_get_effective_cpu_isa())
                    + ", " + OmpThreads.bind() + ")";
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError, a status
            String why = t.getClass().getSimpleName() + ": " + t.getMessage();
            LOG.warning("kindling: oneDNN could not be loaded (" + why + "); convolution falls back to im2col + gemm,"
                    + " which is slower. See docs/troubleshooting.md.");
            return why;
        }
    }

    static boolean available() { return FAILURE == null; }

    /** Why oneDNN is off, or null when it is on. */
    static String failure() { return FAILURE; }

    /** "oneDNN 3.11.0 (avx512_core, OpenMP threads governed by Kindling.setNumThreads)". */
    static String description() { return description; }

    /** Whether oneDNN runs AVX-512 kernels on this CPU (with or without VNNI, bf16, fp16 or AMX). */
    static boolean avx512() {
        if (!available()) return false;
        int isa = dnnl_get_effective_cpu_isa();
        return isa == dnnl_cpu_isa_avx512_core || isa == dnnl_cpu_isa_avx512_core_vnni
                || isa == dnnl_cpu_isa_avx512_core_bf16 || isa == dnnl_cpu_isa_avx512_core_fp16
                || isa == dnnl_cpu_isa_avx512_core_amx || isa == dnnl_cpu_isa_avx512_core_amx_fp16;
    }

    private static String isaName(int isa) {
        if (isa == dnnl_cpu_isa_avx512_core_amx || isa == dnnl_cpu_isa_avx512_core_amx_fp16) return "avx512_core_amx";
        if (isa == dnnl_cpu_isa_avx512_core_fp16) return "avx512_core_fp16";
        if (isa == dnnl_cpu_isa_avx512_core_bf16) return "avx512_core_bf16";
        if (isa == dnnl_cpu_isa_avx512_core_vnni) return "avx512_core_vnni";
        if (isa == dnnl_cpu_isa_avx512_core) return "avx512_core";
        if (isa == dnnl_cpu_isa_avx2_vnni || isa == dnnl_cpu_isa_avx2_vnni_2) return "avx2_vnni";
        if (isa == dnnl_cpu_isa_avx2) return "avx2";
        if (isa == dnnl_cpu_isa_avx) return "avx";
        if (isa == dnnl_cpu_isa_sse41) return "sse41";
        return "isa " + isa;
    }

    // ------------------------------------------------------------------------------------------ entry points

    static void conv2dForward(CachingAllocator alloc, View x, View w, View b, View y, ConvParams p) {
        String key = "fwd " + dims(x) + dims(w) + (b != null ? "b " : "") + dims(y) + p.key();
        Plan plan = plan(key, () -> ForwardPlan.create(x, w, b != null, y, p));
        run(plan, alloc, new View[]{x, w, b, y});
    }

    static void conv2dBackward(CachingAllocator alloc, View x, View w, View gy, View gx, View gw, View gb, ConvParams p) {
        String key = "bwd " + dims(x) + dims(w) + dims(gy) + (gx != null ? "gx " : "") + (gw != null ? "gw " : "")
                + (gb != null ? "gb " : "") + p.key();
        Plan plan = plan(key, () -> BackwardPlan.create(x, w, gy, gx != null, gw != null, gb != null, p));
        run(plan, alloc, new View[]{x, w, gy, gx, gw, gb});
    }

    /**
     * Batch normalization over {@code x:[N, C, ...]} (contiguous, 2 to 5 dims) into {@code y}. With {@code global}
     * the statistics {@code mean}/{@code var} are read (eval mode); without, the batch's mean and biased variance
     * are written there. {@code weight}/{@code bias} may be null (no affine part).
     */
    static void batchNormForward(CachingAllocator alloc, View x, View mean, View var, View weight, View bias,
                                 double eps, boolean global, View y) {
        int flags = bnFlags(weight != null, bias != null, global);
        String key = "bn " + dims(x) + flags + " " + Float.floatToIntBits((float) eps);
        Plan plan = plan(key, () -> BnForwardPlan.create(x, (float) eps, flags));
        run(plan, alloc, new View[]{x, mean, var, weight, bias, y});
    }

    /**
     * The gradients of {@link #batchNormForward}: {@code gx} always, {@code gw} and {@code gb} where given (the shift
     * takes no part in the other gradients, so without {@code gb} it is left out of the primitive).
     */
    static void batchNormBackward(CachingAllocator alloc, View x, View mean, View var, View weight, View gy, double eps,
                                  boolean global, View gx, View gw, View gb) {
        int flags = bnFlags(weight != null, gb != null, global);
        String key = "bn-bwd " + dims(x) + flags + " " + Float.floatToIntBits((float) eps);
        Plan plan = plan(key, () -> BnBackwardPlan.create(x, (float) eps, flags));
        run(plan, alloc, new View[]{x, mean, var, weight, gy, gx, gw, gb});
    }

    private static int bnFlags(boolean scale, boolean shift, boolean global) {
        return (scale ? dnnl_use_scale : 0) | (shift ? dnnl_use_shift : 0) | (global ? dnnl_use_global_stats : 0);
    }

    /** The row-major format tag of a tensor of {@code dims} dimensions. */
    static int plainTag(int dims) {
        return switch (dims) {
            case 1 -> dnnl_a;
            case 2 -> dnnl_ab;
            case 3 -> dnnl_abc;
            case 4 -> dnnl_abcd;
            case 5 -> dnnl_abcde;
            default -> throw new IllegalArgumentException("oneDNN: row-major layouts of 1 to 5 dims, got " + dims);
        };
    }

    /**
     * The layout batch norm runs in: oneDNN's normalization on the plain layout is a generic loop (4.9 ms forward
     * for [64, 64, 28, 28], measured), on nChw16c a vectorised kernel; reordering in and out costs less than the
     * difference. Channels that do not fill 16-wide blocks stay plain.
     */
    private static dnnl_memory_desc bnLayout(Plan plan, View x) {
        boolean blocked = x.dim() == 4 && x.shape()[1] % 16 == 0;
        return plan.plain(longs(x.shape()), blocked ? dnnl_aBcd16b : plainTag(x.dim()));
    }

    /**
     * What both batch-norm plans hold: the user's plain layout, the one the primitive runs in ({@link #bnLayout}),
     * the per-channel layout, and the reorders between the first two (null when they are the same).
     */
    private abstract static class BnPlan extends Plan {
        dnnl_primitive bn;
        dnnl_memory_desc user, data, channel;
        Reorder in, out;
        int flags;

        /** Builds the layouts, then the primitive from the descriptor {@code primitive} makes, then the reorders. */
        final void build(View x, int flags, java.util.function.Function<BnPlan, dnnl_primitive_desc> primitive) {
            try {
                this.flags = flags;
                user = plain(longs(x.shape()), plainTag(x.dim()));
                data = bnLayout(this, x);
                channel = plain(new long[]{x.shape()[1]}, dnnl_a);
                bn = primitive(primitive.apply(this));
                in = reorder(user, data);
                out = reorder(data, user);
            } catch (RuntimeException e) {
                destroy();
                throw e;
            }
        }

        boolean has(int flag) { return (flags & flag) != 0; }

        /** The input and the statistics, which both directions read: x in v[0], mean in v[1], variance in v[2]. */
        void addInputs(Calls calls, View[] v, List<int[]> ids, List<dnnl_memory> ms) {
            add(ids, ms, DNNL_ARG_SRC, calls.in(v[0], in, user));
            add(ids, ms, DNNL_ARG_MEAN, calls.wrap(v[1], channel));
            add(ids, ms, DNNL_ARG_VARIANCE, calls.wrap(v[2], channel));
        }
    }

    private static final class BnForwardPlan extends BnPlan {
        static BnForwardPlan create(View x, float eps, int flags) {
            BnForwardPlan plan = new BnForwardPlan();
            plan.build(x, flags, p -> {
                dnnl_primitive_desc pd = p.own(new dnnl_primitive_desc());
                int prop = p.has(dnnl_use_global_stats) ? dnnl_forward_inference : dnnl_forward_training;
                check(dnnl_batch_normalization_forward_primitive_desc_create(pd, engine, prop, p.data, p.data, eps, flags, null),
                        "batch normalization forward");
                return pd;
            });
            return plan;
        }

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            try (Calls calls = new Calls(stream, alloc)) {
                List<int[]> ids = new ArrayList<>();
                List<dnnl_memory> ms = new ArrayList<>();
                addInputs(calls, v, ids, ms);
                if (has(dnnl_use_scale)) add(ids, ms, DNNL_ARG_SCALE, calls.wrap(v[3], channel));
                if (has(dnnl_use_shift)) add(ids, ms, DNNL_ARG_SHIFT, calls.wrap(v[4], channel));
                add(ids, ms, DNNL_ARG_DST, calls.outStart(v[5], out, user));
                calls.exec(bn, ids, ms);
                calls.outFinish();
            }
        }
    }

    private static final class BnBackwardPlan extends BnPlan {
        static BnBackwardPlan create(View x, float eps, int flags) {
            BnBackwardPlan plan = new BnBackwardPlan();
            plan.build(x, flags, p -> {
                dnnl_primitive_desc hint = p.own(new dnnl_primitive_desc());
                check(dnnl_batch_normalization_forward_primitive_desc_create(hint, engine, dnnl_forward_training, p.data, p.data,
                        eps, flags, null), "batch normalization forward hint");
                dnnl_primitive_desc pd = p.own(new dnnl_primitive_desc());
                int prop = p.has(dnnl_use_scale) || p.has(dnnl_use_shift) ? dnnl_backward : dnnl_backward_data;
                check(dnnl_batch_normalization_backward_primitive_desc_create(pd, engine, prop, p.data, p.data, p.data,
                        eps, flags, hint, null), "batch normalization backward");
                return pd;
            });
            return plan;
        }

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            try (Calls calls = new Calls(stream, alloc)) {
                List<int[]> ids = new ArrayList<>();
                List<dnnl_memory> ms = new ArrayList<>();
                addInputs(calls, v, ids, ms);
                add(ids, ms, DNNL_ARG_DIFF_DST, calls.in(v[4], in, user));
                add(ids, ms, DNNL_ARG_DIFF_SRC, calls.outStart(v[5], out, user));
                if (has(dnnl_use_scale)) {
                    add(ids, ms, DNNL_ARG_SCALE, calls.wrap(v[3], channel));
                    add(ids, ms, DNNL_ARG_DIFF_SCALE, v[6] != null ? calls.wrap(v[6], channel) : calls.scratch(channel));
                }
                if (has(dnnl_use_shift)) {
                    add(ids, ms, DNNL_ARG_DIFF_SHIFT, v[7] != null ? calls.wrap(v[7], channel) : calls.scratch(channel));
                }
                calls.exec(bn, ids, ms);
                calls.outFinish();
            }
        }
    }

    private static String dims(View v) {
        StringBuilder s = new StringBuilder();
        for (int d : v.shape()) s.append(d).append(',');
        return s.append(' ').toString();
    }

    interface Factory { Plan create(); }

    static Plan plan(String key, Factory factory) {
        synchronized (PLANS) {
            Plan plan = PLANS.get(key);
            if (plan == null) {
                plan = factory.create();
                PLANS.put(key, plan);
            }
            plan.users++;
            return plan;
        }
    }

    static void run(Plan plan, CachingAllocator alloc, View[] views) {
        try {
            OmpThreads.matchKindling();
            plan.execute(STREAMS.get(), alloc, views);
        } finally {
            release(plan);
        }
    }

    /** Ends a use that {@link #plan} began without {@link #run}ning it. */
    static void release(Plan plan) {
        synchronized (PLANS) {
            plan.users--;
            if (plan.retired && plan.users == 0) plan.destroy();
        }
    }

    /** The name of the kernel oneDNN picked for {@code pd}, such as "jit:uni" or "ref:any". */
    static String implementation(dnnl_primitive_desc pd) {
        try (PointerPointer<BytePointer> name = new PointerPointer<>(1)) {
            check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "dnnl_primitive_desc_query");
            return name.getString(0);
        }
    }

    // ------------------------------------------------------------------------------------------ plans

    /**
     * A chain of oneDNN primitives for one call shape: reorders of the user's NCHW operands into the layouts
     * the main primitive chose, the primitive, and reorders of its outputs back. Immutable once built, so
     * threads may run one plan at the same time (each with its own stream and temporaries).
     */
    abstract static class Plan {
        final List<Pointer> owned = new ArrayList<>(); // primitives, descriptors: destroyed with the plan
        int users;
        boolean retired;

        abstract void execute(dnnl_stream stream, CachingAllocator alloc, View[] views);

        void retire() {
            retired = true;
            if (users == 0) destroy();
        }

        void destroy() {
            for (Pointer o : owned) {
                if (o instanceof dnnl_primitive prim) dnnl_primitive_destroy(prim);
                else if (o instanceof dnnl_primitive_desc pd) dnnl_primitive_desc_destroy(pd);
                else if (o instanceof dnnl_memory_desc md) dnnl_memory_desc_destroy(md);
            }
            owned.clear();
        }

        dnnl_memory_desc plain(long[] dims, int tag) {
            dnnl_memory_desc md = new dnnl_memory_desc();
            check(dnnl_memory_desc_create_with_tag(md, dims.length, new LongPointer(dims), dnnl_f32, tag),
                    "dnnl_memory_desc_create_with_tag");
            owned.add(md);
            return md;
        }

        dnnl_primitive primitive(dnnl_primitive_desc pd) {
            dnnl_primitive prim = new dnnl_primitive();
            check(dnnl_primitive_create(prim, pd), "dnnl_primitive_create");
            owned.add(prim);
            return prim;
        }

        /** A reorder between two layouts of the same tensor, or null when they are the same layout. */
        Reorder reorder(dnnl_memory_desc from, dnnl_memory_desc to) {
            if (dnnl_memory_desc_equal(from, to) != 0) return null;
            dnnl_primitive_desc pd = new dnnl_primitive_desc();
            check(dnnl_reorder_primitive_desc_create(pd, from, engine, to, engine, null), "dnnl_reorder_primitive_desc_create");
            owned.add(pd);
            return new Reorder(primitive(pd), from, to, dnnl_memory_desc_get_size(to));
        }

        dnnl_primitive_desc own(dnnl_primitive_desc pd) {
            owned.add(pd);
            return pd;
        }
    }

    private record Reorder(dnnl_primitive prim, dnnl_memory_desc from, dnnl_memory_desc to, long toBytes) {}

    /** Geometry arrays in oneDNN's convention: dilation counts the gaps (0 = dense). */
    private record Geometry(LongPointer strides, LongPointer dilates, LongPointer padL, LongPointer padR) {
        static Geometry of(ConvParams p, View x, View w, View y) {
            long[] padR = new long[2];
            for (int i = 0; i < 2; i++) {
                // the right padding that makes oneDNN's size formula give exactly y's size (floor mode)
                int in = x.shape()[2 + i], k = w.shape()[2 + i], out = y.shape()[2 + i];
                long span = (long) (k - 1) * p.dilation()[i] + 1;
                padR[i] = (long) (out - 1) * p.stride()[i] + span - in - p.padding()[i];
            }
            return new Geometry(new LongPointer(p.stride()[0], p.stride()[1]),
                    new LongPointer(p.dilation()[0] - 1, p.dilation()[1] - 1),
                    new LongPointer(p.padding()[0], p.padding()[1]), new LongPointer(padR));
        }
    }

    private static long[] longs(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    /** Weights as oneDNN sees them: {@code oihw}, or {@code goihw} with the groups split off. */
    private static long[] weightDims(View w, int groups) {
        int[] s = w.shape();
        return groups == 1 ? longs(s) : new long[]{groups, s[0] / groups, s[1], s[2], s[3]};
    }

    private static dnnl_memory_desc any(Plan plan, long[] dims) { return plan.plain(dims, dnnl_format_tag_any); }

    private static final class ForwardPlan extends Plan {
        dnnl_primitive conv;
        Reorder src, weights, dst;
        dnnl_memory_desc bias;

        static ForwardPlan create(View x, View w, boolean hasBias, View y, ConvParams p) {
            ForwardPlan plan = new ForwardPlan();
            try {
                long[] wd = weightDims(w, p.groups());
                dnnl_memory_desc userX = plan.plain(longs(x.shape()), dnnl_nchw), userY = plan.plain(longs(y.shape()), dnnl_nchw);
                dnnl_memory_desc userW = plan.plain(wd, p.groups() == 1 ? dnnl_oihw : dnnl_goihw);
                plan.bias = hasBias ? plan.plain(new long[]{w.shape()[0]}, dnnl_a) : null;
                Geometry g = Geometry.of(p, x, w, y);
                dnnl_primitive_desc pd = plan.own(new dnnl_primitive_desc());
                check(dnnl_convolution_forward_primitive_desc_create(pd, engine, dnnl_forward_training, dnnl_convolution_direct,
                        any(plan, longs(x.shape())), any(plan, wd), plan.bias, any(plan, longs(y.shape())),
                        g.strides(), g.dilates(), g.padL(), g.padR(), null), "convolution forward " + p);
                plan.conv = plan.primitive(pd);
                plan.src = plan.reorder(userX, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
                plan.weights = plan.reorder(userW, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
                plan.dst = plan.reorder(dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0), userY);
                if (plan.src == null) plan.srcMd = userX;
                if (plan.weights == null) plan.weightsMd = userW;
                if (plan.dst == null) plan.dstMd = userY;
                return plan;
            } catch (RuntimeException e) {
                plan.destroy();
                throw e;
            }
        }

        dnnl_memory_desc srcMd, weightsMd, dstMd; // the user's layouts where no reorder is needed

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            try (Calls calls = new Calls(stream, alloc)) {
                dnnl_memory xm = calls.in(v[0], src, srcMd);
                dnnl_memory wm = calls.in(v[1], weights, weightsMd);
                dnnl_memory ym = calls.outStart(v[3], dst, dstMd);
                List<int[]> ids = new ArrayList<>();
                List<dnnl_memory> ms = new ArrayList<>();
                add(ids, ms, DNNL_ARG_SRC, xm);
                add(ids, ms, DNNL_ARG_WEIGHTS, wm);
                if (bias != null) add(ids, ms, DNNL_ARG_BIAS, calls.wrap(v[2], bias));
                add(ids, ms, DNNL_ARG_DST, ym);
                calls.exec(conv, ids, ms);
                calls.outFinish();
            }
        }
    }

    private static final class BackwardPlan extends Plan {
        dnnl_primitive data, weights;
        // data: diff_dst and weights in, diff_src out; weights: src and diff_dst in, diff_weights (+ diff_bias) out
        Reorder dGy, dW, dGx, wX, wGy, wGw;
        dnnl_memory_desc userX, userW, userY, bias;

        static BackwardPlan create(View x, View w, View gy, boolean needGx, boolean needGw, boolean needGb, ConvParams p) {
            BackwardPlan plan = new BackwardPlan();
            try {
                long[] wd = weightDims(w, p.groups());
                plan.userX = plan.plain(longs(x.shape()), dnnl_nchw);
                plan.userY = plan.plain(longs(gy.shape()), dnnl_nchw);
                plan.userW = plan.plain(wd, p.groups() == 1 ? dnnl_oihw : dnnl_goihw);
                plan.bias = needGb ? plan.plain(new long[]{w.shape()[0]}, dnnl_a) : null;
                Geometry g = Geometry.of(p, x, w, gy);
                // the backward descriptors want the forward one as a hint
                dnnl_primitive_desc hint = plan.own(new dnnl_primitive_desc());
                check(dnnl_convolution_forward_primitive_desc_create(hint, engine, dnnl_forward_training, dnnl_convolution_direct,
                        any(plan, longs(x.shape())), any(plan, wd), plan.bias, any(plan, longs(gy.shape())),
                        g.strides(), g.dilates(), g.padL(), g.padR(), null), "convolution forward hint " + p);
                if (needGx) {
                    dnnl_primitive_desc pd = plan.own(new dnnl_primitive_desc());
                    check(dnnl_convolution_backward_data_primitive_desc_create(pd, engine, dnnl_convolution_direct,
                            any(plan, longs(x.shape())), any(plan, wd), any(plan, longs(gy.shape())),
                            g.strides(), g.dilates(), g.padL(), g.padR(), hint, null), "convolution backward data " + p);
                    plan.data = plan.primitive(pd);
                    plan.dGy = plan.reorder(plan.userY, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0));
                    plan.dW = plan.reorder(plan.userW, dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0));
                    plan.dGx = plan.reorder(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_src_md, 0), plan.userX);
                }
                if (needGw || needGb) {
                    dnnl_primitive_desc pd = plan.own(new dnnl_primitive_desc());
                    check(dnnl_convolution_backward_weights_primitive_desc_create(pd, engine, dnnl_convolution_direct,
                            any(plan, longs(x.shape())), any(plan, wd), plan.bias, any(plan, longs(gy.shape())),
                            g.strides(), g.dilates(), g.padL(), g.padR(), hint, null), "convolution backward weights " + p);
                    plan.weights = plan.primitive(pd);
                    plan.wX = plan.reorder(plan.userX, dnnl_primitive_desc_query_md(pd, dnnl_query_src_md, 0));
                    plan.wGy = plan.reorder(plan.userY, dnnl_primitive_desc_query_md(pd, dnnl_query_diff_dst_md, 0));
                    plan.wGw = plan.reorder(dnnl_primitive_desc_query_md(pd, dnnl_query_diff_weights_md, 0), plan.userW);
                }
                return plan;
            } catch (RuntimeException e) {
                plan.destroy();
                throw e;
            }
        }

        @Override void execute(dnnl_stream stream, CachingAllocator alloc, View[] v) {
            View x = v[0], w = v[1], gy = v[2], gx = v[3], gw = v[4], gb = v[5];
            try (Calls calls = new Calls(stream, alloc)) {
                // gy in the layout both primitives want is reordered once when they agree
                dnnl_memory gyData = null;
                if (data != null) {
                    gyData = calls.in(gy, dGy, userY);
                    dnnl_memory wm = calls.in(w, dW, userW);
                    dnnl_memory gxm = calls.outStart(gx, dGx, userX);
                    List<int[]> ids = new ArrayList<>();
                    List<dnnl_memory> ms = new ArrayList<>();
                    add(ids, ms, DNNL_ARG_DIFF_DST, gyData);
                    add(ids, ms, DNNL_ARG_WEIGHTS, wm);
                    add(ids, ms, DNNL_ARG_DIFF_SRC, gxm);
                    calls.exec(data, ids, ms);
                    calls.outFinish();
                }
                if (weights != null) {
                    dnnl_memory xm = calls.in(x, wX, userX);
                    dnnl_memory gym = gyData != null && sameLayout(dGy, wGy) ? gyData : calls.in(gy, wGy, userY);
                    List<int[]> ids = new ArrayList<>();
                    List<dnnl_memory> ms = new ArrayList<>();
                    add(ids, ms, DNNL_ARG_SRC, xm);
                    add(ids, ms, DNNL_ARG_DIFF_DST, gym);
                    dnnl_memory gwm = null;
                    if (gw != null) {
                        gwm = calls.outStart(gw, wGw, userW);
                    } else {
                        // the primitive computes both; a scratch buffer takes the weight gradient nobody asked for
                        gwm = calls.scratch(wGw != null ? wGw.from() : userW);
                    }
                    add(ids, ms, DNNL_ARG_DIFF_WEIGHTS, gwm);
                    if (bias != null) add(ids, ms, DNNL_ARG_DIFF_BIAS, calls.wrap(gb, bias));
                    calls.exec(weights, ids, ms);
                    if (gw != null) calls.outFinish();
                }
            }
        }

        private static boolean sameLayout(Reorder a, Reorder b) {
            if (a == null || b == null) return a == b;
            return dnnl_memory_desc_equal(a.to(), b.to()) != 0;
        }
    }

    static void add(List<int[]> ids, List<dnnl_memory> ms, int id, dnnl_memory m) {
        ids.add(new int[]{id});
        ms.add(m);
    }

    /**
     * The memory objects and temporaries of one execution: wraps users' buffers, allocates blocked copies from
     * the pool, and frees both when closed. Memory objects are created per call (they are cheap: no data is
     * allocated for them) so that concurrent calls on one plan never share one.
     */
    static final class Calls implements AutoCloseable {
        private final dnnl_stream stream;
        private final CachingAllocator alloc;
        private final List<dnnl_memory> memories = new ArrayList<>();
        private final List<CpuBuffer> temps = new ArrayList<>();
        private Reorder pendingOut;
        private dnnl_memory pendingFrom, pendingTo;

        Calls(dnnl_stream stream, CachingAllocator alloc) {
            this.stream = stream;
            this.alloc = alloc;
        }

        /** A memory object over a user's contiguous view in layout {@code md}. */
        dnnl_memory wrap(View v, dnnl_memory_desc md) {
            CpuBuffer b = CpuBackend.buf(v);
            Pointer at = new Pointer(b.data.duplicate().position(Math.multiplyExact(v.offset(), 4)));
            return memory(md, at);
        }

        dnnl_memory scratch(dnnl_memory_desc md) {
            CpuBuffer t = alloc.allocate(dnnl_memory_desc_get_size(md));
            temps.add(t);
            return memory(md, new Pointer(t.data));
        }

        dnnl_memory memory(dnnl_memory_desc md, Pointer at) {
            dnnl_memory m = new dnnl_memory();
            check(dnnl_memory_create(m, md, engine, at), "dnnl_memory_create");
            memories.add(m);
            return m;
        }

        /** An input in the primitive's layout: the user's buffer itself, or a reordered copy. */
        dnnl_memory in(View v, Reorder r, dnnl_memory_desc userMd) {
            if (r == null) return wrap(v, userMd);
            dnnl_memory user = wrap(v, r.from());
            dnnl_memory blocked = scratch(r.to());
            exec(r.prim(), List.of(new int[]{DNNL_ARG_FROM}, new int[]{DNNL_ARG_TO}), List.of(user, blocked));
            return blocked;
        }

        /** An output in the primitive's layout; {@link #outFinish} reorders it into the user's buffer. */
        dnnl_memory outStart(View v, Reorder r, dnnl_memory_desc userMd) {
            if (r == null) {
                pendingOut = null;
                return wrap(v, userMd);
            }
            pendingOut = r;
            pendingFrom = scratch(r.from());
            pendingTo = wrap(v, r.to());
            return pendingFrom;
        }

        void outFinish() {
            if (pendingOut == null) return;
            exec(pendingOut.prim(), List.of(new int[]{DNNL_ARG_FROM}, new int[]{DNNL_ARG_TO}), List.of(pendingFrom, pendingTo));
            pendingOut = null;
        }

        void exec(dnnl_primitive prim, List<int[]> ids, List<dnnl_memory> ms) {
            dnnl_exec_arg_t args = new dnnl_exec_arg_t(ids.size());
            try {
                for (int i = 0; i < ids.size(); i++) args.position(i).arg(ids.get(i)[0]).memory(ms.get(i));
                check(dnnl_primitive_execute(prim, stream, ids.size(), args.position(0)), "dnnl_primitive_execute");
            } finally {
                args.close();
            }
        }

        @Override public void close() {
            try {
                check(dnnl_stream_wait(stream), "dnnl_stream_wait");
            } finally {
                for (dnnl_memory m : memories) dnnl_memory_destroy(m);
                for (CpuBuffer t : temps) t.free();
            }
        }
    }

    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN: " + what + " failed with status " + statusName(status));
        }
    }

    private static String statusName(int s) {
        if (s == dnnl_out_of_memory) return "out_of_memory";
        if (s == dnnl_invalid_arguments) return "invalid_arguments";
        if (s == dnnl_unimplemented) return "unimplemented";
        if (s == dnnl_runtime_error) return "runtime_error";
        return String.valueOf(s);
    }
}
