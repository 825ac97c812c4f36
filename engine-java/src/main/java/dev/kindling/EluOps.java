package dev.kindling;

import java.lang.ref.Reference;

/**
 * ELU, {@code x} where positive, {@code alpha (exp(x) - 1)} elsewhere, as one autograd node (PyTorch's
 * {@code EluBackward0}) with the bits of the ops it replaces, {@code where(x > 0, x, x.clampMax(0).expm1().mul(alpha))},
 * forward and backward: the backend's fused kernels ({@link dev.kindling.backend.Backend#elu}) make one pass each way
 * where the ops made five and eight (a [64, 512] forward: 185-250 us, PyTorch 57). Where a backend has no kernel for
 * the dtype, and for a backward that records its own graph, the ops run. {@code nn.F.elu} and {@code nn.ELU} call this.
 */
public final class EluOps {
    private EluOps() {}

    /** ELU of a floating point {@code x}, the ops' bits (an integer x is first made the default dtype). */
    public static Tensor elu(Tensor x, double alpha) {
        Tensor in = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        boolean grad = GradMode.isEnabled() && in.requiresGrad();
        Tensor out = Tensor.empty(in.dtype(), in.device(), in.shapeInternal());
        Tensor factor = grad ? Tensor.empty(in.dtype(), in.device(), in.shapeInternal()) : null;
        boolean done = out.backend().elu(in.view(), alpha, out.view(), factor == null ? null : factor.view());
        Reference.reachabilityFence(in);
        if (!done) {
            out.close();
            if (factor != null) factor.close();
            return composite(in, alpha);
        }
        if (!grad) return out;
        return Autograd.record("EluBackward0", out, in, (g, n) -> new Tensor[]{backward(g, in, alpha, factor)}, in, factor);
    }

    private static Tensor composite(Tensor x, double alpha) {
        try (var scope = x.requiresGrad() && GradMode.isEnabled() ? null : Kindling.scope()) {
            // clamp before expm1 so the unused branch never overflows (inf * 0 would poison the gradient)
            Tensor y = Tensor.where(x.gt(0), x, x.clampMax(0).expm1().mul(alpha));
            return scope == null ? y : scope.keep(y);
        }
    }

    /** The composite's gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, double alpha, Tensor factor) {
        Tensor fused = FusedGradient.of(g, x, (b, out) -> b.eluBackward(g.view(), x.view(), alpha, factor.view(), out), factor);
        if (fused != null) return fused;
        // the exponential recomputed from x, so that a graph recorded here differentiates through it
        Tensor positive = x.gt(0), zero = Tensor.scalar(0, g.dtype());
        Tensor kept = x.isnan().logicalNot().logicalAnd(x.le(0));
        Tensor branch = Tensor.where(positive, zero, g).mul(alpha).mul(x.clampMax(0).expm1().add(1)).mul(kept);
        return Tensor.where(positive, g, zero).add(branch);
    }
}
