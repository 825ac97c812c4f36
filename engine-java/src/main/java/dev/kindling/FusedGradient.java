package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * The gradient of an op with a one-pass backend kernel (GELU, ELU, SiLU, the BCE loss): the kernel's result in a fresh
 * tensor of the input's shape where the backward records no graph and the incoming gradient matches the input, else
 * null, and the op runs its ops (which a graph-recording backward always takes).
 */
final class FusedGradient {
    private FusedGradient() {}

    /** Runs a backend's kernel into {@code out}; false where it has none for the case. */
    interface Kernel { boolean run(Backend backend, View out); }

    /** {@code kernel}'s gradient for input {@code x} from the incoming {@code g}, or null; {@code operands} the kernel reads. */
    static Tensor of(Tensor g, Tensor x, Kernel kernel, Tensor... operands) {
        if (GradMode.isEnabled() || g.dtype() != x.dtype() || g.device() != x.device()
                || !Arrays.equals(g.shapeInternal(), x.shapeInternal())) return null;
        Tensor r = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        boolean done = kernel.run(r.backend(), r.view());
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        for (Tensor t : operands) Reference.reachabilityFence(t);
        if (done) return r;
        r.close();
        return null;
    }
}
