package dev.kindling;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An automatic mixed precision region ({@code torch.autocast}), opened with {@link Kindling#autocast(Device, DType)}
 * and closed by try-with-resources. Inside it, on this thread, the ops on PyTorch's lists for the device run in the
 * region's dtype (matrix products, linear layers and convolutions), others in float32 (losses, and on CUDA the
 * numerically touchy ones: softmax, exp, log, sums), and mixed-input ones in their widest type; every other op runs
 * in its inputs' dtypes. The casts are recorded on the tape, so gradients reach each parameter in its own dtype.
 *
 * <pre>{@code
 * try (var ac = Kindling.autocast(Device.cpu(), DType.BFLOAT16)) {
 *     Tensor loss = lossFn.forward(net.forward(x), y);   // the Linear layers run in bfloat16, the loss in float32
 * }
 * loss.backward();                                         // outside the region, as PyTorch recommends
 * }</pre>
 *
 * Regions nest; an inner {@code Kindling.autocast(device, dtype, false)} turns autocast off inside an enabled one.
 * As in PyTorch, casts of leaf tensors that require grad (the weights) are cached until the outermost region closes,
 * so a weight used by several ops is converted once.
 */
public final class Autocast implements AutoCloseable {
    /** Enabled regions open on any thread: when none is, ops skip the thread-local lookup altogether. */
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

    private static final class State {
        boolean cpu, cuda;
        DType cpuType = DType.BFLOAT16, cudaType = DType.FLOAT16;
        int nesting, suspended;
        final Map<Tensor, Cached> cache = new IdentityHashMap<>();
    }

    private final State state;
    private final Device.Type type;
    private final boolean prevEnabled, enabled;
    private final DType prevType;
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    Autocast(Device device, DType dtype, boolean enabled) {
        Args.notNull("autocast", "device", device);
        Args.notNull("autocast", "dtype", dtype);
        type = device.type();
        if (type == Device.Type.CPU && dtype != DType.BFLOAT16) {
            throw new IllegalArgumentException("autocast: on the CPU autocast runs in BFLOAT16 only, got " + dtype
                    + " (PyTorch warns and disables autocast here; use DType.BFLOAT16)");
        }
        if (type == Device.Type.CUDA && !dtype.isHalf()) {
            throw new IllegalArgumentException("autocast: on CUDA autocast runs in FLOAT16 or BFLOAT16, got " + dtype);
        }
        state = STATE.get();
        this.enabled = enabled;
        if (type == Device.Type.CPU) {
            prevEnabled = state.cpu;
            prevType = state.cpuType;
            state.cpu = enabled;
            state.cpuType = dtype;
        } else {
            prevEnabled = state.cuda;
            prevType = state.cudaType;
            state.cuda = enabled;
            state.cudaType = dtype;
        }
        state.nesting++;
        if (enabled) OPEN.incrementAndGet();
    }

