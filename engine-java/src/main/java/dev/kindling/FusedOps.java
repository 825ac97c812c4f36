package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What the elementwise ops with one-pass backend kernels (GELU, ELU, SiLU, LeakyReLU, the BCE loss) share: the forward
 * kernel into fresh tensors, the gradient kernel, and the ops they run where a backend has no kernel. Each op's kernels
 * give the bits of its ops, so which path runs changes the speed, never the result.
 */
final class FusedOps {
    private FusedOps() {}

    /** Runs a backend's forward kernel into {@code out} and, where not null, {@code factor}; false where it has none. */
    interface Forward { boolean run(Backend backend, View out, View factor); }

    /** Runs a backend's gradient kernel into {@code out}; false where it has none for the case. */
    interface Gradient { boolean run(Backend backend, View out); }

    /** {@code x} itself where it is floating point, else in the default dtype, as the ops' arithmetic promotes it. */
    static Tensor floating(Tensor x) { return x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType()); }

    /**
     * {@code {out, factor}} from {@code kernel} over {@code in}'s shape ({@code factor} only {@code withFactor}, for the
     * gradient), or null where the backend declines.
     */
    static Tensor[] forward(Tensor in, boolean withFactor, Forward kernel) {
        Tensor out = Tensor.empty(in.dtype(), in.device(), in.shapeInternal());
        Tensor factor = withFactor ? Tensor.empty(in.dtype(), in.device(), in.shapeInternal()) : null;
        boolean done = kernel.run(out.backend(), out.view(), factor == null ? null : factor.view());
        Reference.reachabilityFence(in);
        if (done) return new Tensor[]{out, factor};
        out.close();
        if (factor != null) factor.close();
        return null;
    }

    /** {@code kernel}'s gradient for input {@code x} from the incoming {@code g}, or null; {@code operands} the kernel reads. */
    static Tensor gradient(Tensor g, Tensor x, Gradient kernel, Tensor... operands) {
        // a backward that records its graph needs the ops, and an incoming gradient of another dtype or shape too
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

    /**
     * The ops' result over {@code x}: with the graph they record where {@code x} requires grad, else with their
     * intermediates freed as they return (what {@code nn.Temporaries} does for the composites in {@code nn}).
     */
    static Tensor ops(Tensor x, Supplier<Tensor> ops) {
        if (GradMode.isEnabled() && x.requiresGrad()) return ops.get();
        try (Scope scope = new Scope()) {
            return scope.keep(ops.get());
        }
    }
}
