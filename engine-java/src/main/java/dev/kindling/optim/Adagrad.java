package dev.kindling.optim;

import dev.kindling.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad ({@code torch.optim.Adagrad}), step for step equal to PyTorch 1.13.
 *
 * <pre>{@code
 * var opt = Adagrad.builder(net.parameters()).lr(0.1).lrDecay(1e-3).initialAccumulatorValue(0.1).build();
 * }</pre>
 */
public class Adagrad extends Optimizer {
    /** Adagrad with lr 1e-2. */
    public Adagrad(Iterable<?> params) { this(params, 1e-2); }

    /** A Adagrad with the given options and PyTorch's defaults for the rest. */
    public Adagrad(Iterable<?> params, double lr) { this(params, lr, 0, 0); }

    /** {@code Adagrad(params, lr, lr_decay, weight_decay)}. */
    public Adagrad(Iterable<?> params, double lr, double lrDecay, double weightDecay) {
        this(params, options(lr, lrDecay, weightDecay, 0, 1e-10, false));
    }

    private Adagrad(Iterable<?> params, Map<String, Object> defaults) {
        super("Adagrad", params, defaults);
    }

    static Map<String, Object> options(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue,
                                       double eps, boolean maximize) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("lr_decay", lrDecay);
        d.put("weight_decay", weightDecay);
        d.put("initial_accumulator_value", initialAccumulatorValue);
        d.put("eps", eps);
        d.put("maximize", maximize);
        return d;
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Iterable<?> params) { return new Builder(params); }

    @Override protected void validate(Map<String, Object> o, String op) {
        nonNegative(o, "lr", "learning rate", op);
        nonNegative(o, "lr_decay", "lr_decay", op);
        nonNegative(o, "weight_decay", "weight_decay", op);
        nonNegative(o, "initial_accumulator_value", "initial_accumulator_value", op);
        nonNegative(o, "eps", "epsilon", op);
        if (!(o.get("maximize") instanceof Boolean)) throw new IllegalArgumentException(op + ": maximize must be a boolean, got " + o.get("maximize"));
    }

    @Override protected Set<String> stateKeys(ParamGroup g) { return Set.of("step", "sum"); }

    @Override protected Set<String> identifyingKeys() { return Set.of("lr", "lr_decay", "initial_accumulator_value", "eps"); }

    @Override protected void update(ParamGroup g, Tensor param, Tensor grad, Map<String, Object> s) {
        double lr = g.lr(), lrDecay = g.getDouble("lr_decay"), weightDecay = g.weightDecay(), eps = g.getDouble("eps");
        boolean maximize = g.getBoolean("maximize");
        if (s.isEmpty()) {
            s.put("step", 0L);
            s.put("sum", keep(Tensor.fullLike(param, g.getDouble("initial_accumulator_value"))));
        }
        long step = (Long) s.get("step") + 1;
        s.put("step", step);
        if (maximize) grad = grad.neg();
        if (weightDecay != 0) grad = grad.add(param, weightDecay);
        double clr = lr / (1 + (step - 1) * lrDecay);
        Tensor sum = (Tensor) s.get("sum");
        sum.addcmul_(grad, grad, 1);
        Tensor std = sum.sqrt().add_(eps);
        param.addcdiv_(grad, std, -clr);
    }

    /** Options of {@link Adagrad} by name. */
    public static final class Builder {
        private final Iterable<?> params;
        private double lr = 1e-2, lrDecay, weightDecay, initialAccumulatorValue, eps = 1e-10;
        private boolean maximize;

        Builder(Iterable<?> params) { this.params = params; }

        /** The learning rate ({@code lr}). */
        public Builder lr(double v) { lr = v; return this; }

        /** Learning-rate decay per step ({@code lr_decay}). */
        public Builder lrDecay(double v) { lrDecay = v; return this; }

        /** L2 penalty ({@code weight_decay}). */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /** Starting value of the squared-gradient sum ({@code initial_accumulator_value}). */
        public Builder initialAccumulatorValue(double v) { initialAccumulatorValue = v; return this; }

        /** Term added to the denominator for numerical stability ({@code eps}). */
        public Builder eps(double v) { eps = v; return this; }

        /** Maximizes the objective instead of minimizing it ({@code maximize}). */
        public Builder maximize(boolean v) { maximize = v; return this; }

        /** The configured instance. */
        public Adagrad build() { return new Adagrad(params, options(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)); }
    }
}