    /** Restores the mode that was in force when this region opened; the outermost region also drops the cast cache. */
    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("autocast: a region must be closed on the thread that opened it (" + owner.getName() + ")");
        }
        closed = true;
        if (type == Device.Type.CPU) {
            state.cpu = prevEnabled;
            state.cpuType = prevType;
        } else {
            state.cuda = prevEnabled;
            state.cudaType = prevType;
        }
        if (enabled) OPEN.decrementAndGet();
        // the casts stay alive as long as a graph or a scope holds them: backward may still need them
        if (--state.nesting == 0) state.cache.clear();
    }

    /** True when autocast is on for {@code device}'s type on this thread ({@code torch.is_autocast_enabled}). */
    public static boolean isEnabled(Device device) {
        Args.notNull("isAutocastEnabled", "device", device);
        State s = STATE.get();
        return device.type() == Device.Type.CPU ? s.cpu : s.cuda;
    }

    /** The dtype autocast lowers to on {@code device}'s type ({@code torch.get_autocast_gpu_dtype} and the CPU one). */
    public static DType dtype(Device device) {
        Args.notNull("autocast dtype", "device", device);
        State s = STATE.get();
        return device.type() == Device.Type.CPU ? s.cpuType : s.cudaType;
    }

    /**
     * For op implementations: true when some region is enabled on this thread and no autocast-handled op is already
     * running (one volatile read when no region is open anywhere). Ops then go through {@link #call}.
     */
    public static boolean on() {
        if (OPEN.get() == 0) return false;
        State s = STATE.get();
        return (s.cpu || s.cuda) && s.suspended == 0;
    }

    /** Turns autocast off on this thread until closed: for the backward pass, and inside an op that autocast cast. */
    static Kindling.Guard suspend() {
        State s = STATE.get();
        s.suspended++;
        return () -> s.suspended--;
    }

    /**
     * For op implementations: runs {@code body} on {@code args} cast as PyTorch's list for {@code op} (its ATen name,
     * e.g. {@code "linear"}, {@code "mse_loss"}) on their device says, with autocast off inside (the op's own inner
     * ops must not be cast again). Null arguments (an absent bias) stay null; ops on no list run unchanged.
     */
    public static Tensor call(String op, Function<Tensor[], Tensor> body, Tensor... args) {
        Tensor[] cast = cast(op, args);
        try (Kindling.Guard off = suspend()) {
            return body.apply(cast);
        }
    }

    static Tensor[] cast(String op, Tensor... args) {
        Tensor first = null;
        for (Tensor t : args) {
            if (t != null) {
                first = t;
                break;
            }
        }
        if (first == null) return args;
        Device.Type type = first.device().type();
        State s = STATE.get();
        if (!(type == Device.Type.CPU ? s.cpu : s.cuda)) return args;
        AutocastLists.Policy policy = AutocastLists.policy(type, op);
        if (policy == null) return args;
        Tensor[] out = args.clone();
        switch (policy) {
            case BANNED -> throw new IllegalStateException(op + ": unsafe to autocast (the result of a sigmoid in "
                    + dtype(first.device()) + " loses too much to take its log); use binaryCrossEntropyWithLogits, which"
                    + " fuses the two and is safe, or turn autocast off around this op");
            case LOWER -> {
                DType target = type == Device.Type.CPU ? s.cpuType : s.cudaType;
                for (int i = 0; i < out.length; i++) {
                    Tensor t = out[i];
                    if (t != null && t.dtype().isFloatingPoint() && t.dtype() != DType.FLOAT64 && t.dtype() != target) {
                        out[i] = lowered(s, t, target);
                    }
                }
            }
            case FP32 -> {
                for (int i = 0; i < out.length; i++) {
                    if (out[i] != null && out[i].dtype().isHalf()) out[i] = out[i].to(DType.FLOAT32);
                }
            }
            case PROMOTE -> {
                DType widest = null;
                for (Tensor t : out) {
                    if (t != null && t.dtype().isFloatingPoint()) widest = widest == null ? t.dtype() : DType.promote(widest, t.dtype());
                }
                for (int i = 0; i < out.length; i++) {
                    if (widest != null && out[i] != null && out[i].dtype().isFloatingPoint()) out[i] = out[i].to(widest);
                }
            }
        }
        return out;
    }

    /**
     * A weight's cast is made once per outermost region (a cast a closed scope freed, or one to another dtype, is
     * made again). Its version is checked too: a weight changed in place since (an optimizer step inside the
     * region) is cast anew rather than read stale.
     */
    private static Tensor lowered(State s, Tensor t, DType target) {
        if (!(t.isLeaf() && t.requiresGrad())) return t.to(target);
        Cached hit = s.cache.get(t);
        if (hit != null && hit.cast.dtype() == target && !hit.cast.isClosed() && hit.version == t.version()) return hit.cast;
        Tensor c = t.to(target);
        s.cache.put(t, new Cached(c, t.version()));
        return c;
    }

    private record Cached(Tensor cast, long version) {}
}
