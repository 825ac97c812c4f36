package dev.kindling;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Autograd for views and in-place changes, as PyTorch does it. Every view remembers its root (the
 * non-view tensor whose memory it reads) and the root's node when the view's history was made:
 * <ul>
 *   <li>an in-place op on a view ({@code out.select(1, t).copy_(h)}, {@code x.view(6, 4).relu_()}) gives
 *       the root a {@code CopySlices} node (the root's old gradient with the view's region zeroed, plus
 *       the new values' gradient placed in that region), and the view a node reading its region;</li>
 *   <li>a view whose root got a new history after it was taken is rebased when next used, so its
 *       gradient follows the values it now holds.</li>
 * </ul>
 * The region of a view inside its root is addressed by strides, so this needs a contiguous root;
 * for another root the op is refused with a clear message rather than given a wrong gradient.
 */
final class ViewInPlace {
    private ViewInPlace() {}

    /** Where a view lies in its contiguous root: shape, strides and offset relative to the root's start. */
    record Region(int[] rootShape, int[] shape, int[] strides, int offset) {}

    static Region regionOf(Tensor view, Tensor root) {
        return new Region(root.shape(), view.shape(), view.stride(), view.offset() - root.offset());
    }

    /** Whether {@code root}'s history changed since {@code view}'s history was made. */
    static boolean stale(Tensor view) {
        Tensor root = view.viewRoot;
        return root != null && root.gradFn() != view.rootFnAtView;
    }

    /**
     * Before an op records {@code t} as an input: a stale view gets a history reading its region of the
     * root's current history (or loses its history when the root no longer has one).
     */
    static void refresh(Tensor t, String usedBy) {
        if (!stale(t)) return;
        Tensor root = t.viewRoot;
        if (!root.requiresGrad()) {
            t.detach_();
            t.rootFnAtView = root.gradFn();
            return;
        }
        if (!root.isContiguous()) {
            throw new IllegalStateException("a view of a tensor that was modified by an inplace operation after the"
                    + " view was taken is used" + (usedBy == null ? "" : " by " + usedBy) + ", and its base "
                    + Arrays.toString(root.shape()) + " is not contiguous, so Kindling cannot rebase it; take the"
                    + " view again after the inplace operation");
        }
        link(t, root, regionOf(t, root));
    }

    /** Gives {@code view} the history "my region of root", as PyTorch's regenerated AsStridedBackward0. */
    private static void link(Tensor view, Tensor root, Region r) {
        // recorded even when called from backward under noGrad: the view's history must match its values
        try (var on = GradMode.set(true)) {
            Autograd.record("AsStridedBackward0", view, root, (g, n) -> new Tensor[]{place(g, r)});
        }
        view.rootFnAtView = root.gradFn();
    }

    /**
     * Checks, before anything is written, that an in-place op with gradient on {@code view} can be
     * recorded; throws otherwise.
     */
    static void checkWritable(Tensor view) {
        Tensor root = view.viewRoot;
        if (root.isLeaf() && root.requiresGrad()) {
            throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place"
                    + " operation; wrap it in Kindling.noGrad() or use the out-of-place op");
        }
        if (!root.isContiguous()) {
            throw new IllegalStateException("in-place op on a view of a non-contiguous tensor of shape "
                    + Arrays.toString(root.shape()) + ": Kindling records in-place changes of views only for"
                    + " contiguous bases; use the out-of-place op (e.g. add instead of add_)");
        }
        int[] s = view.shape(), st = view.stride();
        for (int d = 0; d < s.length; d++) {
            if (st[d] == 0 && s[d] > 1) {
                throw new IllegalStateException("in-place op on an expanded view of shape " + Arrays.toString(s)
                        + ": more than one element of the written-to tensor refers to a single memory location;"
                        + " clone() it first");
            }
        }
    }

    /**
     * After {@code values} were written into {@code view}: the root's new history (PyTorch's CopySlices)
     * and the view's, reading its region of it.
     */
    static void record(Tensor view, Tensor values) {
        Tensor root = view.viewRoot;
        Region r = regionOf(view, root);
        Autograd.record("CopySlices", root, new Tensor[]{root, values}, (g, n) -> {
            Tensor part = region(g, r);
            return new Tensor[]{n[0] ? g.sub(place(part, r)) : null, n[1] ? part : null};
        });
        link(view, root, r);
    }

    /** The region of a gradient of the root's shape, as a new tensor; its gradient is {@link #place}. */
    static Tensor region(Tensor g, Region r) {
        Tensor gc = g.contiguous();
        Tensor out = Tensor.empty(gc.dtype(), gc.device(), r.shape());
        out.backend().copy(gc.alias(r.shape(), r.strides(), gc.offset() + r.offset()).view(), out.view());
        Reference.reachabilityFence(gc);
        return Autograd.record("AsStridedBackward0", out, gc, (gg, n) -> new Tensor[]{place(gg, r)});
    }

    /** Zeros of the root's shape with {@code g} in the region; its gradient is {@link #region}. */
    static Tensor place(Tensor g, Region r) {
        Tensor out = Factory.full(r.rootShape(), 0, g.dtype(), g.device());
        out.backend().copy(g.view(), out.alias(r.shape(), r.strides(), out.offset() + r.offset()).view());
        Reference.reachabilityFence(g);
        return Autograd.record("AsStridedScatterBackward0", out, g, (gg, n) -> new Tensor[]{region(gg, r)});
    }
}
