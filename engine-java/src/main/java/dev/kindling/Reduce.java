package dev.kindling;

import dev.kindling.backend.ReduceOp;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Reductions. sum, mean, prod, amax/amin, max/min along a dim, logsumexp, softmax and logSoftmax are
 * primitives with their gradients here (mean and the last three so that users see PyTorch's node names and
 * get formulas that read only the output); var and norm are compositions with no gradient of their own.
 */
final class Reduce {
    private Reduce() {}

    /**
     * The dims of a full reduction written without dims ({@code x.sum()}): PyTorch names its node
     * {@code SumBackward0}, and {@code SumBackward1} when dims are given; users see these names.
     */
    static final int[] ALL = new int[0];

    /** PyTorch's node name over all dims or some: constants, since reductions run every step (no concatenation). */
    private static String node(String all, String some, int[] dims0) { return dims0.length == 0 ? all : some; }

    /** Wrapped, de-duplicated, sorted dims. */
    static int[] dims(String op, int[] dims, int ndim) {
        boolean[] seen = new boolean[Math.max(ndim, 1)];
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shapes.dim(op, dims[i], ndim);
            if (seen[d]) throw new IllegalArgumentException(op + ": dim " + d + " appears multiple times in the list of dims");
            seen[d] = true;
            out[i] = d;
        }
        Arrays.sort(out);
        if (ndim == 0) return new int[0];
        return out;
    }

    private static int[] keptShape(int[] shape, int[] dims) {
        int[] k = shape.clone();
        for (int d : dims) k[d] = 1;
        return k;
    }

    private static int[] squeezedShape(int[] shape, int[] dims) {
        int[] s = new int[shape.length - dims.length];
        for (int i = 0, j = 0, k = 0; i < shape.length; i++) {
            if (k < dims.length && dims[k] == i) {
                k++;
                continue;
            }
            s[j++] = shape[i];
        }
        return s;
    }

    /** Runs a reduction kernel into a keepdim-shaped output, then drops the dims unless {@code keepdim}. */
    private static Tensor kernel(ReduceOp op, Tensor x, int[] dims, boolean keepdim, DType outType) {
        int[] ks = keptShape(x.shapeInternal(), dims);
        Tensor out = Tensor.empty(outType, x.device(), ks);
        out.backend().reduce(op, x.view(), dims, out.view());
        Reference.reachabilityFence(x);
        if (keepdim) return out;
        Tensor squeezed = out.alias(squeezedShape(x.shapeInternal(), dims),
                Shapes.contiguousStrides(squeezedShape(x.shapeInternal(), dims)), out.offset());
        out.close();
        return squeezed;
    }

    /** Brings a reduced gradient back to the input's shape (unsqueeze the dropped dims, expand). */
    private static Tensor expandBack(Tensor g, int[] inShape, int[] dims, boolean keepdim) {
        Tensor k = keepdim ? g : g.reshape(keptShape(inShape, dims));
        return k.expand(inShape);
    }

    static Tensor sum(Tensor x, int[] dims0, boolean keepdim) {
        if (Autocast.on()) return Autocast.call("sum", c -> sum(c[0], dims0, keepdim), x);
        int[] dims = dims("sum", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        DType outType = x.dtype().isIntegral() ? DType.INT64 : x.dtype();
        Tensor out = kernel(ReduceOp.SUM, x, dims, keepdim, outType);
        int[] in = x.shape(), d = dims;
        return Autograd.record(node("SumBackward0", "SumBackward1", dims0), out, x,
                (g, n) -> new Tensor[]{expandBack(g, in, d, keepdim)});
    }

    static Tensor mean(Tensor x, int[] dims0, boolean keepdim) {
        if (x.dtype().isHalf()) return wide(x, t -> mean(t, dims0, keepdim));
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean: could not infer output dtype. Input dtype must be floating"
                    + " point, got " + x.dtype() + "; convert with to(DType.FLOAT32) first");
        }
        int[] dims = dims("mean", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        long count = 1;
        for (int d : dims) count *= x.shapeInternal()[d];
        // a primitive rather than sum().div() so that users see PyTorch's MeanBackward0/1
        Tensor out;
        try (var off = GradMode.set(false)) {
            out = sum(x, dims, keepdim).div((double) count);
        }
        int[] in = x.shape(), d = dims;
        double c = count;
        // divided before it is expanded: the same quotient in every element, one division per output, where dividing
        // the expanded view ran a whole pass over the input's shape (a [64, 512] MSE loss's backward: 27 of 86 us)
        return Autograd.record(node("MeanBackward0", "MeanBackward1", dims0), out, x,
                (g, n) -> new Tensor[]{expandBack(g.div(c), in, d, keepdim)});
    }

    static Tensor prod(Tensor x, int[] dims0, boolean keepdim) {
        if (Autocast.on()) return Autocast.call("prod", c -> prod(c[0], dims0, keepdim), x);
        int[] dims = dims("prod", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        DType outType = x.dtype().isIntegral() ? DType.INT64 : x.dtype();
        Tensor out = kernel(ReduceOp.PROD, x, dims, keepdim, outType);
        int[] in = x.shape(), d = dims;
        return Autograd.record(node("ProdBackward0", "ProdBackward1", dims0), out, x, (g, n) -> {
            Tensor gk = keepdim ? g : g.reshape(keptShape(in, d));
            Tensor zero = x.eq(0);
            Tensor zeros = zero.sum(d, true);
            boolean severalZeros;
            try (var off = GradMode.set(false)) {
                severalZeros = zeros.gt(1).any().item() != 0;
            }
            // with two zeros in a slice the first derivative is 0 there but the second is not, so the
            // shortcut below would break double backward: take the product of the others explicitly
            if (severalZeros) return new Tensor[]{gk.mul(productOfOthers(x, d))};
            // handles a single zero exactly: it gets the product of the others, every other element 0
            Tensor safe = Tensor.where(zero, 1.0, x);
            Tensor others = prod(safe, d, true);
            Tensor outK = keepdim ? out : out.reshape(keptShape(in, d));
            Tensor grad = Tensor.where(zero, Tensor.where(zeros.eq(1), others, 0.0), outK.div(safe));
            return new Tensor[]{gk.mul(grad)};
        }, x, out);
    }

    /**
     * For each element, the product of the other elements of its slice over {@code dims}: the reduced dims
     * are moved last and flattened to n, the slice is repeated n times with the diagonal set to 1, and
     * multiplied out. O(n^2), so only used when zeros leave no cheaper exact formula.
     */
    private static Tensor productOfOthers(Tensor x, int[] dims) {
        int nd = x.dim();
        int[] order = new int[nd], inverse = new int[nd];
        int k = 0;
        boolean[] reduced = new boolean[nd];
        for (int dd : dims) reduced[dd] = true;
        for (int i = 0; i < nd; i++) if (!reduced[i]) order[k++] = i;
        for (int dd : dims) order[k++] = dd;
        for (int i = 0; i < nd; i++) inverse[order[i]] = i;
        Tensor moved = x.permute(order);
        int[] ms = moved.shape();
        int n = 1;
        for (int dd : dims) n *= x.shapeInternal()[dd];
        int[] flat = Arrays.copyOf(ms, nd - dims.length + 1);
        flat[flat.length - 1] = n;
        Tensor rows = moved.reshape(flat).unsqueeze(-2);
        int[] square = Arrays.copyOf(flat, flat.length + 1);
        square[square.length - 2] = n;
        square[square.length - 1] = n;
        Tensor diagonal = Factory.eye(n, n).gt(0);
        Tensor others = Tensor.where(diagonal, 1.0, rows.expand(square)).prod(-1, false);
        return others.reshape(ms).permute(inverse);
    }

    static Tensor amax(Tensor x, int[] dims0, boolean keepdim, String op) { return extreme(x, dims0, keepdim, op, true); }

    static Tensor amin(Tensor x, int[] dims0, boolean keepdim, String op) { return extreme(x, dims0, keepdim, op, false); }

    private static Tensor extreme(Tensor x, int[] dims0, boolean keepdim, String op, boolean max) {
        int[] dims = dims(op, dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        for (int d : dims) {
            if (x.shapeInternal()[d] == 0) {
                throw new IllegalArgumentException(op + ": expected reduction dim " + d + " to have non-zero size, got shape "
                        + Arrays.toString(x.shapeInternal()));
            }
        }
        if (x.numel() == 0 && dims.length == 0) {
            throw new IllegalArgumentException(op + ": expected a non-empty tensor, got shape " + Arrays.toString(x.shapeInternal()));
        }
        Tensor out = kernel(max ? ReduceOp.MAX : ReduceOp.MIN, x, dims, keepdim, x.dtype());
        int[] in = x.shape(), d = dims;
        // max() and min() without dims are MaxBackward1/MinBackward1 in PyTorch, with the same formula
        String name = op.equals("amax") ? "AmaxBackward0" : op.equals("amin") ? "AminBackward0" : max ? "MaxBackward1" : "MinBackward1";
        return Autograd.record(name, out, x, (g, n) -> {
            // ties share the gradient evenly, as in PyTorch
            Tensor outK = keepdim ? out : out.reshape(keptShape(in, d));
            Tensor mask = x.eq(outK).to(g.dtype());
            Tensor gk = keepdim ? g : g.reshape(keptShape(in, d));
            return new Tensor[]{gk.div(mask.sum(d, true)).mul(mask)};
        }, x, out);
    }

    static ValuesIndices maxDim(Tensor x, int dim0, boolean keepdim, boolean max) {
        return maxDim(max ? "max" : "min", x, dim0, keepdim, max);
    }

    /** {@code op} names the public op in errors ({@code argmax} and {@code argmin} come here too). */
    static ValuesIndices maxDim(String op, Tensor x, int dim0, boolean keepdim, boolean max) {
        if (x.dim() == 0) {
            Shapes.dim(op, dim0, 0);
            return new ValuesIndices(x.clone(), Factory.full(new int[0], 0, DType.INT64, x.device()));
        }
        int dim = Shapes.dim(op, dim0, x.dim());
        if (x.shapeInternal()[dim] == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce over a zero-size dimension " + dim + " (shape "
                    + Arrays.toString(x.shapeInternal()) + ")");
        }
        int[] ks = keptShape(x.shapeInternal(), new int[]{dim});
        Tensor values = Tensor.empty(x.dtype(), x.device(), ks);
        Tensor indices = Tensor.empty(DType.INT64, x.device(), ks);
        values.backend().argReduce(max, x.view(), dim, values.view(), indices.view());
        Reference.reachabilityFence(x);
        Tensor v = keepdim ? values : values.squeeze(dim);
        Tensor i = keepdim ? indices : indices.squeeze(dim);
        int[] in = x.shape();
        Tensor idxK = indices;
        Tensor vRecorded = Autograd.record(max ? "MaxBackward0" : "MinBackward0", v.detach(), x, (g, n) -> {
            Tensor gk = keepdim ? g : g.unsqueeze(dim);
            return new Tensor[]{Factory.full(in, 0, g.dtype(), g.device()).scatter(dim, idxK, gk)};
        });
        return new ValuesIndices(vRecorded, i);
    }

    static Tensor var(Tensor x, int[] dims0, boolean unbiased, boolean keepdim) {
        if (x.dtype().isHalf()) return wide(x, t -> var(t, dims0, unbiased, keepdim));
        return spread(x, dims0, unbiased, keepdim, false);
    }

    static Tensor std(Tensor x, int[] dims0, boolean unbiased, boolean keepdim) {
        if (x.dtype().isHalf()) return wide(x, t -> std(t, dims0, unbiased, keepdim));
        return spread(x, dims0, unbiased, keepdim, true);
    }

    /**
     * var and std as primitives (VarBackward0, StdBackward0): d var = 2 (x - mean) / (N - correction), and
     * d std = d var / (2 std), taken as 0 where std is 0 like PyTorch (sqrt(var) composed would give NaN).
     */
    private static Tensor spread(Tensor x, int[] dims0, boolean unbiased, boolean keepdim, boolean std) {
        String op = std ? "std" : "var";
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point tensor, got " + x.dtype());
        }
        int[] dims = dims(op, dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        long count = 1;
        for (int d : dims) count *= x.shapeInternal()[d];
        double denom = Math.max(0, count - (unbiased ? 1 : 0));
        int[] in = x.shape(), d = dims;
        Tensor out;
        try (var off = GradMode.set(false)) {
            Tensor centered = x.sub(x.mean(dims, true));
            Tensor v = centered.square().sum(dims, keepdim).div(denom);
            out = std ? v.sqrt() : v;
        }
        return Autograd.record(std ? "StdBackward0" : "VarBackward0", out, x, (g, n) -> {
            Tensor gv = g;
            if (std) {
                Tensor zero = out.eq(0);
                // divide by a safe value so that double backward does not meet 0 * inf in the unused branch
                gv = Tensor.where(zero, 0.0, g.div(Tensor.where(zero, 1.0, out).mul(2)));
            }
            Tensor gk = expandBack(gv, in, d, keepdim);
            return new Tensor[]{gk.mul(x.sub(x.mean(d, true))).mul(2 / denom)};
        }, x, out);
    }

    static Tensor logsumexp(Tensor x, int dim0, boolean keepdim) {
        if (Autocast.on()) return Autocast.call("logsumexp", c -> logsumexp(c[0], dim0, keepdim), x);
        if (x.dtype().isHalf()) return wide(x, t -> logsumexp(t, dim0, keepdim));
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        int dim = Shapes.dim("logsumexp", dim0, xf.dim());
        if (xf.dim() == 0) return xf.clone();
        // subtract the max so exp() stays finite; detached because it cancels in the gradient
        Tensor r;
        try (var off = GradMode.set(false)) {
            Tensor m = xf.amax(new int[]{dim}, true);
            m = Tensor.where(m.isinf(), 0.0, m);
            r = xf.sub(m).exp().sum(dim, true).log().add(m);
        }
        Tensor out = keepdim ? r : r.squeeze(dim);
        // one node, as PyTorch's LogsumexpBackward0: d/dx = exp(x - logsumexp(x))
        return Autograd.record("LogsumexpBackward0", out, xf, (g, n) -> {
            Tensor gk = keepdim ? g : g.unsqueeze(dim);
            Tensor outK = keepdim ? out : out.unsqueeze(dim);
            return new Tensor[]{gk.mul(xf.sub(outK).exp())};
        }, xf, out);
    }

    /** The backend's kernel over {@code dim} (of any layout), or null to compose. */
    private static Tensor fused(Tensor x, int dim, boolean log) {
        Tensor y = Tensor.empty(x.dtype(), x.device(), x.shapeInternal());
        boolean done = y.backend().softmax(x.view(), dim, log, y.view());
        Reference.reachabilityFence(x);
        if (done) return y;
        y.close();
        return null;
    }

    static Tensor softmax(Tensor x, int dim0) {
        if (Autocast.on()) return Autocast.call("softmax", c -> softmax(c[0], dim0), x);
        if (x.dtype().isHalf()) return wide(x, t -> softmax(t, dim0));
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        if (xf.dim() == 0) return xf.exp().div(xf.exp());
        int dim = Shapes.dim("softmax", dim0, xf.dim());
        Tensor y = fused(xf, dim, false);
        if (y == null) {
            try (var off = GradMode.set(false)) {
                // subtract the max so exp() stays finite; it cancels in the result
                Tensor e = xf.sub(xf.amax(new int[]{dim}, true)).exp();
                y = e.div(e.sum(dim, true));
            }
        }
        Tensor out = y;
        // a primitive (PyTorch's SoftmaxBackward0): dx = y * (g - sum(g * y)), from the output alone
        return Autograd.record("SoftmaxBackward0", out, xf, (g, n) -> new Tensor[]{backward(g, out, dim, false)}, out);
    }

    static Tensor logSoftmax(Tensor x, int dim0) {
        if (Autocast.on()) return Autocast.call("log_softmax", c -> logSoftmax(c[0], dim0), x);
        if (x.dtype().isHalf()) return wide(x, t -> logSoftmax(t, dim0));
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        if (xf.dim() == 0) return xf.sub(xf);
        int dim = Shapes.dim("log_softmax", dim0, xf.dim());
        Tensor y = fused(xf, dim, true);
        if (y == null) {
            try (var off = GradMode.set(false)) {
                // (x - max) - log(sum(exp(x - max))): subtracting the max first keeps float32 precise for large
                // inputs (x - logsumexp(x) loses the low bits when both are near 1000)
                Tensor m = xf.amax(new int[]{dim}, true);
                Tensor shifted = xf.sub(Tensor.where(m.isinf(), 0.0, m));
                y = shifted.sub(shifted.exp().sum(dim, true).log());
            }
        }
        Tensor out = y;
        // a primitive (PyTorch's LogSoftmaxBackward0): dx = g - exp(y) * sum(g), exp(y) <= 1 so it cannot overflow
        return Autograd.record("LogSoftmaxBackward0", out, xf, (g, n) -> new Tensor[]{backward(g, out, dim, true)}, out);
    }

    /**
     * Softmax's gradient {@code y * (g - sum(g * y))}, log-softmax's {@code g - exp(y) * sum(g)} ({@code exp(y) <= 1}
     * so it cannot overflow): the backend's one-pass kernel where it has one (the same bits), else these ops, which a
     * backward pass that records its own graph always takes.
     */
    private static Tensor backward(Tensor g, Tensor y, int dim, boolean log) {
        if (!GradMode.isEnabled() && g.dtype() == y.dtype() && g.device() == y.device()
                && java.util.Arrays.equals(g.shapeInternal(), y.shapeInternal())) {
            Tensor r = Tensor.empty(y.dtype(), y.device(), y.shapeInternal());
            boolean done = r.backend().softmaxBackward(g.view(), y.view(), dim, log, r.view());
            Reference.reachabilityFence(g);
            Reference.reachabilityFence(y);
            if (done) return r;
            r.close();
        }
        return log ? g.sub(y.exp().mul(g.sum(dim, true))) : y.mul(g.sub(g.mul(y).sum(dim, true)));
    }

    static Tensor logical(Tensor x, int[] dims0, boolean keepdim, boolean all) {
        int[] dims = dims(all ? "all" : "any", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        return kernel(all ? ReduceOp.ALL : ReduceOp.ANY, x, dims, keepdim, DType.BOOL);
    }

    static Tensor norm(Tensor x, double p) {
        if (Autocast.on()) return Autocast.call("norm", c -> norm(c[0], p), x);
        if (x.dtype().isHalf()) return wide(x, t -> norm(t, p));
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        Tensor out;
        try (var off = GradMode.set(false)) {
            if (p == 2) out = xf.square().sum().sqrt();
            else if (p == 1) out = xf.abs().sum();
            else if (p == Double.POSITIVE_INFINITY) out = xf.abs().max();
            else if (p == Double.NEGATIVE_INFINITY) out = xf.abs().min();
            else if (p == 0) out = xf.ne(0).sum().to(xf.dtype());
            else out = xf.abs().pow(p).sum().pow(1.0 / p);
        }
        // one node, as PyTorch's NormBackward1, so that a zero vector gets a zero gradient instead of NaN
        return Autograd.record("NormBackward1", out, xf, (g, n) -> new Tensor[]{normBackward(g, xf, out, p)}, xf, out);
    }

    private static Tensor normBackward(Tensor g, Tensor x, Tensor norm, double p) {
        if (p == 0) return null;    // PyTorch leaves the gradient undefined
        if (p == 1) return g.mul(x.sign());
        if (Double.isInfinite(p)) {
            // the elements at the extreme share the gradient evenly, as amax does
            Tensor mask = x.abs().eq(norm).to(g.dtype());
            return g.mul(x.sign()).mul(mask).div(mask.sum());
        }
        Tensor zero = norm.eq(0);
        Tensor safe = Tensor.where(zero, 1.0, norm);
        Tensor scale = p == 2 ? x.div(safe) : x.mul(x.abs().pow(p - 2)).div(safe.pow(p - 1));
        return Tensor.where(zero, 0.0, g.mul(scale));
    }

    /**
     * An op built from several others, on a FLOAT16 or BFLOAT16 input: computed in float32 and rounded once, as
     * PyTorch's single CPU kernels for it do (rounding each intermediate to 16 bits would lose several ulp).
     * The casts are on the tape, so the gradient is computed in float32 too and arrives in the input's dtype.
     */
    static Tensor wide(Tensor x, java.util.function.UnaryOperator<Tensor> op) {
        return op.apply(x.to(DType.FLOAT32)).to(x.dtype());
    }
}
