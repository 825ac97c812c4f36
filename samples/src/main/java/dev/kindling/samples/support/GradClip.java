package dev.kindling.samples.support;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_}: scales all gradients so that their joint L2 norm is at most
 * {@code maxNorm}; returns the norm before clipping. (Kept here until the engine has it.)
 */
public final class GradClip {
    private GradClip() {}

    /** Clips the gradients of {@code params} in place to a total norm of {@code maxNorm}. */
    public static double clipGradNorm_(List<Tensor> params, double maxNorm) {
        try (var g = Kindling.noGrad()) {
            double sq = 0;
            for (Tensor p : params) {
                if (p.grad() == null) continue;
                double n = p.grad().norm().item();
                sq += n * n;
            }
            double total = Math.sqrt(sq);
            double coef = maxNorm / (total + 1e-6);
            if (coef < 1) {
                for (Tensor p : params) if (p.grad() != null) p.grad().mul_(coef);
            }
            return total;
        }
    }
}
