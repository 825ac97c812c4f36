package dev.kindling;

/**
 * SiLU, {@code x * sigmoid(x)}, as one autograd node (PyTorch's {@code SiluBackward0}) with the bits of the ops it
 * replaces, {@code x.mul(x.sigmoid())}, forward (those two ops) and backward (one pass on the backend,
 * {@link dev.kindling.backend.Backend#siluBackward}, where the ops' graph made four and two nodes). Where a backend has
 * no kernel for the dtype, and for a backward that records its graph, the ops run. {@code nn.F.silu} and
 * {@code nn.SiLU} call this.
 */
public final class SiluOps {
    private SiluOps() {}

    /** {@code x * sigmoid(x)} of a floating point {@code x}, the ops' bits (an integer x is first made the default dtype). */
    public static Tensor silu(Tensor x) {
        Tensor in = FusedOps.floating(x);
        // without a graph the ops are the forward; half precision rounds every op's result to its dtype: its graph too
        if (!GradMode.isEnabled() || !in.requiresGrad() || in.dtype().isHalf()) return FusedOps.ops(in, () -> in.mul(in.sigmoid()));
        Tensor s, out;
        try (var off = GradMode.set(false)) {
            s = in.sigmoid();
            out = in.mul(s);
        }
        return Autograd.record("SiluBackward0", out, in, (g, n) -> new Tensor[]{backward(g, in, s)}, in, s);
    }

    /** The ops' gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, Tensor s) {
        Tensor fused = FusedOps.gradient(g, x, (b, out) -> b.siluBackward(g.view(), x.view(), s.view(), out), s);
        if (fused != null) return fused;
        // the sigmoid recomputed from x, so that a graph recorded here differentiates through it
        Tensor sg = x.sigmoid();
        return g.mul(sg).add(g.mul(x).mul(sg).mul(sg.rsub(1)));
    }
}
