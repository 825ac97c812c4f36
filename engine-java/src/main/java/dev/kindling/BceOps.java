package dev.kindling;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * {@code binary_cross_entropy}'s elementwise loss on probabilities, {@code -(t log x + (1 - t) log(1 - x))}, as one
 * autograd node (PyTorch's {@code BinaryCrossEntropyBackward0}) with the bits of the ops it replaces, forward and
 * backward, where every input lies inside (0, 1) with {@code x (1 - x) >= 1e-12} (PyTorch's clamps apply nowhere): the
 * range checks, the loss and its gradient each one pass on the backend ({@link dev.kindling.backend.Backend#binaryCrossEntropy}),
 * where the composite ran three checks with their reductions and eight ops each way (a seed tutorial's [64, 1] batch
 * paid for the ops' dispatch more than for the arithmetic). {@code nn.F.binaryCrossEntropy} and {@code BCELoss} call
 * this first; users call those, not this class.
 */
public final class BceOps {
    private BceOps() {}

    /** The error for an input outside [0, 1], the same from this op and from the composite. */
    public static IllegalArgumentException outOfRange() {
        return new IllegalArgumentException("binary_cross_entropy: all elements of input should be between 0 and 1"
                + " (apply sigmoid first, or use BCEWithLogitsLoss)");
    }

    /** True for a non-empty input and a target of its shape, dtype and device that needs no gradient. */
    public static boolean supports(Tensor x, Tensor t) {
        return x.dtype().isFloatingPoint() && t.dtype() == x.dtype() && t.device() == x.device() && x.numel() > 0
                && Arrays.equals(t.shape(), x.shape()) && !t.requiresGrad();
    }

    /**
     * The unreduced loss where {@link #supports} holds (else an {@link IllegalArgumentException}) and the backend has a
     * kernel for the case; null when some element lies on the boundary, is NaN, or the backend has no kernel (the caller
     * composes); {@link #outOfRange} thrown for an element outside [0, 1].
     */
    public static Tensor interiorLoss(Tensor x, Tensor t) {
        if (!supports(x, t)) {
            throw new IllegalArgumentException("binary_cross_entropy: expected a non-empty floating point input and a target"
                    + " of its shape, dtype and device without a gradient, got input " + Arrays.toString(x.shape()) + " "
                    + x.dtype() + ", target " + Arrays.toString(t.shape()) + " " + t.dtype() + (t.requiresGrad() ? " requiring grad" : ""));
        }
        Tensor out = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        int found = out.backend().binaryCrossEntropy(x.view(), t.view(), out.view());
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(t);
        if (found != 0) {
            out.close();
            if (found == 2) throw outOfRange();
            return null;
        }
        return Autograd.record("BinaryCrossEntropyBackward0", out, x, (g, n) -> new Tensor[]{backward(g, x, t)}, x, t);
    }

    /** The composite's gradient: the backend's kernel where it has one, else the ops (always, to record a graph). */
    private static Tensor backward(Tensor g, Tensor x, Tensor t) {
        Tensor fused = FusedOps.gradient(g, x, (b, out) -> b.binaryCrossEntropyBackward(g.view(), x.view(), t.view(), out), t);
        if (fused != null) return fused;
        Tensor h = g.neg();
        return h.mul(t).div(x).add(h.mul(t.rsub(1)).div(x.rsub(1)).neg());
    }
}
