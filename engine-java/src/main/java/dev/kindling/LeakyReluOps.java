package dev.kindling;

/**
 * LeakyReLU, {@code x} where positive, {@code x * slope} elsewhere, as one autograd node (PyTorch's
 * {@code LeakyReluBackward0}) with the bits of the ops it replaces, {@code where(x > 0, x, x.mul(slope))}: one pass each
 * way on the backend ({@link dev.kindling.backend.Backend#leakyRelu}) where the ops made three and four and left their
 * intermediates to the collector. Where a backend has no kernel for the dtype, and for a backward that records its
 * graph, the ops run. {@code nn.F.leakyRelu} and {@code nn.LeakyReLU} call this.
 */
public final class LeakyReluOps {
    private LeakyReluOps() {}

    /** LeakyReLU of {@code x}, the ops' bits (an integer x is first made the default dtype, as the ops' product makes it). */
    public static Tensor leakyRelu(Tensor x, double slope) {
        Tensor in = FusedOps.floating(x);
        Tensor[] r = FusedOps.forward(in, false, (b, out, factor) -> b.leakyRelu(in.view(), slope, out));
        if (r == null) return FusedOps.ops(in, () -> Tensor.where(in.gt(0), in, in.mul(slope)));
        return Autograd.record("LeakyReluBackward0", r[0], in, (g, n) -> new Tensor[]{backward(g, in, slope)}, in);
    }

    /** The ops' gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, double slope) {
        Tensor fused = FusedOps.gradient(g, x, (b, out) -> b.leakyReluBackward(g.view(), x.view(), slope, out));
        if (fused != null) return fused;
        Tensor positive = x.gt(0), zero = Tensor.scalar(0, g.dtype());
        return Tensor.where(positive, g, zero).add(Tensor.where(positive, zero, g).mul(slope));
    }
}
