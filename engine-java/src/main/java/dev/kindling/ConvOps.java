package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.ConvParams;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * Convolution and max pooling as ops with their gradients. {@code nn.F} checks the arguments and calls these;
 * users call {@code F.conv2d} and {@code F.maxPool2d}, not this class.
 *
 * <p>Convolution runs on the backend's direct kernels where it has them (oneDNN for float32 on the CPU) and
 * otherwise as {@link Tensor#unfold2d} followed by a matmul, whose gradients come from those ops. Both give
 * the same values up to the summation order. The direct path's gradient runs the backend's backward
 * kernels, or, when the gradient itself must be differentiable ({@code createGraph}), the composite formulas.
 */
public final class ConvOps {
    private ConvOps() {}

    /**
     * {@code F.conv2d} on validated arguments: x {@code [N,C,H,W]}, weight {@code [O,C/groups,kh,kw]}, bias
     * {@code [O]} or null, one dtype and device, and an output size {@code (oh, ow)} of at least 1.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, ConvParams p, int oh, int ow) {
        Backend be = x.backend();
        if (be.hasConvKernels(x.dtype()) && w.dtype() == x.dtype() && (b == null || b.dtype() == x.dtype())) {
            return direct(x, w, b, p, oh, ow);
        }
        return composite(x, w, b, p, oh, ow);
    }

    private static Tensor direct(Tensor x0, Tensor w0, Tensor b0, ConvParams p, int oh, int ow) {
        Tensor x = x0.contiguous(), w = w0.contiguous(), b = b0 == null ? null : b0.contiguous();
        int[] xs = x.shapeInternal(), ws = w.shapeInternal();
        Tensor y = Tensor.empty("conv2d", x.dtype(), x.device(), new int[]{xs[0], ws[0], oh, ow});
        if (y.numel() > 0) {
            x.backend().conv2d(x.view(), w.view(), b == null ? null : b.view(), y.view(), p);
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Reference.reachabilityFence(b);
        return Autograd.record("ConvolutionBackward0", y, new Tensor[]{x0, w0, b0},
                (g, need) -> GradMode.isEnabled() ? compositeBackward(g, need, x, w, p)
                        : directBackward(g, need, x, w, b != null, p), x, w);
    }

    private static Tensor[] directBackward(Tensor g0, boolean[] need, Tensor x, Tensor w, boolean hasBias, ConvParams p) {
        Tensor g = g0.contiguous();
        Tensor gx = need[0] ? Tensor.empty(x.dtype(), x.device(), x.shapeInternal()) : null;
        Tensor gw = need[1] ? Tensor.empty(w.dtype(), w.device(), w.shapeInternal()) : null;
        Tensor gb = hasBias && need[2] ? Tensor.empty(w.dtype(), w.device(), new int[]{w.shapeInternal()[0]}) : null;
        if (g.numel() == 0 || x.numel() == 0) {
            // nothing flowed: zero gradients, as the composite gives
            for (Tensor t : new Tensor[]{gx, gw, gb}) if (t != null) t.backend().fill(t.view(), 0);
        } else {
            x.backend().conv2dBackward(x.view(), w.view(), g.view(), gx == null ? null : gx.view(),
                    gw == null ? null : gw.view(), gb == null ? null : gb.view(), p);
        }
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        return new Tensor[]{gx, gw, gb};
    }

    /** The gradients of the composite (unfold + matmul) in tensor ops, hence differentiable again. */
    private static Tensor[] compositeBackward(Tensor g, boolean[] need, Tensor x, Tensor w, ConvParams p) {
        int groups = p.groups();
        int[] xs = x.shapeInternal(), ws = w.shapeInternal();
        int n = xs[0], kh = ws[2], kw = ws[3], o = ws[0] / groups;
        int[] s = p.stride(), pad = p.padding(), d = p.dilation();
        List<Tensor> gxs = new ArrayList<>(), gws = new ArrayList<>();
        for (int gi = 0; gi < groups; gi++) {
            Tensor xg = groups == 1 ? x : x.narrow(1, gi * ws[1], ws[1]);
            Tensor wg = groups == 1 ? w : w.narrow(0, gi * o, o);
            Tensor gg = (groups == 1 ? g : g.narrow(1, gi * o, o)).reshape(n, o, -1); // [N, O, L]
            if (need[0]) {
                Tensor cols = wg.reshape(o, -1).t().matmul(gg); // [N, C*kh*kw, L]
                gxs.add(cols.fold2d(xs[2], xs[3], kh, kw, s[0], s[1], pad[0], pad[1], d[0], d[1]));
            }
            if (need[1]) {
                Tensor cols = xg.unfold2d(kh, kw, s[0], s[1], pad[0], pad[1], d[0], d[1]); // [N, C*kh*kw, L]
                gws.add(gg.matmul(cols.transpose(1, 2)).sum(0).reshape(wg.shapeInternal()));
            }
        }
        Tensor gx = need[0] ? (groups == 1 ? gxs.get(0) : Tensor.cat(gxs, 1)) : null;
        Tensor gw = need[1] ? (groups == 1 ? gws.get(0) : Tensor.cat(gws, 0)) : null;
        Tensor gb = need.length > 2 && need[2] ? g.sum(new int[]{0, 2, 3}, false) : null;
        return new Tensor[]{gx, gw, gb};
    }

    /**
     * True when {@code F.convTranspose2d} of these tensors runs on the backend's direct kernels (a transposed
     * convolution is the data gradient of a convolution); otherwise {@code nn.F} composes it from matmul and fold.
     */
    public static boolean directTranspose(Tensor x, Tensor w, Tensor b) {
        return x.backend().hasConvKernels(x.dtype()) && w.dtype() == x.dtype() && (b == null || b.dtype() == x.dtype());
    }

    /**
     * {@code F.conv_transpose2d} on validated arguments where {@link #directTranspose} holds: x {@code [N,Cin,H,W]},
     * weight {@code [Cin, Cout/groups, kh, kw]}, output {@code [N, Cout, oh, ow]} with oh, ow from PyTorch's formula
     * (output padding included). The kernels see it as the convolution that maps the output back onto x.
     */
    public static Tensor convTranspose2d(Tensor x0, Tensor w0, Tensor b, ConvParams p, int oh, int ow) {
        Tensor x = x0.contiguous(), w = w0.contiguous();
        int[] xs = x.shapeInternal(), ws = w.shapeInternal();
        Tensor y = Tensor.empty("conv_transpose2d", x.dtype(), x.device(), new int[]{xs[0], ws[1] * p.groups(), oh, ow});
        if (y.numel() > 0 && x.numel() > 0) {
            // y = the data gradient of conv(y-shaped input, w) for the "upstream gradient" x; y's data is not read
            x.backend().conv2dBackward(y.view(), w.view(), x.view(), y.view(), null, null, p);
        } else if (y.numel() > 0) {
            y.backend().fill(y.view(), 0);
        }
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        Tensor out = Autograd.record("ConvolutionBackward0", y, new Tensor[]{x0, w0},
                (g, need) -> GradMode.isEnabled() ? compositeTransposeBackward(g, need, x, w, p)
                        : directTransposeBackward(g, need, x, w, p), x, w);
        return b == null ? out : out.add(b.reshape(1, -1, 1, 1));
    }

    private static Tensor[] directTransposeBackward(Tensor g0, boolean[] need, Tensor x, Tensor w, ConvParams p) {
        Tensor g = g0.contiguous();
        Tensor gx = need[0] ? Tensor.empty(x.dtype(), x.device(), x.shapeInternal()) : null;
        Tensor gw = need[1] ? Tensor.empty(w.dtype(), w.device(), w.shapeInternal()) : null;
        if (g.numel() == 0 || x.numel() == 0) {
            for (Tensor t : new Tensor[]{gx, gw}) if (t != null) t.backend().fill(t.view(), 0);
        } else {
            // the input's gradient is the forward convolution of g; the weight's, conv's weight gradient with g as
            // its input and x as its upstream gradient
            if (gx != null) x.backend().conv2d(g.view(), w.view(), null, gx.view(), p);
            if (gw != null) x.backend().conv2dBackward(g.view(), w.view(), x.view(), null, gw.view(), null, p);
        }
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(x);
        Reference.reachabilityFence(w);
        return new Tensor[]{gx, gw};
    }

    private static Tensor[] compositeTransposeBackward(Tensor g, boolean[] need, Tensor x, Tensor w, ConvParams p) {
        int[] xs = x.shapeInternal();
        Tensor gx = need[0] ? composite(g, w, null, p, xs[2], xs[3]) : null;
        Tensor gw = need[1] ? compositeBackward(x, new boolean[]{false, true, false}, g, w, p)[1] : null;
        return new Tensor[]{gx, gw};
    }

    /** Convolution as unfold (im2col) and a matmul, group by group; its gradient comes from those ops. */
    static Tensor composite(Tensor x, Tensor w, Tensor b, ConvParams p, int oh, int ow) {
        int groups = p.groups();
        int[] ws = w.shapeInternal();
        if (groups > 1) {
            List<Tensor> xg = x.chunk(groups, 1), wg = w.chunk(groups, 0);
            List<Tensor> bg = b == null ? null : b.chunk(groups, 0);
            ConvParams one = new ConvParams(p.stride(), p.padding(), p.dilation(), 1);
            List<Tensor> outs = new ArrayList<>();
            for (int g = 0; g < groups; g++) outs.add(composite(xg.get(g), wg.get(g), bg == null ? null : bg.get(g), one, oh, ow));
            return Tensor.cat(outs, 1);
        }
        int[] s = p.stride(), pad = p.padding(), d = p.dilation();
        Tensor cols = x.unfold2d(ws[2], ws[3], s[0], s[1], pad[0], pad[1], d[0], d[1]);
        // [O, C*kh*kw] @ [N, C*kh*kw, L] -> [N, O, L]
        Tensor out = w.reshape(ws[0], -1).matmul(cols);
        if (b != null) out = out.add(b.reshape(1, ws[0], 1));
        return out.reshape(x.shapeInternal()[0], ws[0], oh, ow);
    }

    /**
     * {@code F.maxPool2d} on validated arguments: without a gradient to record, no indices are computed or
     * stored; otherwise {@link #maxPool2d} with indices, which the gradient needs.
     */
    public static Tensor maxPool2dValues(Tensor x0, int[] kernel, ConvParams p, int oh, int ow) {
        if (Autograd.needsGrad(x0)) return maxPool2d(x0, kernel, p, oh, ow).values();
        return pool(x0, kernel, p, oh, ow, false)[0];
    }

    /**
     * {@code F.maxPool2d} with indices on validated arguments: x {@code [N,C,H,W]}, an output size of at least 1
     * and padding at most half the kernel. The indices are flat positions in each {@code H x W} plane, as
     * PyTorch's {@code return_indices=True} gives them; the gradient routes each output's gradient there.
     */
    public static ValuesIndices maxPool2d(Tensor x0, int[] kernel, ConvParams p, int oh, int ow) {
        Tensor[] vi = pool(x0, kernel, p, oh, ow, true);
        Tensor values = vi[0], indices = vi[1];
        int[] xs = x0.shapeInternal();
        int planes = xs[0] * xs[1];
        Autograd.record("MaxPool2DWithIndicesBackward0", values, x0, (g, need) -> {
            if (GradMode.isEnabled()) {
                // create_graph: the same routing in tensor ops, differentiable again
                Tensor flat = Factory.full(new int[]{planes, xs[2] * xs[3]}, 0, g.dtype(), g.device());
                return new Tensor[]{flat.scatterAdd(1, indices.reshape(planes, oh * ow), g.reshape(planes, oh * ow)).reshape(xs)};
            }
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(g.dtype(), g.device(), xs);
            if (gx.numel() > 0) {
                gx.backend().maxPool2dBackward(planes(gc, planes, oh, ow), planes(indices, planes, oh, ow),
                        planes(gx, planes, xs[2], xs[3]));
            }
            Reference.reachabilityFence(gc);
            Reference.reachabilityFence(indices);
            return new Tensor[]{gx};
        });
        return new ValuesIndices(values, indices);
    }

    private static Tensor[] pool(Tensor x0, int[] kernel, ConvParams p, int oh, int ow, boolean withIndices) {
        Tensor x = x0.contiguous();
        int[] xs = x.shapeInternal();
        int planes = xs[0] * xs[1];
        Tensor values = Tensor.empty("max_pool2d", x.dtype(), x.device(), new int[]{xs[0], xs[1], oh, ow});
        Tensor indices = withIndices ? Tensor.empty(DType.INT64, x.device(), new int[]{xs[0], xs[1], oh, ow}) : null;
        if (values.numel() > 0) {
            x.backend().maxPool2d(planes(x, planes, xs[2], xs[3]), kernel.clone(), p, planes(values, planes, oh, ow),
                    indices == null ? null : planes(indices, planes, oh, ow));
        }
        Reference.reachabilityFence(x);
        return new Tensor[]{values, indices};
    }

    /**
     * {@code F.avgPool2d} on validated arguments (dilation 1, padding at most half the kernel, output size at least
     * 1) on the backend's kernel; the gradient spreads each output's gradient over its window.
     */
    public static Tensor avgPool2d(Tensor x0, int[] kernel, ConvParams p, boolean countIncludePad, int oh, int ow) {
        Tensor x = x0.contiguous();
        int[] xs = x.shapeInternal();
        int planes = xs[0] * xs[1];
        Tensor y = Tensor.empty("avg_pool2d", x.dtype(), x.device(), new int[]{xs[0], xs[1], oh, ow});
        int[] k = kernel.clone();
        if (y.numel() > 0) {
            x.backend().avgPool2d(planes(x, planes, xs[2], xs[3]), k, p, countIncludePad, planes(y, planes, oh, ow));
        }
        Reference.reachabilityFence(x);
        return Autograd.record("AvgPool2DBackward0", y, x0, (g, need) -> {
            if (GradMode.isEnabled()) return new Tensor[]{avgPoolAdjoint(g, xs, k, p, countIncludePad, oh, ow)};
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(g.dtype(), g.device(), xs);
            if (gx.numel() > 0) {
                gx.backend().avgPool2dBackward(planes(gc, planes, oh, ow), k, p, countIncludePad, planes(gx, planes, xs[2], xs[3]));
            }
            Reference.reachabilityFence(gc);
            return new Tensor[]{gx};
        });
    }

    /** The gradient of average pooling in tensor ops (create_graph): each share spread with fold, the adjoint of unfold. */
    private static Tensor avgPoolAdjoint(Tensor g, int[] xs, int[] k, ConvParams p, boolean countIncludePad, int oh, int ow) {
        int planes = xs[0] * xs[1], kk = k[0] * k[1], l = oh * ow;
        int[] s = p.stride(), pad = p.padding();
        Tensor share = g.reshape(planes, 1, l);
        if (countIncludePad || (pad[0] == 0 && pad[1] == 0)) {
            share = share.div(kk);
        } else {
            Tensor ones = Factory.full(new int[]{1, 1, xs[2], xs[3]}, 1, g.dtype(), g.device());
            share = share.div(ones.unfold2d(k[0], k[1], s[0], s[1], pad[0], pad[1], 1, 1).sum(new int[]{1}, true));
        }
        Tensor cols = share.expand(planes, kk, l);
        return cols.fold2d(xs[2], xs[3], k[0], k[1], s[0], s[1], pad[0], pad[1], 1, 1).reshape(xs);
    }

    /** A contiguous [N, C, h, w] tensor as the [N*C, h, w] planes the pooling kernels take. */
    private static dev.kindling.backend.View planes(Tensor t, int planes, int h, int w) {
        return t.view().with(new int[]{planes, h, w}, new int[]{h * w, w, 1}, t.offset());
    }
}
