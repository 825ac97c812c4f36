package dev.kindling;

/**
 * {@code nll_loss} over an {@code [N, C]} CPU batch of log-probabilities as one op with its gradient beside it
 * ({@code NllLossBackward0}, PyTorch's node), where the composite of gather, mask, multiply, negate, two sums and a
 * divide made ten tensors and six autograd nodes per call: a third of a small model's step. The arithmetic is the
 * composite's, in its order and precision, so the loss and the gradient have the same bits: each term
 * {@code -(logp[i, t_i] * w_i)} with {@code w_i} 1, or 0 for an ignored target; their sum accumulated in double
 * from the first element on (the CPU reduction's order below 65,536 elements), rounded, divided by the count of
 * kept targets; the gradient {@code 0 + (-(g / count)) * w_i} at {@code [i, t_i]} and 0 elsewhere. The picked values are
 * gathered, and the gradient scattered into zeros, on the backend: the input is never copied to the heap.
 * {@code nn.F.nllLoss} validates the targets and calls this where {@link #supports} says so; users call
 * {@code F.nllLoss}, {@code NLLLoss} or {@code CrossEntropyLoss}, not this class.
 */
public final class NllOps {
    private NllOps() {}

    /**
     * Larger batches go to the composite, whose sum over the samples then takes the CPU reduction's parallel order.
     * The input stays where it is: the picked log-probabilities are gathered on the backend (copying a [64, 1000]
     * input to the heap to pick 64 of them took 50 us, PyTorch's whole loss 3.5).
     */
    static final int MAX_ROWS = 1 << 16;

    /** How the per-sample losses combine: PyTorch's {@code reduction} 'mean', 'sum' or 'none'. */
    public enum Mode { MEAN, SUM, NONE }

    /** True for a float32 or float64 {@code [N, C]} CPU input of at most {@link #MAX_ROWS} rows, targets on the CPU. */
    public static boolean supports(Tensor logp, Tensor target) {
        return logp.dim() == 2 && logp.device() == Device.CPU && target.device() == Device.CPU
                && logp.numel() > 0 && logp.size(0) <= MAX_ROWS
                && (logp.dtype() == DType.FLOAT32 || logp.dtype() == DType.FLOAT64);
    }

    /**
     * Checks one class index against {@code classes}: an {@link IllegalArgumentException} naming {@code op} unless it
     * is a class of the input or the ignored index. Shared with the composite path so both say the same.
     */
    public static void checkTarget(String op, long target, long ignoreIndex, int classes) {
        if (target != ignoreIndex && (target < 0 || target >= classes)) {
            throw new IllegalArgumentException(op + ": target " + target + " is out of bounds for " + classes
                    + " classes (valid: 0 to " + (classes - 1) + ")");
        }
    }

