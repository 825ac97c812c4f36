package dev.kindling.optim;

import dev.kindling.FusedOptim;
import dev.kindling.Tensor;
import dev.kindling.backend.OptimStep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop ({@code torch.optim.RMSprop}) with optional momentum, centering and weight decay, step for step
 * equal to PyTorch 1.13.
 *
 * <pre>{@code
 * var opt = RMSprop.builder(net.parameters()).lr(1e-3).alpha(0.9).momentum(0.9).centered(true).build();
 * }</pre>
 */
public class RMSprop extends Optimizer {
    /** RMSprop with lr 1e-2, alpha 0.99, eps 1e-8. */
    public RMSprop(Iterable<?> params) { this(params, 1e-2); }

    /** A RMSprop with the given options and PyTorch's defaults for the rest. */
    public RMSprop(Iterable<?> params, double lr) { this(params, lr, 0.99); }

    /** A RMSprop with the given options and PyTorch's defaults for the rest. */
    public RMSprop(Iterable<?> params, double lr, double alpha) {
        this(params, options(lr, alpha, 1e-8, 0, 0, false, false));
    }

    private RMSprop(Iterable<?> params, Map<String, Object> defaults) {
        super("RMSprop", params, defaults);
    }

    static Map<String, Object> options(double lr, double alpha, double eps, double weightDecay, double momentum,
                                       boolean centered, boolean maximize) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("alpha", alpha);
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("momentum", momentum);
        d.put("centered", centered);
        d.put("maximize", maximize);
        return d;
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Iterable<?> params) { return new Builder(params); }

    @Override protected void validate(Map<String, Object> o, String op) {
        nonNegative(o, "lr", "learning rate", op);
        nonNegative(o, "eps", "epsilon", op);
        nonNegative(o, "momentum", "momentum", op);
        nonNegative(o, "weight_decay", "weight_decay", op);
        nonNegative(o, "alpha", "alpha", op);
        if (!(o.get("centered") instanceof Boolean) || !(o.get("maximize") instanceof Boolean)) {
            throw new IllegalArgumentException(op + ": centered and maximize must be booleans, got " + o.get("centered") + ", " + o.get("maximize"));
        }
    }

    @Override protected Set<String> stateKeys(ParamGroup g) {
        boolean momentum = g.has("momentum") && g.getDouble("momentum") > 0;
        boolean centered = Boolean.TRUE.equals(g.get("centered"));
        if (momentum && centered) return Set.of("step", "square_avg", "momentum_buffer", "grad_avg");
        if (momentum) return Set.of("step", "square_avg", "momentum_buffer");
        if (centered) return Set.of("step", "square_avg", "grad_avg");
        return Set.of("step", "square_avg");
    }

    @Override protected Set<String> identifyingKeys() { return Set.of("lr", "alpha", "eps", "momentum", "centered"); }

    /** PyTorch's RMSprop keeps its step as a plain int. */
    @Override protected Object exportStep(long step) { return step; }

    @Override protected void update(ParamGroup g, Tensor param, Tensor grad, Map<String, Object> s) {
        double lr = g.lr(), alpha = g.getDouble("alpha"), eps = g.getDouble("eps"), weightDecay = g.weightDecay();
        double momentum = g.getDouble("momentum");
        boolean centered = g.getBoolean("centered"), maximize = g.getBoolean("maximize");
        if (s.isEmpty()) {
            s.put("step", 0L);
            s.put("square_avg", keep(Tensor.zerosLike(param)));
        }
        if (momentum > 0 && !s.containsKey("momentum_buffer")) s.put("momentum_buffer", keep(Tensor.zerosLike(param)));
        if (centered && !s.containsKey("grad_avg")) s.put("grad_avg", keep(Tensor.zerosLike(param)));
        s.put("step", (Long) s.get("step") + 1);
        var step = new OptimStep.RmsProp(lr, alpha, eps, weightDecay, momentum, centered, maximize);
        // square_avg, then momentum_buffer and grad_avg when in use: OptimStep.RmsProp's order
        List<Tensor> state = new ArrayList<>(3);
        state.add((Tensor) s.get("square_avg"));
        if (momentum > 0) state.add((Tensor) s.get("momentum_buffer"));
        if (centered) state.add((Tensor) s.get("grad_avg"));
        if (FusedOptim.step(step, param, grad, state.toArray(new Tensor[0]))) return;
        if (maximize) grad = grad.neg();
        if (weightDecay != 0) grad = grad.add(param, weightDecay);
        Tensor squareAvg = (Tensor) s.get("square_avg");
        squareAvg.mul_(alpha).addcmul_(grad, grad, 1 - alpha);
        Tensor avg;
        if (centered) {
            Tensor gradAvg = (Tensor) s.get("grad_avg");
            gradAvg.mul_(alpha).add_(grad, 1 - alpha);
            avg = squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt_();
        } else {
            avg = squareAvg.sqrt();
        }
        avg.add_(eps);
        if (momentum > 0) {
            Tensor buf = (Tensor) s.get("momentum_buffer");
            buf.mul_(momentum).addcdiv_(grad, avg, 1);
            param.add_(buf, -lr);
        } else {
            param.addcdiv_(grad, avg, -lr);
        }
    }

    /** Options of {@link RMSprop} by name. */
    public static final class Builder {
        private final Iterable<?> params;
        private double lr = 1e-2, alpha = 0.99, eps = 1e-8, weightDecay, momentum;
        private boolean centered, maximize;

        Builder(Iterable<?> params) { this.params = params; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double v) { lr = v; return this; }

        /** Smoothing constant of the squared-gradient average ({@code alpha}). */
        public Builder alpha(double v) { alpha = v; return this; }

        /** Term added to the denominator for numerical stability ({@code eps}). */
        public Builder eps(double v) { eps = v; return this; }

        /** L2 penalty ({@code weight_decay}). */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /** Momentum factor ({@code momentum}). */
        public Builder momentum(double v) { momentum = v; return this; }

        /** Normalizes by the estimated variance of the gradient ({@code centered}). */
        public Builder centered(boolean v) { centered = v; return this; }

        /** Maximizes the objective instead of minimizing it ({@code maximize}). */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /** The configured instance. */
        public RMSprop build() { return new RMSprop(params, options(lr, alpha, eps, weightDecay, momentum, centered, maximize)); }
    }
}
