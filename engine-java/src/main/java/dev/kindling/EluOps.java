package dev.kindling;

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
        Tensor in = FusedOps.floating(x);
        boolean grad = GradMode.isEnabled() && in.requiresGrad();
        Tensor[] r = FusedOps.forward(in, grad, (b, out, factor) -> b.elu(in.view(), alpha, out, factor));
        // clamp before expm1 so the unused branch never overflows (inf * 0 would poison the gradient)
        if (r == null) return FusedOps.ops(in, () -> Tensor.where(in.gt(0), in, in.clampMax(0).expm1().mul(alpha)));
        Tensor factor = r[1];
        return grad ? Autograd.record("EluBackward0", r[0], in, (g, n) -> new Tensor[]{backward(g, in, alpha, factor)}, in, factor) : r[0];
    }

    /** The composite's gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, double alpha, Tensor factor) {
        Tensor fused = FusedOps.gradient(g, x, (b, out) -> b.eluBackward(g.view(), x.view(), alpha, factor.view(), out), factor);
        if (fused != null) return fused;
        // the exponential recomputed from x, so that a graph recorded here differentiates through it
        Tensor positive = x.gt(0), zero = Tensor.scalar(0, g.dtype());
        Tensor kept = x.isnan().logicalNot().logicalAnd(x.le(0));
        Tensor branch = Tensor.where(positive, zero, g).mul(alpha).mul(x.clampMax(0).expm1().add(1)).mul(kept);
        return Tensor.where(positive, g, zero).add(branch);
    }
}
