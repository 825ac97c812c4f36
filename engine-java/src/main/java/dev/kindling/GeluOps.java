package dev.kindling;

/**
 * The exact GELU, {@code x Phi(x)}, as one autograd node (PyTorch's {@code GeluBackward0}) with the bits of the ops it
 * replaces, {@code x.mul(x.mul(1 / sqrt 2).erf().add(1)).mul(0.5)}, forward and backward: the backend's fused kernels
 * ({@link dev.kindling.backend.Backend#gelu}) make two and three passes where the ops made five and ten and kept five
 * intermediates (a [64, 512] forward: 200-340 us, PyTorch 42). Where a backend has no kernel for the dtype, and for a
 * backward that records its own graph, the ops run. {@code nn.F.gelu} and {@code nn.GELU} call this.
 */
public final class GeluOps {
    private GeluOps() {}

    private static final double C = 1 / Math.sqrt(2), K = 2 / Math.sqrt(Math.PI);

    /** {@code x Phi(x)} of a floating point {@code x}, the ops' bits (an integer x is first made the default dtype). */
    public static Tensor gelu(Tensor x) {
        Tensor in = FusedOps.floating(x);
        boolean grad = GradMode.isEnabled() && in.requiresGrad();
        Tensor[] r = FusedOps.forward(in, grad, (b, out, factor) -> b.gelu(in.view(), out, factor));
        if (r == null) return FusedOps.ops(in, () -> in.mul(in.mul(C).erf().add(1)).mul(0.5));
        Tensor factor = r[1];
        return grad ? Autograd.record("GeluBackward0", r[0], in, (g, n) -> new Tensor[]{backward(g, in, factor)}, in, factor) : r[0];
    }

    /** The composite's gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, Tensor factor) {
        Tensor fused = FusedOps.gradient(g, x, (b, out) -> b.geluBackward(g.view(), x.view(), factor.view(), out), factor);
        if (fused != null) return fused;
        // the factor recomputed from x, so that a graph recorded here differentiates through it
        Tensor h = g.mul(0.5), u = x.mul(C);
        return h.mul(u.erf().add(1)).add(h.mul(x).mul(u.square().neg().exp()).mul(K).mul(C));
    }
}
