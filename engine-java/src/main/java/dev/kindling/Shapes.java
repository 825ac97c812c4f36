package dev.kindling;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shape arithmetic and the view ops: they change metadata only, and their gradients undo the view. */
final class Shapes {
    private Shapes() {}

    /**
     * The most elements one storage can hold: offsets, strides and kernel indices are ints. (A view may show
     * more, with stride-0 dimensions: {@code expand} never copies.)
     */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    /** The product of {@code shape}: 0 when any size is 0, and never a wrapped value (overflow throws). */
    static long numel(int[] shape) {
        long n = numelOrNegative(shape);
        if (n < 0) throw new IllegalArgumentException("numel: " + overflowed(shape, null));
        return n;
    }

    /**
     * The product of {@code shape}, checked: a negative size or a product past {@code Long.MAX_VALUE} is an
     * error naming {@code op} (PyTorch: "Storage size calculation overflowed").
     */
    static long numel(String op, int[] shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative dimension " + s + " in shape " + str(shape));
        }
        long n = numelOrNegative(shape);
        if (n < 0) throw new IllegalArgumentException(op + ": " + overflowed(shape, null));
        return n;
    }

    /**
     * The bytes a new storage of {@code shape} and {@code dtype} needs, checked: the element count must fit
     * {@link #MAX_ELEMENTS}, and every error names {@code op}, the shape and the bytes asked for.
     */
    static long storageBytes(String op, int[] shape, DType dtype) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative dimension " + s + " in shape " + str(shape));
        }
        long n = numelOrNegative(shape);
        if (n < 0) throw new IllegalArgumentException(op + ": " + overflowed(shape, dtype));
        if (n > MAX_ELEMENTS) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " has " + n + " elements ("
                    + java.math.BigInteger.valueOf(n).multiply(java.math.BigInteger.valueOf(dtype.byteSize())) + " bytes of "
                    + dtype + "), more than one storage can hold (at most " + MAX_ELEMENTS
                    + " elements, and 2 GiB on the CPU)");
        }
        return n * dtype.byteSize();
    }

    /**
     * The product of the sizes: 0 when any is 0 (whatever the others), else -1 when one is negative or the
     * product passes {@code Long.MAX_VALUE}. One pass, and a division only once the product passes 2^32.
     */
    private static long numelOrNegative(int[] shape) {
        long n = 1;
        boolean invalid = false;
        for (int s : shape) {
            if (s == 0) return 0;
            if (s < 0 || (n > 1L << 32 && n > Long.MAX_VALUE / s)) invalid = true;
            else n *= s;
        }
        return invalid ? -1 : n;
    }

    private static String overflowed(int[] shape, DType dtype) {
        java.math.BigInteger n = java.math.BigInteger.ONE;
        for (int s : shape) n = n.multiply(java.math.BigInteger.valueOf(s));
        return "storage size calculation overflowed with sizes=" + str(shape) + " (" + n + " elements"
                + (dtype == null ? "" : ", " + n.multiply(java.math.BigInteger.valueOf(dtype.byteSize())) + " bytes of " + dtype)
                + ")";
    }

    /** Whether a computed size fits one dimension (an int). */
    static boolean fitsInt(long size) { return size >= 0 && size <= Integer.MAX_VALUE; }

    /** The error for a computed size that does not fit one dimension; {@code what} names it. */
    static IllegalArgumentException tooLarge(String op, long size, String what) {
        return new IllegalArgumentException(op + ": " + what + " has size " + size + ", more than the "
                + Integer.MAX_VALUE + " one dimension can hold");
    }

    /**
     * An int stride or offset that only a size-1 or size-0 dimension (or an empty tensor) can push past the
     * int range: there its value is never used to reach memory, so saturating it is safe.
     */
    static int saturate(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    private static long saturatingTimes(long a, int b) {
        return b != 0 && a > (1L << 62) / b ? 1L << 62 : a * b;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = saturate(acc); // past the int range only when another size is 0 (no memory is reached)
            acc = saturatingTimes(acc, Math.max(1, shape[i]));
        }
        return st;
    }

    static boolean isContiguous(int[] shape, int[] strides) {
        // PyTorch: a tensor without elements is contiguous, whatever its strides (contiguousStrides gives an
        // empty shape such as [3, 4, 0] the strides [4, 1, 1], which the walk below would reject)
        for (int s : shape) if (s == 0) return true;
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected = saturatingTimes(expected, shape[d]);
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
        int[] out = Args.notNull(op, "shape", shape).clone();
        int unknown = -1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (unknown >= 0) throw new IllegalArgumentException(op + ": only one dimension can be inferred in " + str(shape));
                unknown = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + out[i] + " in " + str(shape));
            }
        }
        int[] knownSizes = out.clone();
        if (unknown >= 0) knownSizes[unknown] = 1;
        long known = numelOrNegative(knownSizes);
        if (known < 0) {
            throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for input of size " + numel
                    + " (" + overflowed(knownSizes, null) + ")");
        }
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + str(shape) + " is invalid for input of size " + numel);
            }
            long inferred = numel / known;
            if (!fitsInt(inferred)) throw tooLarge(op, inferred, "the inferred dimension " + unknown + " of shape " + str(shape));
            out[unknown] = (int) inferred;
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
                    ns[viewD] = saturate(viewNumel * chunkBase); // past int only for a size-1 dim
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
        int len = e > b ? (int) (((long) e - b + step - 1) / step) : 0;
        int[] ns = s.clone(), st = t.stridesInternal().clone();
        ns[d] = len;
        // a slice of 2+ elements stays inside the storage, so these overflow only where they are never used
        st[d] = saturate((long) st[d] * step);
        long at = t.offset() + (long) b * t.stridesInternal()[d];
        int off = at == (int) at ? (int) at : t.offset(); // past int only at the end of the dim (an empty slice)
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
        if (s < 0 || length < 0 || (long) s + length > size) {
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
        int a = dim("transpose", dim0, n), b = dim("transpose", dim1, n); // a 0-d tensor takes 0 and -1, as in PyTorch
        if (n == 0) return t.alias(new int[0], new int[0], t.offset()).linkView(t, name, g -> g);
        int[] order = allDims(n);
        order[a] = b;
        order[b] = a;
        return permuteChecked(t, order, name);
    }

    static Tensor permute(Tensor t, int[] dims) {
        Args.notNull("permute", "dims", dims);
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
        Args.notNull("expand", "sizes", sizes);
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
            if (target < 0) {
                throw new IllegalArgumentException("expand: the expanded size " + target + " at dimension " + i
                        + " is invalid (sizes must be non-negative, or -1 to keep the size). Target sizes: " + str(sizes));
            }
            if (cur != target && cur != 1) {
                throw new IllegalArgumentException("expand: the expanded size of the tensor (" + target + ") must match the"
                        + " existing size (" + cur + ") at non-singleton dimension " + i + ". Target sizes: " + str(sizes)
                        + ". Tensor sizes: " + str(s));
            }
            ns[i] = target;
            st[i] = i < off || (cur == 1 && target != 1) ? 0 : t.stridesInternal()[i - off];
        }
        numel("expand", ns); // a view may show more elements than its storage holds, but never a wrapped count
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
                st[i] = j < s.length ? saturate((long) t.stridesInternal()[j] * s[j]) : 1;
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
        long m = numel(Arrays.copyOfRange(s, a, b + 1));
        if (!fitsInt(m)) throw tooLarge("flatten", m, "the flattened dimension of shape " + str(s) + " (dims " + a + " to " + b + ")");
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
        Args.notNull("repeat", "repeats", repeats);
        int[] s = t.shapeInternal();
        if (repeats.length < s.length) {
            throw new IllegalArgumentException("repeat: number of repeat dims (" + repeats.length
                    + ") can not be smaller than number of tensor dims (" + s.length + ")");
        }
        int n = repeats.length, off = n - s.length;
        for (int r : repeats) {
            if (r < 0) throw new IllegalArgumentException("repeat: repeats can not be negative, got " + str(repeats));
        }
        // view as [1, s0, 1, s1, ...], expand to [r0, s0, r1, s1, ...], reshape to [r0*s0, ...]
        int[] unsq = new int[2 * n], exp = new int[2 * n], out = new int[n];
        for (int i = 0; i < n; i++) {
            int si = i < off ? 1 : s[i - off];
            unsq[2 * i] = 1;
            unsq[2 * i + 1] = si;
            exp[2 * i] = repeats[i];
            exp[2 * i + 1] = si;
            long size = (long) repeats[i] * si;
            if (!fitsInt(size)) {
                throw tooLarge("repeat", size, "dimension " + i + " of the result (" + repeats[i] + " x " + si
                        + ") for repeats " + str(repeats) + " of shape " + str(s));
            }
            out[i] = (int) size;
        }
        storageBytes("repeat", out, t.dtype());
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
        Args.notNull("flip", "dims", dims);
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
        if (Args.notNull("cat", "tensors", tensors).isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        for (int i = 0; i < tensors.size(); i++) Args.notNull("cat", "tensor " + i + " of the list", tensors.get(i));
        // PyTorch skips legacy empty 1-D tensors of shape [0]
        List<Tensor> ts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0) || tensors.size() == 1) ts.add(t);
        if (ts.isEmpty()) return tensors.get(0).clone();
        Tensor first = ts.get(0);
        if (first.dim() == 0) throw new IllegalArgumentException("cat: zero-dimensional tensor (at position 0) cannot be concatenated");
        int n = first.dim();
        int d = dim("cat", dim, n);
        DType dt = first.dtype();
        long total = 0;
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
        if (!fitsInt(total)) throw tooLarge("cat", total, "dimension " + d + " of the result");
        os[d] = (int) total;
        Tensor out = Tensor.empty("cat", dt, first.device(), os);
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
        if (Args.notNull("stack", "tensors", tensors).isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        for (int i = 0; i < tensors.size(); i++) Args.notNull("stack", "tensor " + i + " of the list", tensors.get(i));
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
        for (long s = 0; s < total; s += size) out.add(slice(t, d, (int) s, (int) Math.min(total, s + size), 1));
        if (total == 0) out.add(slice(t, d, 0, 0, 1));
        return out;
    }

    static List<Tensor> split(Tensor t, int[] sizes, int dim) {
        Args.notNull("split", "sizes", sizes);
        int d = dim("split", dim, t.dim());
        long total = 0;
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
        int size = (int) (((long) t.shapeInternal()[d] + chunks - 1) / chunks);
        return split(t, Math.max(size, 1), d);
    }

    static List<Tensor> unbind(Tensor t, int dim) {
        int d = dim("unbind", dim, t.dim());
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < t.shapeInternal()[d]; i++) out.add(select(t, d, i));
        return out;
    }
}
