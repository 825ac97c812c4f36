package dev.kindling.optim;

import dev.kindling.FusedOptim;
import dev.kindling.Tensor;
import dev.kindling.backend.OptimStep;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and weight decay
 * ({@code torch.optim.SGD}), step for step equal to PyTorch 1.13.
 *
 * <pre>{@code
 * var opt = new SGD(net.parameters(), 0.01, 0.9);          // lr, momentum
 * var nag = SGD.builder(net.parameters()).lr(0.01).momentum(0.9).nesterov(true).weightDecay(5e-4).build();
 * }</pre>
 */
public class SGD extends Optimizer {
    /** A SGD with the given options and PyTorch's defaults for the rest. */
    public SGD(Iterable<?> params, double lr) { this(params, lr, 0); }

    /** A SGD with the given options and PyTorch's defaults for the rest. */
    public SGD(Iterable<?> params, double lr, double momentum) {
        this(params, options(lr, momentum, 0, 0, false, false));
    }

    private SGD(Iterable<?> params, Map<String, Object> defaults) {
        super("SGD", params, defaults);
    }

    static Map<String, Object> options(double lr, double momentum, double dampening, double weightDecay,
                                       boolean nesterov, boolean maximize) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("dampening", dampening);
        d.put("weight_decay", weightDecay);
        d.put("nesterov", nesterov);
        d.put("maximize", maximize);
        return d;
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Iterable<?> params) { return new Builder(params); }

    @Override protected void validate(Map<String, Object> o, String op) {
        nonNegative(o, "lr", "learning rate", op);
        nonNegative(o, "momentum", "momentum", op);
        nonNegative(o, "weight_decay", "weight_decay", op);
        number(o, "dampening", op);
        if (!(o.get("nesterov") instanceof Boolean nesterov) || !(o.get("maximize") instanceof Boolean)) {
            throw new IllegalArgumentException(op + ": nesterov and maximize must be booleans, got " + o.get("nesterov") + ", " + o.get("maximize"));
        }
        if (nesterov && (number(o, "momentum", op) <= 0 || number(o, "dampening", op) != 0)) {
            throw new IllegalArgumentException(op + ": Nesterov momentum requires a momentum and zero dampening (momentum "
                    + o.get("momentum") + ", dampening " + o.get("dampening") + ")");
        }
    }

    @Override protected Set<String> stateKeys(ParamGroup g) {
        return g.has("momentum") && g.getDouble("momentum") != 0 ? Set.of("momentum_buffer") : Set.of();
    }

    @Override protected Set<String> identifyingKeys() { return Set.of("lr", "momentum", "dampening", "nesterov", "weight_decay"); }

    @Override protected void update(ParamGroup g, Tensor param, Tensor grad, Map<String, Object> s) {
        double lr = g.lr(), weightDecay = g.weightDecay(), momentum = g.getDouble("momentum");
        double dampening = g.getDouble("dampening");
        boolean nesterov = g.getBoolean("nesterov"), maximize = g.getBoolean("maximize");
        if (fused(param, grad, s, lr, momentum, dampening, weightDecay, nesterov, maximize)) return;
        Tensor dp = maximize ? grad.neg() : grad;
        if (weightDecay != 0) dp = dp.add(param, weightDecay);
        if (momentum != 0) {
            Tensor buf = (Tensor) s.get("momentum_buffer");
            if (buf == null) {
                buf = keep(dp.clone());
                s.put("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(dp, 1 - dampening);
            }
            dp = nesterov ? dp.add(buf, momentum) : buf;
        }
        param.add_(dp, -lr);
    }

    /** The same update in one pass when the parameter qualifies (see {@link FusedOptim}); false if not done. */
    private static boolean fused(Tensor param, Tensor grad, Map<String, Object> s, double lr, double momentum,
                                 double dampening, double weightDecay, boolean nesterov, boolean maximize) {
        if (momentum == 0) {
            return FusedOptim.step(new OptimStep.Sgd(lr, 0, dampening, weightDecay, nesterov, maximize, false), param, grad);
        }
        Tensor buf = (Tensor) s.get("momentum_buffer");
        boolean first = buf == null;
        Tensor b = first ? Tensor.emptyLike(param) : buf;
        var step = new OptimStep.Sgd(lr, momentum, dampening, weightDecay, nesterov, maximize, first);
        if (!FusedOptim.step(step, param, grad, b)) {
            if (first) b.close();
            return false;
        }
        if (first) s.put("momentum_buffer", keep(b));
        return true;
    }

    /** Options of {@link SGD} by name. */
    public static final class Builder {
        private final Iterable<?> params;
        private double lr = 1e-3, momentum, dampening, weightDecay;
        private boolean nesterov, maximize;

        Builder(Iterable<?> params) { this.params = params; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double v) { lr = v; return this; }

        /** Momentum factor ({@code momentum}). */
        public Builder momentum(double v) { momentum = v; return this; }

        /** Dampening of the momentum ({@code dampening}). */
        public Builder dampening(double v) { dampening = v; return this; }

        /** L2 penalty ({@code weight_decay}). */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /** Uses Nesterov momentum; needs a momentum and zero dampening ({@code nesterov}). */
        public Builder nesterov(boolean v) { nesterov = v; return this; }

        /** Maximizes the objective instead of minimizing it ({@code maximize}). */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /** The configured instance. */
        public SGD build() { return new SGD(params, options(lr, momentum, dampening, weightDecay, nesterov, maximize)); }
    }
}
