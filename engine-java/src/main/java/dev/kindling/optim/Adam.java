package dev.kindling.optim;

import dev.kindling.FusedOptim;
import dev.kindling.Tensor;
import dev.kindling.backend.OptimStep;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam ({@code torch.optim.Adam}), step for step equal to PyTorch 1.13's single-tensor implementation.
 *
 * <pre>{@code
 * var opt = new Adam(net.parameters(), 1e-3);
 * var opt2 = Adam.builder(net.parameters()).lr(1e-3).weightDecay(1e-4).amsgrad(true).build();
 * }</pre>
 */
public class Adam extends Optimizer {
    /** Adam with lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(Iterable<?> params) { this(params, 1e-3); }

    /** A Adam with the given options and PyTorch's defaults for the rest. */
    public Adam(Iterable<?> params, double lr) { this(params, lr, 0.9, 0.999); }

    /** {@code Adam(params, lr, betas=(beta1, beta2))}. */
    public Adam(Iterable<?> params, double lr, double beta1, double beta2) {
        this("Adam", params, options(lr, beta1, beta2, 1e-8, 0, false, false));
    }

    Adam(String name, Iterable<?> params, Map<String, Object> defaults) {
        super(name, params, defaults);
    }

    static Map<String, Object> options(double lr, double beta1, double beta2, double eps, double weightDecay,
                                       boolean amsgrad, boolean maximize) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("lr", lr);
        d.put("betas", List.of(beta1, beta2));
        d.put("eps", eps);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", amsgrad);
        d.put("maximize", maximize);
        return d;
    }

    /** A builder for the options past the first few, with PyTorch's defaults. */
    public static Builder builder(Iterable<?> params) { return new Builder(params, 0); }

    @Override protected void validate(Map<String, Object> o, String op) {
        nonNegative(o, "lr", "learning rate", op);
        nonNegative(o, "eps", "epsilon", op);
        nonNegative(o, "weight_decay", "weight_decay", op);
        ParamGroup probe = ParamGroup.of(List.of());
        probe.set("betas", o.get("betas"));
        double[] b;
        try {
            b = probe.getPair("betas");
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(op + ": betas must be a pair of numbers, got " + o.get("betas"));
        }
        for (int i = 0; i < 2; i++) {
            if (!(b[i] >= 0 && b[i] < 1)) {
                throw new IllegalArgumentException(op + ": invalid beta parameter at index " + i + ": " + b[i] + " (must be in [0, 1))");
            }
        }
        if (!(o.get("amsgrad") instanceof Boolean) || !(o.get("maximize") instanceof Boolean)) {
            throw new IllegalArgumentException(op + ": amsgrad and maximize must be booleans, got " + o.get("amsgrad") + ", " + o.get("maximize"));
        }
    }

    @Override protected Set<String> stateKeys(ParamGroup g) {
        return g.has("amsgrad") && Boolean.TRUE.equals(g.get("amsgrad"))
                ? Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq") : Set.of("step", "exp_avg", "exp_avg_sq");
    }

    @Override protected Set<String> identifyingKeys() { return Set.of("lr", "betas", "eps", "weight_decay", "amsgrad"); }

    @Override protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> s) {
        double[] betas = g.getPair("betas");
        adam(p, grad, s, g.lr(), betas[0], betas[1], g.getDouble("eps"), g.weightDecay(),
                g.getBoolean("amsgrad"), g.getBoolean("maximize"), 1);
    }

    /**
     * PyTorch's {@code _single_tensor_adam} for one parameter, same operations in the same order, after
     * AdamW's {@code param.mul_(decay)} when {@code decay != 1}. Contiguous float parameters take the fused
     * kernel, which performs these operations element by element in one pass.
     */
    static void adam(Tensor param, Tensor grad, Map<String, Object> s, double lr, double beta1, double beta2, double eps,
                     double weightDecay, boolean amsgrad, boolean maximize, double decay) {
        if (s.isEmpty()) {
            s.put("step", 0L);
            s.put("exp_avg", keep(Tensor.zerosLike(param)));
            s.put("exp_avg_sq", keep(Tensor.zerosLike(param)));
        }
        if (amsgrad && !s.containsKey("max_exp_avg_sq")) s.put("max_exp_avg_sq", keep(Tensor.zerosLike(param)));
        Tensor expAvg = (Tensor) s.get("exp_avg"), expAvgSq = (Tensor) s.get("exp_avg_sq");
        long step = (Long) s.get("step") + 1;
        s.put("step", step);
        double biasCorrection1 = 1 - ScalarMath.pow(beta1, step);
        double biasCorrection2 = 1 - ScalarMath.pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        var fused = new OptimStep.Adam(decay, maximize, weightDecay, beta1, beta2, eps, biasCorrection2Sqrt, -stepSize, amsgrad);
        if (amsgrad ? FusedOptim.step(fused, param, grad, expAvg, expAvgSq, (Tensor) s.get("max_exp_avg_sq"))
                : FusedOptim.step(fused, param, grad, expAvg, expAvgSq)) {
            return;
        }
        if (decay != 1) param.mul_(decay);
        if (maximize) grad = grad.neg();
        if (weightDecay != 0) grad = grad.add(param, weightDecay);
        expAvg.mul_(beta1).add_(grad, 1 - beta1);
        expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        Tensor second = expAvgSq;
        if (amsgrad) {
            Tensor max = (Tensor) s.get("max_exp_avg_sq");
            max.maximum_(expAvgSq);
            second = max;
        }
        Tensor denom = second.sqrt().div_(biasCorrection2Sqrt).add_(eps);
        param.addcdiv_(expAvg, denom, -stepSize);
    }

    /** Options past the learning rate: {@code Adam.builder(params).lr(1e-3).weightDecay(1e-4).build()}. */
    public static class Builder {
        final Iterable<?> params;
        double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay;
        boolean amsgrad, maximize;

        Builder(Iterable<?> params, double weightDecay) {
            this.params = params;
            this.weightDecay = weightDecay;
        }

        /** The learning rate ({@code lr}). */
        public Builder lr(double v) { lr = v; return this; }

        /** Decay rates of the first and second moment averages ({@code betas}). */
        public Builder betas(double b1, double b2) { beta1 = b1; beta2 = b2; return this; }

        /** Term added to the denominator for numerical stability ({@code eps}). */
        public Builder eps(double v) { eps = v; return this; }

        /** L2 penalty ({@code weight_decay}). */
        public Builder weightDecay(double v) { weightDecay = v; return this; }

        /** Uses the maximum of past second moments (AMSGrad, {@code amsgrad}). */
        public Builder amsgrad(boolean v) { amsgrad = v; return this; }

        /** Maximizes the objective instead of minimizing it ({@code maximize}). */
        public Builder maximize(boolean v) { maximize = v; return this; }

        Map<String, Object> options() { return Adam.options(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize); }

        /** The configured instance. */
        public Adam build() { return new Adam("Adam", params, options()); }
    }
}
