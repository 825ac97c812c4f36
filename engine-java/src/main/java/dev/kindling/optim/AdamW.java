package dev.kindling.optim;

import dev.kindling.Tensor;

import java.util.Map;

/**
 * AdamW ({@code torch.optim.AdamW}): Adam with decoupled weight decay ({@code p *= 1 - lr * wd} before the
 * Adam update); default weight decay 1e-2.
 *
 * <pre>{@code
 * var opt = AdamW.builder(net.parameters()).lr(1e-3).weightDecay(0.05).build();
 * }</pre>
 */
public class AdamW extends Adam {
    /** A AdamW with the given options and PyTorch's defaults for the rest. */
    public AdamW(Iterable<?> params) { this(params, 1e-3); }

    /** A AdamW with the given options and PyTorch's defaults for the rest. */
    public AdamW(Iterable<?> params, double lr) { this(params, lr, 0.9, 0.999); }

    /** A AdamW with the given options and PyTorch's defaults for the rest. */
    public AdamW(Iterable<?> params, double lr, double beta1, double beta2) {
        super("AdamW", params, options(lr, beta1, beta2, 1e-8, 1e-2, false, false));
    }

    private AdamW(Map<String, Object> defaults, Iterable<?> params) {
        super("AdamW", params, defaults);
    }

    /** Like {@link Adam#builder} with AdamW's default weight decay of 1e-2. */
    public static Builder builder(Iterable<?> params) { return new Builder(params); }

    @Override protected void update(ParamGroup g, Tensor p, Tensor grad, Map<String, Object> s) {
        double lr = g.lr();
        double[] betas = g.getPair("betas");
        adam(p, grad, s, lr, betas[0], betas[1], g.getDouble("eps"), 0, g.getBoolean("amsgrad"), g.getBoolean("maximize"),
                1 - lr * g.weightDecay());
    }

    /** Builder of {@link AdamW}. */
    public static final class Builder extends Adam.Builder {
        Builder(Iterable<?> params) { super(params, 1e-2); }

        @Override public Builder lr(double v) { super.lr(v); return this; }

        @Override public Builder betas(double b1, double b2) { super.betas(b1, b2); return this; }

        @Override public Builder eps(double v) { super.eps(v); return this; }

        @Override public Builder weightDecay(double v) { super.weightDecay(v); return this; }

        @Override public Builder amsgrad(boolean v) { super.amsgrad(v); return this; }

        @Override public Builder maximize(boolean v) { super.maximize(v); return this; }

        @Override public AdamW build() { return new AdamW(options(), params); }
    }
}
