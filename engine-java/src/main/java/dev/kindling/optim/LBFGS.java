package dev.kindling.optim;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * L-BFGS ({@code torch.optim.LBFGS}) with a fixed step (PyTorch's {@code line_search_fn=None}): each
 * {@link #step(Supplier)} runs up to {@code maxIter} quasi-Newton iterations, re-evaluating the closure.
 * One parameter group only.
 *
 * <pre>{@code
 * var opt = LBFGS.builder(net.parameters()).lr(1).maxIter(20).historySize(10).build();
 * opt.step(() -> { opt.zeroGrad(); Tensor l = lossFn(); l.backward(); return l; });
 * }</pre>
 */
public class LBFGS extends Optimizer {
    /** A LBFGS with the given options and PyTorch's defaults for the rest. */
    public LBFGS(Iterable<?> params) { this(params, 1); }

    /** A LBFGS with the given options and PyTorch's defaults for the rest. */
    public LBFGS(Iterable<?> params, double lr) { this(params, options(lr, 20, 25, 1e-7, 1e-9, 100)); }

    private LBFGS(Iterable<?> params, Map<String, Object> defaults) {
        super("LBFGS", params, defaults);
    }

    static Map<String, Object> options(double lr, int maxIter, int maxEval, double toleranceGrad, double toleranceChange, int historySize) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("max_iter", maxIter);
        d.put("max_eval", maxEval);
        d.put("tolerance_grad", toleranceGrad);
        d.put("tolerance_change", toleranceChange);
        d.put("history_size", historySize);
        return d;
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Iterable<?> params) { return new Builder(params); }

    @Override protected void validate(Map<String, Object> o, String op) {
        nonNegative(o, "lr", "learning rate", op);
        for (String k : List.of("max_iter", "max_eval", "history_size")) {
            if (!(number(o, k, op) >= 1)) throw new IllegalArgumentException(op + ": " + k + " must be >= 1, got " + o.get(k));
        }
        nonNegative(o, "tolerance_grad", "tolerance_grad", op);
        nonNegative(o, "tolerance_change", "tolerance_change", op);
    }

    /** L-BFGS keeps one history for all parameters, so it takes one group. */
    @Override protected int maxParamGroups() { return 1; }

    @Override protected Set<String> stateKeys(ParamGroup g) { return Set.of("func_evals", "n_iter"); }

    /** Its counters are numbers and its history is flat, so no state value has a parameter's shape. */
    @Override protected Set<String> tensorStateKeys(ParamGroup g) { return Set.of(); }

    @Override protected Set<String> identifyingKeys() { return Set.of("max_iter", "max_eval", "tolerance_grad", "history_size"); }

    /** Never called: L-BFGS works on all parameters at once in {@link #step(Supplier)}. */
    @Override protected void update(ParamGroup group, Tensor param, Tensor grad, Map<String, Object> state) {
        throw new IllegalStateException("LBFGS: updates all parameters at once in step(closure)");
    }

    private List<Tensor> params() { return paramGroups().get(0).params(); }

    private Tensor flatGrad() {
        List<Tensor> views = new ArrayList<>();
        for (Tensor p : params()) views.add(p.grad() == null ? Tensor.zeros(new int[]{(int) p.numel()}, p.dtype()) : p.grad().reshape(-1));
        return Tensor.cat(views, 0);
    }

    private void addGrad(double stepSize, Tensor update) {
        int offset = 0;
        for (Tensor p : params()) {
            int n = (int) p.numel();
            p.add_(update.slice(0, offset, offset + n).view(p.shape()), stepSize);
            offset += n;
        }
    }

    private static double evaluate(Supplier<Tensor> closure) {
        try (var on = Kindling.enableGrad()) {
            return closure.get().item();
        }
    }

    /** Runs up to {@code max_iter} iterations; returns the loss of the first closure call. A closure is required. */
    @Override @SuppressWarnings("unchecked")
    public Tensor step(Supplier<Tensor> closure) {
        if (closure == null) throw new IllegalArgumentException("LBFGS: step requires a closure that re-evaluates the model and returns the loss");
        ParamGroup g = paramGroups().get(0);
        double lr = g.lr(), toleranceGrad = g.getDouble("tolerance_grad"), toleranceChange = g.getDouble("tolerance_change");
        int maxIter = (int) g.getDouble("max_iter"), maxEval = (int) g.getDouble("max_eval"), historySize = (int) g.getDouble("history_size");
        Map<String, Object> state = mutableState(params().get(0));
        state.putIfAbsent("func_evals", 0L);
        state.putIfAbsent("n_iter", 0L);

        Tensor origLoss;
        try (var on = Kindling.enableGrad()) {
            origLoss = closure.get();
        }
        double loss = origLoss.item();
        int currentEvals = 1;
        state.put("func_evals", (Long) state.get("func_evals") + 1);
        try (var off = Kindling.noGrad()) {
            Tensor flatGrad = flatGrad();
            boolean optCond = flatGrad.abs().max().item() <= toleranceGrad;
            if (optCond) return origLoss;
            Tensor d = (Tensor) state.get("d"), oldD = d;
            double t = state.get("t") instanceof Number n ? n.doubleValue() : 0;
            List<Tensor> oldDirs = (List<Tensor>) state.get("old_dirs"), oldStps = (List<Tensor>) state.get("old_stps");
            List<Double> ro = (List<Double>) state.get("ro");
            double hDiag = state.get("H_diag") instanceof Number n ? n.doubleValue() : 1;
            Tensor prevFlatGrad = (Tensor) state.get("prev_flat_grad");
            double prevLoss;
            int nIter = 0;
            while (nIter < maxIter) {
                nIter++;
                long total = (Long) state.get("n_iter") + 1;
                state.put("n_iter", total);
                if (total == 1) {
                    d = flatGrad.neg();
                    oldDirs = new ArrayList<>();
                    oldStps = new ArrayList<>();
                    ro = new ArrayList<>();
                    hDiag = 1;
                } else {
                    Tensor y = flatGrad.sub(prevFlatGrad);
                    Tensor s = d.mul(t);
                    double ys = y.dot(s).item();
                    if (ys > 1e-10) {
                        if (oldDirs.size() == historySize) {
                            oldDirs.remove(0).close();
                            oldStps.remove(0).close();
                            ro.remove(0);
                        }
                        oldDirs.add(keep(y));
                        oldStps.add(keep(s));
                        ro.add(1. / ys);
                        hDiag = ys / oldDirs.get(oldDirs.size() - 1).dot(oldDirs.get(oldDirs.size() - 1)).item();
                    }
                    int numOld = oldDirs.size();
                    double[] al = new double[numOld];
                    Tensor q = flatGrad.neg();
                    for (int i = numOld - 1; i >= 0; i--) {
                        al[i] = oldStps.get(i).dot(q).item() * ro.get(i);
                        q.add_(oldDirs.get(i), -al[i]);
                    }
                    Tensor r = q.mul(hDiag);
                    for (int i = 0; i < numOld; i++) {
                        double beI = oldDirs.get(i).dot(r).item() * ro.get(i);
                        r.add_(oldStps.get(i), al[i] - beI);
                    }
                    d = r;
                }
                if (prevFlatGrad == null) prevFlatGrad = keep(flatGrad.clone());
                else prevFlatGrad.copy_(flatGrad);
                prevLoss = loss;
                t = total == 1 ? Math.min(1., 1. / flatGrad.abs().sum().item()) * lr : lr;
                double gtd = flatGrad.dot(d).item();
                if (gtd > -toleranceChange) break;
                int lsFuncEvals = 0;
                addGrad(t, d);
                if (nIter != maxIter) {
                    loss = evaluate(closure);
                    flatGrad = flatGrad();
                    optCond = flatGrad.abs().max().item() <= toleranceGrad;
                    lsFuncEvals = 1;
                }
                currentEvals += lsFuncEvals;
                state.put("func_evals", (Long) state.get("func_evals") + lsFuncEvals);
                if (nIter == maxIter) break;
                if (currentEvals >= maxEval) break;
                if (optCond) break;
                if (d.mul(t).abs().max().item() <= toleranceChange) break;
                if (Math.abs(loss - prevLoss) < toleranceChange) break;
            }
            if (oldD != null && oldD != d) oldD.close();
            state.put("d", keep(d));
            state.put("t", t);
            state.put("old_dirs", oldDirs);
            state.put("old_stps", oldStps);
            state.put("ro", ro);
            state.put("H_diag", hDiag);
            state.put("prev_flat_grad", prevFlatGrad);
            state.put("prev_loss", loss);
        }
        return origLoss;
    }

    /** Options of {@link LBFGS} by name. */
    public static final class Builder {
        private final Iterable<?> params;
        private double lr = 1, toleranceGrad = 1e-7, toleranceChange = 1e-9;
        private int maxIter = 20, historySize = 100;
        private Integer maxEval;

        Builder(Iterable<?> params) { this.params = params; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double v) { lr = v; return this; }

        /** Iterations per {@code step} ({@code max_iter}). */
        public Builder maxIter(int v) { maxIter = v; return this; }

        /** Defaults to {@code maxIter * 5 / 4}. */
        public Builder maxEval(int v) { maxEval = v; return this; }

        /** Stops when the largest gradient entry is at most this ({@code tolerance_grad}). */
        public Builder toleranceGrad(double v) { toleranceGrad = v; return this; }

        /** Stops when steps or loss changes fall below this ({@code tolerance_change}). */
        public Builder toleranceChange(double v) { toleranceChange = v; return this; }

        /** Number of past updates kept ({@code history_size}). */
        public Builder historySize(int v) { historySize = v; return this; }

        /** The configured instance. */
        public LBFGS build() {
            return new LBFGS(params, options(lr, maxIter, maxEval == null ? maxIter * 5 / 4 : maxEval, toleranceGrad, toleranceChange, historySize));
        }
    }
}
