package dev.kindling;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shape arithmetic and the view ops: they change metadata only, and their gradients undo the view. */
final class Shapes {
    private Shapes() {}

    static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = acc;
            acc *= Math.max(1, shape[i]);
        }
        return st;
    }

    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    static int[] allDims(int n) {
        int[] d = new int[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return d;
    }

    /** Wraps a possibly negative dim, or throws naming the op. */
    static int dim(String op, int dim, int ndim) {
        int lo = -Math.max(ndim, 1), hi = Math.max(ndim, 1) - 1;
        if (dim < lo || dim > hi) {
            throw new IndexOutOfBoundsException(op + ": dimension out of range (expected to be in range of [" + lo
                    + ", " + hi + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + Math.max(ndim, 1) : dim;
    }

    static String str(int[] s) { return Arrays.toString(s); }

    /** Resolves one -1 and checks the element count. */
    static int[] infer(String op, int[] shape, long numel) {
        int[] out = shape.clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException(op + ": only one dimension can be inferred in " + str(shape));
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + out[i] + " in " + str(shape));
            } else {
                known *= out[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for input of size " + numel);
            }
            out[unknown] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for input of size " + numel);
        }
        return out;
    }

    /** Strides for viewing (shape, strides) as newShape without copying, or null when impossible (ATen's computeStride). */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        if (numel(shape) == 0 || shape.length == 0) return contiguousStrides(newShape);
        int[] ns = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? ns : null;
    }

    static Tensor view(Tensor t, int[] newShape) {
        int[] shape = infer("view", newShape, t.numel());
        int[] st = viewStrides(t.shapeInternal(), t.stridesInternal(), shape);
        if (st == null) {
            throw new IllegalArgumentException("view: size " + str(shape) + " is not compatible with input tensor's size "
                    + str(t.shapeInternal()) + " and stride " + str(t.stridesInternal())
                    + " (at least one dimension spans across two contiguous subspaces); use reshape(...) instead");
        }
        int[] in = t.shapeInternal();
        return t.alias(shape, st, t.offset()).linkView(t, "ViewBackward0", g -> g.reshape(in));
    }

    static Tensor reshape(Tensor t, int[] newShape) {
        int[] shape = infer("reshape", newShape, t.numel());
        int[] st = viewStrides(t.shapeInternal(), t.stridesInternal(), shape);
        if (st != null) return view(t, shape);
        return t.clone().view(shape);
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int[] s = t.shapeInternal();
        int d = dim("slice", dim, s.length);
        if (s.length == 0) throw new IllegalArgumentException("slice: cannot slice a 0-d tensor");
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int size = s[d];
        int b = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
        int e = end < 0 ? Math.max(0, end + size) : Math.min(end, size);
        int len = e > b ? (e - b + step - 1) / step : 0;
        int[] ns = s.clone(), st = t.stridesInternal().clone();
        ns[d] = len;
        st[d] = st[d] * step;
        int off = t.offset() + b * t.stridesInternal()[d];
        int fb = b;
        Tensor v = t.alias(ns, st, off).linkView(t, "SliceBackward0", g -> sliceBackward(g, s, d, fb, len, step));
        if (v.gradFn() instanceof Node n) n.region = new Node.SliceRegion(d, fb, len, step, false);
        return v;
    }

    /** The gradient of a slice: the slice's gradient placed back among zeros, differentiably. */
    private static Tensor sliceBackward(Tensor g, int[] inShape, int d, int start, int len, int step) {
        if (step == 1) {
            List<Tensor> parts = new ArrayList<>();
            int after = inShape[d] - start - len;
            if (start > 0) {
                int[] zs = inShape.clone();
                zs[d] = start;
                parts.add(Factory.full(zs, 0, g.dtype(), g.device()));
            }
            parts.add(g);
            if (after > 0) {
                int[] zs = inShape.clone();
                zs[d] = after;
                parts.add(Factory.full(zs, 0, g.dtype(), g.device()));
            }
            return parts.size() == 1 ? g : cat(parts, d);
        }
        long[] idx = new long[len];
        for (int i = 0; i < len; i++) idx[i] = start + (long) i * step;
        return Factory.full(inShape, 0, g.dtype(), g.device()).indexAdd(d, Factory.fromArray(idx, new int[]{len}), g);
    }

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = dim("narrow", dim, t.dim());
        int size = t.shapeInternal()[d];
        int s = start < 0 ? start + size : start;
        if (s < 0 || length < 0 || s + length > size) {
            throw new IndexOutOfBoundsException("narrow: start " + start + " + length " + length
                    + " exceeds dimension " + d + " of size " + size + " (tensor of shape " + Arrays.toString(t.shapeInternal()) + ")");
        }
        return slice(t, d, s, s + length, 1);
    }

    static Tensor select(Tensor t, int dim, int index) {
        int[] s = t.shapeInternal();
        if (s.length == 0) throw new IllegalArgumentException("select: cannot select on a 0-d tensor");
        int d = dim("select", dim, s.length);
        int i = index < 0 ? index + s[d] : index;
        if (i < 0 || i >= s[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dimension " + d
                    + " with size " + s[d] + " (tensor of shape " + Arrays.toString(s) + ")");
        }
        int[] ns = new int[s.length - 1], st = new int[s.length - 1];
        for (int a = 0, b = 0; a < s.length; a++) {
            if (a == d) continue;
            ns[b] = s[a];
            st[b++] = t.stridesInternal()[a];
        }
        int off = t.offset() + i * t.stridesInternal()[d];
        Tensor v = t.alias(ns, st, off).linkView(t, "SelectBackward0", g -> sliceBackward(g.unsqueeze(d), s, d, i, 1, 1));
        if (v.gradFn() instanceof Node n) n.region = new Node.SliceRegion(d, i, 1, 1, true);
        return v;
    }

    static Tensor transpose(Tensor t, int dim0, int dim1) { return transpose(t, dim0, dim1, "TransposeBackward0"); }

    /** {@code name} lets {@code t()} record PyTorch's TBackward0, the name users see on {@code x @ w.t()}. */
    static Tensor transpose(Tensor t, int dim0, int dim1, String name) {
        int n = t.dim();
        if (n == 0) return t.alias(new int[0], new int[0], t.offset()).linkView(t, name, g -> g);
        int a = dim("transpose", dim0, n), b = dim("transpose", dim1, n);
        int[] order = allDims(n);
        order[a] = b;
        order[b] = a;
        return permuteChecked(t, order, name);
    }

    static Tensor permute(Tensor t, int[] dims) {
        int n = t.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute: number of dims don't match (tensor has " + n + " dims, got "
                    + dims.length + ": " + str(dims) + ")");
        }
        int[] order = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            order[i] = dim("permute", dims[i], n);
            if (seen[order[i]]) throw new IllegalArgumentException("permute: repeated dim " + dims[i] + " in " + str(dims));
            seen[order[i]] = true;
        }
        return permuteChecked(t, order, "PermuteBackward0");
    }

    private static Tensor permuteChecked(Tensor t, int[] order, String name) {
        int n = order.length;
        int[] s = new int[n], st = new int[n], inverse = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = t.shapeInternal()[order[i]];
            st[i] = t.stridesInternal()[order[i]];
            inverse[order[i]] = i;
        }
        return t.alias(s, st, t.offset()).linkView(t, name, g -> g.permute(inverse));
    }

    static Tensor expand(Tensor t, int[] sizes) {
        int[] s = t.shapeInternal();
        int n = sizes.length;
        if (n < s.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + n + ") must be greater or"
                    + " equal to the number of dimensions in the tensor (" + s.length + "), tensor of shape " + Arrays.toString(s));
        }
        int[] ns = new int[n], st = new int[n];
        int off = n - s.length;
        for (int i = 0; i < n; i++) {
            int cur = i < off ? 1 : s[i - off];
            int target = sizes[i] == -1 ? cur : sizes[i];
            if (i < off && sizes[i] == -1) {
                throw new IllegalArgumentException("expand: -1 is not allowed in a leading, non-existing dimension " + i);
            }
            if (cur != target && cur != 1) {
                throw new IllegalArgumentException("expand: the expanded size of the tensor (" + target + ") must match the"
                        + " existing size (" + cur + ") at non-singleton dimension " + i + ". Target sizes: " + str(sizes)
                        + ". Tensor sizes: " + str(s));
            }
            ns[i] = target;
            st[i] = i < off || (cur == 1 && target != 1) ? 0 : t.stridesInternal()[i - off];
        }
        return t.alias(ns, st, t.offset()).linkView(t, "ExpandBackward0", g -> Broadcast.sumTo(g, s));
    }

    static Tensor squeeze(Tensor t, Integer dim) {
        int[] s = t.shapeInternal();
        List<Integer> keep = new ArrayList<>();
        int d = dim == null ? -1 : dim("squeeze", dim, s.length);
        for (int i = 0; i < s.length; i++) {
            boolean drop = s[i] == 1 && (dim == null || i == d);
            if (!drop) keep.add(i);
        }
        int[] ns = new int[keep.size()], st = new int[keep.size()];
        for (int i = 0; i < ns.length; i++) {
            ns[i] = s[keep.get(i)];
            st[i] = t.stridesInternal()[keep.get(i)];
        }
        return t.alias(ns, st, t.offset()).linkView(t, "SqueezeBackward0", g -> g.reshape(s));
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int[] s = t.shapeInternal();
        int d = dim("unsqueeze", dim, s.length + 1);
        int[] ns = new int[s.length + 1], st = new int[s.length + 1];
        for (int i = 0, j = 0; i < ns.length; i++) {
            if (i == d) {
                ns[i] = 1;
                st[i] = j < s.length ? t.stridesInternal()[j] * s[j] : 1;
            } else {
                ns[i] = s[j];
                st[i] = t.stridesInternal()[j++];
            }
        }
        return t.alias(ns, st, t.offset()).linkView(t, "UnsqueezeBackward0", g -> g.reshape(s));
    }

    static Tensor flatten(Tensor t, int startDim, int endDim) {
        int n = t.dim();
        if (n == 0) return t.reshape(1);
        int a = dim("flatten", startDim, n), b = dim("flatten", endDim, n);
        if (a > b) throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim);
        int[] s = t.shapeInternal();
        int[] ns = new int[n - (b - a)];
        int k = 0;
        for (int i = 0; i < a; i++) ns[k++] = s[i];
        long m = 1;
        for (int i = a; i <= b; i++) m *= s[i];
        ns[k++] = (int) m;
        for (int i = b + 1; i < n; i++) ns[k++] = s[i];
        return t.reshape(ns);
    }

    static Tensor unflatten(Tensor t, int dim, int[] sizes) {
        int[] s = t.shapeInternal();
        int d = dim("unflatten", dim, s.length);
        int[] inner = infer("unflatten", sizes, s[d]);
        int[] ns = new int[s.length - 1 + inner.length];
        int k = 0;
        for (int i = 0; i < d; i++) ns[k++] = s[i];
        for (int v : inner) ns[k++] = v;
        for (int i = d + 1; i < s.length; i++) ns[k++] = s[i];
        return t.view(ns);
    }

    static Tensor repeat(Tensor t, int[] repeats) {
        int[] s = t.shapeInternal();
        if (repeats.length < s.length) {
            throw new IllegalArgumentException("repeat: number of repeat dims (" + repeats.length
                    + ") can not be smaller than number of tensor dims (" + s.length + ")");
        }
        int n = repeats.length, off = n - s.length;
        // view as [1, s0, 1, s1, ...], expand to [r0, s0, r1, s1, ...], reshape to [r0*s0, ...]
        int[] unsq = new int[2 * n], exp = new int[2 * n], out = new int[n];
        for (int i = 0; i < n; i++) {
            int si = i < off ? 1 : s[i - off];
            unsq[2 * i] = 1;
            unsq[2 * i + 1] = si;
            exp[2 * i] = repeats[i];
            exp[2 * i + 1] = si;
            out[i] = repeats[i] * si;
        }
        Tensor r;
        try (var noGrad = GradMode.set(false)) {
            r = t.reshape(unsq).expand(exp).contiguous().reshape(out);
        }
        // PyTorch's RepeatBackward0: the tiles' gradients summed, read as [r0, s0, r1, s1, ...]
        int[] tiles = new int[n];
        for (int i = 0; i < n; i++) tiles[i] = 2 * i;
        return Autograd.record("RepeatBackward0", r, t, (g, k) -> new Tensor[]{g.reshape(exp).sum(tiles, false).reshape(s)});
    }

    static Tensor flip(Tensor t, int[] dims) {
        Tensor r = t;
        try (var off = GradMode.set(false)) {
            for (int d0 : dims) {
                int d = dim("flip", d0, t.dim());
                int n = t.shapeInternal()[d];
                long[] idx = new long[n];
                for (int i = 0; i < n; i++) idx[i] = n - 1 - i;
                r = r.indexSelect(d, Factory.fromArray(idx, new int[]{n}));
            }
            if (r == t) r = t.clone();
        }
        // flipping is its own inverse (PyTorch's FlipBackward0)
        return Autograd.record("FlipBackward0", r, t, (g, n) -> new Tensor[]{g.flip(dims)});
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        // PyTorch skips legacy empty 1-D tensors of shape [0]
        List<Tensor> ts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0) || tensors.size() == 1) ts.add(t);
        if (ts.isEmpty()) return tensors.get(0).clone();
        Tensor first = ts.get(0);
        if (first.dim() == 0) throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        int n = first.dim();
        int d = dim("cat", dim, n);
        DType dt = first.dtype();
        int total = 0;
        for (int i = 0; i < ts.size(); i++) {
            Tensor t = ts.get(i);
            if (t.dim() != n) {
                throw new IllegalArgumentException("cat: tensors must have same number of dimensions: got " + n + " and "
                        + t.dim() + " (tensor " + i + " has shape " + str(t.shapeInternal()) + ")");
            }
            for (int k = 0; k < n; k++) {
                if (k != d && t.shapeInternal()[k] != first.shapeInternal()[k]) {
                    throw new IllegalArgumentException("cat: sizes of tensors must match except in dimension " + d
                            + ". Expected size " + first.shapeInternal()[k] + " but got size " + t.shapeInternal()[k]
                            + " for tensor number " + i + " in the list (shapes " + str(first.shapeInternal()) + " and "
                            + str(t.shapeInternal()) + ")");
                }
            }
            if (!t.device().equals(first.device())) {
                throw new IllegalArgumentException("cat: expected all tensors to be on the same device, got " + first.device()
                        + " and " + t.device());
            }
            dt = DType.promote(dt, t.dtype());
            total += t.shapeInternal()[d];
        }
        int[] os = first.shape();
        os[d] = total;
        Tensor out = Tensor.empty(dt, first.device(), os);
        int at = 0;
        int[] sizes = new int[ts.size()];
        try (var off = GradMode.set(false)) {
            for (int i = 0; i < ts.size(); i++) {
                Tensor t = ts.get(i);
                int len = t.shapeInternal()[d];
                sizes[i] = len;
                if (len > 0) {
                    out.backend().copy(t.view(), slice(out, d, at, at + len, 1).view());
                    Reference.reachabilityFence(t);
                }
                at += len;
            }
        }
        Tensor[] inputs = ts.toArray(new Tensor[0]);
        return Autograd.record("CatBackward0", out, inputs, (g, needs) -> {
            List<Tensor> parts = split(g, sizes, d);
            return parts.toArray(new Tensor[0]);
        });
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        int[] s0 = tensors.get(0).shapeInternal();
        int d = dim("stack", dim, s0.length + 1);
        List<Tensor> parts = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (!Arrays.equals(t.shapeInternal(), s0)) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + str(s0)
                        + " at entry 0 and " + str(t.shapeInternal()) + " at entry " + i);
            }
            parts.add(t.unsqueeze(d));
        }
        Tensor out;
        try (var off = GradMode.set(false)) {
            out = cat(parts, d);
        }
        // its own node so that users see PyTorch's StackBackward0: each input gets its slice back
        return Autograd.record("StackBackward0", out, tensors.toArray(new Tensor[0]),
                (g, n) -> g.unbind(d).toArray(new Tensor[0]));
    }

    static List<Tensor> split(Tensor t, int size, int dim) {
        int d = dim("split", dim, t.dim());
        if (size <= 0) throw new IllegalArgumentException("split: split_size must be positive, got " + size);
        int total = t.shapeInternal()[d];
        List<Tensor> out = new ArrayList<>();
        for (int s = 0; s < total; s += size) out.add(slice(t, d, s, Math.min(total, s + size), 1));
        if (total == 0) out.add(slice(t, d, 0, 0, 1));
        return out;
    }

    static List<Tensor> split(Tensor t, int[] sizes, int dim) {
        int d = dim("split", dim, t.dim());
        int total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + str(sizes));
            total += s;
        }
        if (total != t.shapeInternal()[d]) {
            throw new IllegalArgumentException("split: split sizes " + str(sizes) + " must sum to the size of dimension "
                    + d + " (" + t.shapeInternal()[d] + ")");
        }
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(slice(t, d, at, at + s, 1));
            at += s;
        }
        return out;
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        int d = dim("chunk", dim, t.dim());
        int size = (t.shapeInternal()[d] + chunks - 1) / chunks;
        return split(t, Math.max(size, 1), d);
    }

    static List<Tensor> unbind(Tensor t, int dim) {
        int d = dim("unbind", dim, t.dim());
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < t.shapeInternal()[d]; i++) out.add(select(t, d, i));
        return out;
    }
}
