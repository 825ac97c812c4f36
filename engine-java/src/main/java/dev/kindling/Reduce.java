package dev.kindling;

import dev.kindling.backend.ReduceOp;

import java.util.Arrays;

/**
 * Reductions. sum, prod, amax/amin and max/min along a dim are primitives with their gradients here; mean,
 * var, logsumexp, softmax and logSoftmax are compositions, so they need no gradient of their own.
 */
final class Reduce {
    private Reduce() {}

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
        int[] dims = dims("sum", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        DType outType = x.dtype().isIntegral() ? DType.INT64 : x.dtype();
        Tensor out = kernel(ReduceOp.SUM, x, dims, keepdim, outType);
        int[] in = x.shape(), d = dims;
        return Autograd.record("SumBackward1", out, x, (g, n) -> new Tensor[]{expandBack(g, in, d, keepdim)});
    }

    static Tensor mean(Tensor x, int[] dims0, boolean keepdim) {
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("mean: could not infer output dtype. Input dtype must be floating"
                    + " point, got " + x.dtype() + "; convert with to(DType.FLOAT32) first");
        }
        int[] dims = dims("mean", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        long count = 1;
        for (int d : dims) count *= x.shapeInternal()[d];
        return sum(x, dims, keepdim).div((double) count);
    }

    static Tensor prod(Tensor x, int[] dims0, boolean keepdim) {
        int[] dims = dims("prod", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        DType outType = x.dtype().isIntegral() ? DType.INT64 : x.dtype();
        Tensor out = kernel(ReduceOp.PROD, x, dims, keepdim, outType);
        int[] in = x.shape(), d = dims;
        return Autograd.record("ProdBackward1", out, x, (g, n) -> {
            // handles zeros exactly: a single zero gets the product of the others, more zeros give 0
            Tensor zero = x.eq(0);
            Tensor safe = Tensor.where(zero, 1.0, x);
            Tensor others = prod(safe, d, true);
            Tensor zeros = zero.sum(d, true);
            Tensor outK = keepdim ? out : out.reshape(keptShape(in, d));
            Tensor gk = keepdim ? g : g.reshape(keptShape(in, d));
            Tensor grad = Tensor.where(zero, Tensor.where(zeros.eq(1), others, 0.0), outK.div(safe));
            return new Tensor[]{gk.mul(grad)};
        }, x, out);
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
        return Autograd.record(max ? "AmaxBackward0" : "AminBackward0", out, x, (g, n) -> {
            // ties share the gradient evenly, as in PyTorch
            Tensor outK = keepdim ? out : out.reshape(keptShape(in, d));
            Tensor mask = x.eq(outK).to(g.dtype());
            Tensor gk = keepdim ? g : g.reshape(keptShape(in, d));
            return new Tensor[]{gk.div(mask.sum(d, true)).mul(mask)};
        }, x, out);
    }

    static ValuesIndices maxDim(Tensor x, int dim0, boolean keepdim, boolean max) {
        String op = max ? "max" : "min";
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
        if (!x.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("var: expected a floating point tensor, got " + x.dtype());
        }
        int[] dims = dims("var", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        long count = 1;
        for (int d : dims) count *= x.shapeInternal()[d];
        Tensor centered = x.sub(x.mean(dims, true));
        return centered.square().sum(dims, keepdim).div((double) Math.max(0, count - (unbiased ? 1 : 0)));
    }

    static Tensor logsumexp(Tensor x, int dim0, boolean keepdim) {
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        int dim = Shapes.dim("logsumexp", dim0, xf.dim());
        if (xf.dim() == 0) return xf.clone();
        // subtract the max so exp() stays finite; detached because it cancels in the gradient
        Tensor m = xf.amax(new int[]{dim}, true).detach();
        m = Tensor.where(m.isinf(), 0.0, m);
        Tensor r = xf.sub(m).exp().sum(dim, true).log().add(m);
        return keepdim ? r : r.squeeze(dim);
    }

    static Tensor softmax(Tensor x, int dim0) {
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        if (xf.dim() == 0) return xf.exp().div(xf.exp());
        int dim = Shapes.dim("softmax", dim0, xf.dim());
        Tensor e = xf.sub(xf.amax(new int[]{dim}, true).detach()).exp();
        return e.div(e.sum(dim, true));
    }

    static Tensor logSoftmax(Tensor x, int dim0) {
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        if (xf.dim() == 0) return xf.sub(xf);
        int dim = Shapes.dim("log_softmax", dim0, xf.dim());
        // (x - max) - log(sum(exp(x - max))): subtracting the max first keeps float32 precise for large
        // inputs (x - logsumexp(x) loses the low bits when both are near 1000); detached, it cancels in the gradient
        Tensor m = xf.amax(new int[]{dim}, true).detach();
        Tensor shifted = xf.sub(Tensor.where(m.isinf(), 0.0, m));
        return shifted.sub(shifted.exp().sum(dim, true).log());
    }

    static Tensor logical(Tensor x, int[] dims0, boolean keepdim, boolean all) {
        int[] dims = dims(all ? "all" : "any", dims0, x.dim());
        if (dims0.length == 0 && x.dim() > 0) dims = Shapes.allDims(x.dim());
        return kernel(all ? ReduceOp.ALL : ReduceOp.ANY, x, dims, keepdim, DType.BOOL);
    }

    static Tensor norm(Tensor x, double p) {
        Tensor xf = x.dtype().isFloatingPoint() ? x : x.to(Kindling.defaultDType());
        if (p == 2) return xf.square().sum().sqrt();
        if (p == 1) return xf.abs().sum();
        if (p == Double.POSITIVE_INFINITY) return xf.abs().max();
        if (p == Double.NEGATIVE_INFINITY) return xf.abs().min();
        if (p == 0) return xf.ne(0).sum().to(xf.dtype());
        return xf.abs().pow(p).sum().pow(1.0 / p);
    }
}
