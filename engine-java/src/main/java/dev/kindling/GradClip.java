package dev.kindling;

import java.util.ArrayList;
import java.util.List;

/** Gradient clipping ({@code torch.nn.utils.clip_grad_norm_} / {@code clip_grad_value_}); see {@link Kindling#clipGradNorm}. */
final class GradClip {
    private GradClip() {}

    static List<Tensor> withGrads(Iterable<? extends Tensor> params, String op) {
        if (params == null) throw new IllegalArgumentException(op + ": parameters must not be null");
        List<Tensor> out = new ArrayList<>();
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException(op + ": a parameter is null");
            if (p.gradForUpdate() != null) out.add(p);
        }
        return out;
    }

    static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        String op = "clipGradNorm";
        if (Double.isNaN(normType) || normType < 0) {
            throw new IllegalArgumentException(op + ": normType must be a non-negative number or infinity, got " + normType);
        }
        List<Tensor> ps = withGrads(params, op);
        try (var off = GradMode.set(false)) {
            if (ps.isEmpty()) return Tensor.scalar(0.0);
            DType dt = ps.get(0).grad().dtype();
            List<Tensor> norms = new ArrayList<>();
            Tensor total;
            if (normType == Double.POSITIVE_INFINITY) {
                for (Tensor p : ps) norms.add(p.gradForUpdate().abs().max().to(dt));
                total = norms.size() == 1 ? norms.get(0) : Tensor.stack(norms).max();
            } else {
                for (Tensor p : ps) norms.add(p.gradForUpdate().norm(normType).to(dt));
                total = Tensor.stack(norms).norm(normType);
            }
            if (errorIfNonfinite && !Double.isFinite(total.item())) {
                throw new IllegalStateException(op + ": the total norm of order " + normType + " for gradients from `parameters`"
                        + " is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the"
                        + " non-finite norm anyway, set errorIfNonfinite to false");
            }
            Tensor coef = total.add(1e-6).rdiv(maxNorm).clampMax(1.0);
            for (Tensor p : ps) p.gradForUpdate().mul_(coef.to(p.gradForUpdate().dtype()));
            return total;
        }
    }

    static void clipGradValue(Iterable<? extends Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, got " + clipValue);
        try (var off = GradMode.set(false)) {
            for (Tensor p : withGrads(params, "clipGradValue")) p.gradForUpdate().clamp_(-clipValue, clipValue);
        }
    }
}
