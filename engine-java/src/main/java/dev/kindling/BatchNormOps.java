package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.View;

import java.lang.ref.Reference;

/**
 * Batch normalization as one op on the backend's kernels (oneDNN for float32 on the CPU), with its gradient beside
 * it. {@code nn.F.batchNorm} checks the arguments and calls this where {@link #supports} says so; elsewhere it
 * composes mean, var and arithmetic. Users call {@code F.batchNorm} or the BatchNorm modules, not this class.
 */
public final class BatchNormOps {
    private BatchNormOps() {}

    /** True when x and every per-channel tensor can go to the backend's batch norm kernels. */
    public static boolean supports(Tensor x, Tensor... perChannel) {
        if (x.dim() < 2 || x.dim() > 5 || x.numel() == 0 || !x.backend().hasBatchNormKernels(x.dtype())) return false;
        for (Tensor t : perChannel) {
            if (t != null && (t.dtype() != x.dtype() || t.device() != x.device())) return false;
        }
        return true;
    }

    /**
     * {@code F.batch_norm} on validated arguments: per-channel tensors of shape {@code [C]}, more than one value per
     * channel when batch statistics are used. With batch statistics and running buffers, the buffers are updated
     * (momentum; the running variance is the unbiased estimate, as PyTorch's).
     */
    public static Tensor batchNorm(Tensor x0, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        boolean global = !training && runningMean != null;
        Tensor x = x0.contiguous();
        int c = x.shapeInternal()[1];
        Backend be = x.backend();
        Tensor mean, var;
        if (global) {
            // copies: the buffers may change in place (a later training step) before this node's backward runs
            mean = runningMean.contiguous().clone();
            var = runningVar.contiguous().clone();
        } else {
            mean = Tensor.empty(x.dtype(), x.device(), new int[]{c});
            var = Tensor.empty(x.dtype(), x.device(), new int[]{c});
        }
        Tensor w = weight == null ? null : weight.contiguous(), b = bias == null ? null : bias.contiguous();
        Tensor y = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        be.batchNorm(x.view(), mean.view(), var.view(), view(w), view(b), eps, global, y.view());
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(b);
        if (!global && runningMean != null) {
            long n = x.numel() / c;
            try (var off = GradMode.set(false)) {
                runningMean.mul_(1 - momentum).add_(mean.mul(momentum));
                runningVar.mul_(1 - momentum).add_(var.mul(momentum * n / (n - 1.0)));
            }
        }
        return Autograd.record("NativeBatchNormBackward0", y, new Tensor[]{x0, weight, bias},
                (g, need) -> GradMode.isEnabled() ? compositeBackward(g, need, x, w, mean, var, eps, global)
                        : directBackward(g, need, x, w, b != null, mean, var, eps, global),
                w == null ? new Tensor[]{x} : new Tensor[]{x, w});
    }

    private static View view(Tensor t) { return t == null ? null : t.view(); }

    private static Tensor[] directBackward(Tensor g0, boolean[] need, Tensor x, Tensor w, boolean hasBias, Tensor mean,
                                           Tensor var, double eps, boolean global) {
        Tensor g = g0.contiguous();
        int[] cs = {x.shapeInternal()[1]};
        Tensor gx = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        Tensor gw = w != null && need[1] ? Tensor.empty(x.dtype(), x.device(), cs) : null;
        Tensor gb = hasBias && need[2] ? Tensor.empty(x.dtype(), x.device(), cs) : null;
        x.backend().batchNormBackward(x.view(), mean.view(), var.view(), view(w), g.view(), eps, global,
                gx.view(), view(gw), view(gb));
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(mean);
        Reference.reachabilityFence(var);
        return new Tensor[]{need[0] ? gx : null, gw, gb};
    }

    /** The same gradients in tensor ops, differentiable again (create_graph); batch statistics recomputed from x. */
    private static Tensor[] compositeBackward(Tensor g, boolean[] need, Tensor x, Tensor w, Tensor mean0, Tensor var0,
                                              double eps, boolean global) {
        int d = x.dim(), c = x.shapeInternal()[1];
        int[] dims = new int[d - 1];
        for (int i = 1; i < d - 1; i++) dims[i] = i + 1;
        int[] bs = new int[d];
        java.util.Arrays.fill(bs, 1);
        bs[1] = c;
        Tensor mean = global ? mean0.reshape(bs) : x.mean(dims, true);
        Tensor var = global ? var0.reshape(bs) : x.var(dims, false, true);
        Tensor invstd = var.add(eps).rsqrt();
        Tensor xhat = x.sub(mean).mul(invstd);
        Tensor gxhat = w == null ? g : g.mul(w.reshape(bs));
        Tensor gx = null;
        if (need[0]) {
            gx = global ? gxhat.mul(invstd)
                    : invstd.mul(gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true))));
        }
        Tensor gw = w != null && need[1] ? g.mul(xhat).sum(dims, false) : null;
        Tensor gb = need.length > 2 && need[2] ? g.sum(dims, false) : null;
        return new Tensor[]{gx, gw, gb};
    }
}