    /**
     * The loss of {@code logp} ({@code [N, C]}, where {@link #supports} holds) for the class indices {@code targets},
     * one per row: each a class or {@code ignoreIndex}, else an {@link IllegalArgumentException}, as for an input
     * {@link #supports} refuses.
     */
    public static Tensor nllLoss(Tensor logp, long[] targets, long ignoreIndex, Mode mode) {
        Args.notNull("nll_loss", "input", logp);
        Args.notNull("nll_loss", "targets", targets);
        Args.notNull("nll_loss", "mode", mode);
        if (!(logp.dim() == 2 && logp.device() == Device.CPU && logp.numel() > 0 && logp.size(0) <= MAX_ROWS
                && (logp.dtype() == DType.FLOAT32 || logp.dtype() == DType.FLOAT64))) {
            throw new IllegalArgumentException("nll_loss: NllOps takes a non-empty float32 or float64 [N, C] CPU input of"
                    + " at most " + MAX_ROWS + " rows, got " + logp.dtype() + java.util.Arrays.toString(logp.shape())
                    + " on " + logp.device() + " (F.nllLoss takes any other)");
        }
        int n = logp.size(0), c = logp.size(1);
        if (targets.length != n) {
            throw new IllegalArgumentException("nll_loss: " + n + " rows of log-probabilities need " + n + " targets, got " + targets.length);
        }
        long[] pick = new long[n];   // the class of each sample's picked log-probability
        boolean[] kept = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            checkTarget("nll_loss", targets[i], ignoreIndex, c);
            kept[i] = targets[i] != ignoreIndex;
            if (kept[i]) count++;
            pick[i] = kept[i] ? targets[i] : 0;   // ignored rows read class 0, weighted by 0
        }
        Tensor picked;
        try (Tensor index = Factory.fromArray(pick, new int[]{n, 1})) {
            picked = Tensor.empty(logp.dtype(), Device.CPU, new int[]{n, 1});
            picked.backend().gather(logp.view(), 1, index.view(), picked.view());
            java.lang.ref.Reference.reachabilityFence(logp);
        }
        Tensor out;
        if (logp.dtype() == DType.FLOAT32) {
            float[] x = picked.toFloatArray(), loss = new float[n];
            picked.close();
            for (int i = 0; i < n; i++) loss[i] = -(x[i] * (kept[i] ? 1f : 0f));
            out = mode == Mode.NONE ? Factory.fromArray(loss, new int[]{n}) : Tensor.scalar(reduce(loss, count, mode), DType.FLOAT32);
        } else {
            double[] x = picked.toDoubleArray(), loss = new double[n];
            picked.close();
            for (int i = 0; i < n; i++) loss[i] = -(x[i] * (kept[i] ? 1d : 0d));
            double s = 0;
            for (double v : loss) s += v;
            out = mode == Mode.NONE ? Factory.fromArray(loss, new int[]{n}) : Tensor.scalar(mode == Mode.MEAN ? s / count : s, DType.FLOAT64);
        }
        int keptCount = count;
        int[] shape = logp.shapeInternal().clone();   // the backward keeps the shape, not the input's memory
        DType dt = logp.dtype();
        return Autograd.record("NllLossBackward0", out, logp, (g, need) -> new Tensor[]{GradMode.isEnabled()
                ? compositeBackward(g, shape, dt, pick, kept, keptCount, mode) : directBackward(g, shape, dt, pick, kept, keptCount, mode)});
    }

    /** The float32 sum, double-accumulated in element order and rounded, divided by the count for MEAN. */
    private static float reduce(float[] loss, int count, Mode mode) {
        double s = 0;
        for (float v : loss) s += v;
        return mode == Mode.MEAN ? (float) s / (float) count : (float) s;
    }

    /** Zeros with each sample's gradient scattered to its picked class (zeros filled and written on the backend). */
    private static Tensor directBackward(Tensor g, int[] shape, DType dt, long[] pick, boolean[] kept, int count, Mode mode) {
        int n = pick.length;
        Tensor values;
        if (dt == DType.FLOAT32) {
            float[] gs = g.toFloatArray(), v = new float[n];
            float scale = mode == Mode.MEAN ? gs[0] / (float) count : mode == Mode.SUM ? gs[0] : 0f;
            for (int i = 0; i < n; i++) v[i] = 0f + (-(mode == Mode.NONE ? gs[i] : scale)) * (kept[i] ? 1f : 0f);
            values = Factory.fromArray(v, new int[]{n, 1});
        } else {
            double[] gs = g.toDoubleArray(), v = new double[n];
            double scale = mode == Mode.MEAN ? gs[0] / count : mode == Mode.SUM ? gs[0] : 0;
            for (int i = 0; i < n; i++) v[i] = 0d + (-(mode == Mode.NONE ? gs[i] : scale)) * (kept[i] ? 1d : 0d);
            values = Factory.fromArray(v, new int[]{n, 1});
        }
        Tensor gx = Factory.full(shape, 0, dt, Device.CPU);
        try (values; Tensor index = Factory.fromArray(pick, new int[]{n, 1})) {
            gx.backend().scatter(gx.view(), 1, index.view(), values.view(), false);
        }
        return gx;
    }

    /** The same gradient in tensor ops, for a backward pass that records its own graph ({@code createGraph}). */
    private static Tensor compositeBackward(Tensor g, int[] shape, DType dt, long[] cls, boolean[] kept, int count, Mode mode) {
        int n = cls.length;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = kept[i] ? 1 : 0;
        Tensor gl = mode == Mode.MEAN ? g.div(Tensor.scalar(count, dt)) : g;
        Tensor v = gl.neg().mul(Factory.fromArray(w, new int[]{n}).to(dt));
        return Factory.full(shape, 0, dt, Device.CPU)
                .scatterAdd(1, Factory.fromArray(cls, new int[]{n, 1}), v.reshape(n, 1));
    }
}
