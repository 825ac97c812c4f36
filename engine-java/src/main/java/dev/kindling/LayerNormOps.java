package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Layer normalization as one op on the backend's kernels, with its gradient beside it (PyTorch's
 * {@code NativeLayerNormBackward0}). {@code nn.F.layerNorm} checks the arguments and calls this where {@link #supports}
 * says so; elsewhere it composes mean, var and arithmetic. Users call {@code F.layerNorm} or {@code LayerNorm}, not this.
 */
public final class LayerNormOps {
    private LayerNormOps() {}

    /**
     * True when {@code x} (whose trailing shape is {@code normalizedShape}) and the weight and bias (each null or of
     * exactly {@code normalizedShape}, x's dtype and device) can go to the backend's layer norm kernels.
     */
    public static boolean supports(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) {
        if (x.numel() == 0 || x.numel() > Integer.MAX_VALUE || !x.backend().hasLayerNormKernels(x.dtype())) return false;
        for (Tensor t : new Tensor[]{weight, bias}) {
            if (t != null && (t.dtype() != x.dtype() || t.device() != x.device() || !Arrays.equals(t.shape(), normalizedShape))) return false;
        }
        return true;
    }

    /**
     * {@code F.layer_norm} where {@link #supports} holds: over the trailing dims {@code normalizedShape} of x, weight and
     * bias (each may be null) of exactly that shape; anything else is an {@link IllegalArgumentException}.
     */
    public static Tensor layerNorm(Tensor x0, int[] normalizedShape0, Tensor weight, Tensor bias, double eps) {
        int[] normalizedShape = normalizedShape0.clone(), xs = x0.shape();
        int k = normalizedShape.length;
        if (k == 0 || k > xs.length || !Arrays.equals(Arrays.copyOfRange(xs, xs.length - k, xs.length), normalizedShape)
                || !supports(x0, normalizedShape, weight, bias)) {
            throw new IllegalArgumentException("layer_norm: expected input with trailing shape " + Arrays.toString(normalizedShape)
                    + " and weight/bias of that shape, dtype " + x0.dtype() + " and device " + x0.device() + ", got input "
                    + Arrays.toString(xs) + ", weight " + describe(weight) + ", bias " + describe(bias));
        }
        Tensor x = x0.contiguous();
        int n = 1;
        for (int s : normalizedShape) n *= s;
        int rows = (int) (x.numel() / n);
        Tensor w = weight == null ? null : weight.contiguous(), b = bias == null ? null : bias.contiguous();
        Tensor y = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        Tensor mean = Tensor.empty(x.dtype(), x.device(), new int[]{rows}), rstd = Tensor.empty(x.dtype(), x.device(), new int[]{rows});
        x.backend().layerNorm(x.view(), n, view(w), view(b), eps, y.view(), mean.view(), rstd.view());
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(b);
        int width = n;
        boolean hasBias = b != null;
        return Autograd.record("NativeLayerNormBackward0", y, new Tensor[]{x0, weight, bias},
                (g, need) -> GradMode.isEnabled() ? compositeBackward(g, need, x, w, normalizedShape, eps)
                        : directBackward(g, need, x, normalizedShape, width, w, hasBias, mean, rstd),
                w == null ? new Tensor[]{x} : new Tensor[]{x, w});
    }

    private static View view(Tensor t) { return t == null ? null : t.view(); }

    private static String describe(Tensor t) {
        return t == null ? "none" : Arrays.toString(t.shape()) + " " + t.dtype() + " on " + t.device();
    }

    private static Tensor[] directBackward(Tensor g0, boolean[] need, Tensor x, int[] ps, int n, Tensor w, boolean hasBias,
                                           Tensor mean, Tensor rstd) {
        Tensor g = g0.contiguous();
        Backend be = x.backend();
        Tensor gx = need[0] ? Tensor.empty(x.dtype(), x.device(), x.shapeInternal()) : null;
        Tensor gw = w != null && need[1] ? Tensor.empty(x.dtype(), x.device(), ps) : null;
        Tensor gb = hasBias && need[2] ? Tensor.empty(x.dtype(), x.device(), ps) : null;
        be.layerNormBackward(x.view(), n, mean.view(), rstd.view(), view(w), g.view(), view(gx), view(gw), view(gb));
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(rstd);
        return new Tensor[]{gx, gw, gb};
    }

    /** The same gradients in tensor ops, differentiable again (create_graph); the statistics recomputed from x. */
    private static Tensor[] compositeBackward(Tensor g, boolean[] need, Tensor x, Tensor w, int[] normalizedShape, double eps) {
        int d = x.dim(), k = normalizedShape.length;
        int[] dims = new int[k], lead = new int[d - k];
        for (int i = 0; i < k; i++) dims[i] = d - k + i;
        for (int i = 0; i < d - k; i++) lead[i] = i;
        Tensor mean = x.mean(dims, true), var = x.var(dims, false, true);
        Tensor rstd = var.add(eps).rsqrt();
        Tensor xhat = x.sub(mean).mul(rstd);
        Tensor gxhat = w == null ? g : g.mul(w);
        Tensor gx = need[0] ? rstd.mul(gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true)))) : null;
        Tensor gw = w != null && need[1] ? sumLeading(g.mul(xhat), lead) : null;
        Tensor gb = need.length > 2 && need[2] ? sumLeading(g, lead) : null;
        return new Tensor[]{gx, gw, gb};
    }

    private static Tensor sumLeading(Tensor t, int[] lead) { return lead.length == 0 ? t : t.sum(lead, false); }
}
