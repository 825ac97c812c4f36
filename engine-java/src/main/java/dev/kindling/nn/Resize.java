package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Tensor;

import java.util.Arrays;
import java.util.List;

/** Padding and interpolation, built from cat and indexSelect so that they are differentiable. */
final class Resize {
    private Resize() {}

    /** {@code pad} lists (before, after) pairs starting from the last dimension, as PyTorch. */
    static Tensor pad(Tensor x, int[] pad, PadMode mode, double value) {
        if (pad == null || mode == null) throw new IllegalArgumentException("pad: " + (pad == null ? "pad" : "mode") + " must not be null");
        if (pad.length % 2 != 0 || pad.length / 2 > x.dim()) {
            throw new IllegalArgumentException("pad: padding length must be even and at most twice the input's dimensions ("
                    + x.dim() + "), got " + Arrays.toString(pad));
        }
        Tensor out = x;
        for (int i = 0; i < pad.length / 2; i++) {
            int dim = x.dim() - 1 - i, before = pad[2 * i], after = pad[2 * i + 1];
            out = padDim(out, dim, before, after, mode, value);
        }
        return out;
    }

    private static Tensor padDim(Tensor x, int dim, int before, int after, PadMode mode, double value) {
        int n = x.size(dim);
        // negative padding crops, as in PyTorch
        if (before < 0) { x = x.slice(dim, -before, n); n = x.size(dim); before = 0; }
        if (after < 0) { x = x.slice(dim, 0, n + after); n = x.size(dim); after = 0; }
        if (before == 0 && after == 0) return x;
        if (mode == PadMode.CONSTANT) {
            int[] s = x.shape();
            s[dim] = before;
            Tensor lo = Tensor.full(s, value, x.dtype());
            s[dim] = after;
            Tensor hi = Tensor.full(s, value, x.dtype());
            return Tensor.cat(List.of(lo, x, hi), dim);
        }
        if (mode == PadMode.REFLECT && (before >= n || after >= n)) {
            throw new IllegalArgumentException("pad: reflect padding (" + before + ", " + after + ") must be smaller than"
                    + " the input size " + n + " of dimension " + dim);
        }
        if (mode == PadMode.CIRCULAR && (before > n || after > n)) {
            throw new IllegalArgumentException("pad: circular padding (" + before + ", " + after + ") must be at most"
                    + " the input size " + n + " of dimension " + dim);
        }
        long[] idx = new long[before + n + after];
        for (int j = 0; j < idx.length; j++) {
            int src = j - before;
            idx[j] = switch (mode) {
                case REFLECT -> src < 0 ? -src : src >= n ? 2L * (n - 1) - src : src;
                case REPLICATE -> Math.min(Math.max(src, 0), n - 1);
                case CIRCULAR -> Math.floorMod(src, n);
                case CONSTANT -> throw new AssertionError();
            };
        }
        return x.indexSelect(dim, Tensor.of(idx));
    }

    static Tensor interpolate(Tensor x, int[] size, double[] scale, InterpolateMode mode, boolean alignCorners) {
        int sp = x.dim() - 2;
        if (sp < 1 || sp > 2) {
            throw new IllegalArgumentException("interpolate: expected a 3-D [N, C, W] or 4-D [N, C, H, W] input, got shape "
                    + Arrays.toString(x.shape()));
        }
        if (mode == InterpolateMode.BILINEAR && sp != 2) {
            throw new IllegalArgumentException("interpolate: bilinear mode needs a 4-D input, got shape " + Arrays.toString(x.shape()));
        }
        if ((size == null) == (scale == null)) throw new IllegalArgumentException("interpolate: give exactly one of size and scaleFactor");
        int[] out = new int[sp];
        double[] ratio = new double[sp];
        for (int i = 0; i < sp; i++) {
            int in = x.size(2 + i);
            int len = size != null ? (size.length == 1 ? size[0] : size[i]) : -1;
            double sf = scale != null ? (scale.length == 1 ? scale[0] : scale[i]) : 0;
            if ((size != null && size.length != 1 && size.length != sp) || (scale != null && scale.length != 1 && scale.length != sp)) {
                throw new IllegalArgumentException("interpolate: expected 1 or " + sp + " sizes or scale factors");
            }
            out[i] = size != null ? len : (int) Math.floor(in * sf);
            if (out[i] <= 0) throw new IllegalArgumentException("interpolate: output size must be positive, got " + Arrays.toString(out));
            ratio[i] = size != null ? (double) in / out[i] : 1.0 / sf;
        }
        Tensor y = x;
        for (int i = 0; i < sp; i++) {
            int dim = 2 + i, in = x.size(dim);
            y = mode == InterpolateMode.NEAREST ? nearest(y, dim, in, out[i], ratio[i]) : linear(y, dim, in, out[i], ratio[i], alignCorners);
        }
        return y;
    }

    private static Tensor nearest(Tensor x, int dim, int in, int out, double ratio) {
        long[] idx = new long[out];
        for (int j = 0; j < out; j++) idx[j] = Math.min((long) Math.floor(j * (float) ratio), in - 1);
        return x.indexSelect(dim, Tensor.of(idx));
    }

    /** Linear interpolation along one dimension; bilinear is this along H then along W. */
    private static Tensor linear(Tensor x, int dim, int in, int out, double ratio, boolean alignCorners) {
        long[] i0 = new long[out], i1 = new long[out];
        double[] lam = new double[out];
        for (int j = 0; j < out; j++) {
            double src = alignCorners ? (out > 1 ? j * (double) (in - 1) / (out - 1) : 0) : Math.max((j + 0.5) * ratio - 0.5, 0);
            int lo = Math.min((int) Math.floor(src), in - 1);
            i0[j] = lo;
            i1[j] = Math.min(lo + 1, in - 1);
            lam[j] = src - lo;
        }
        int[] bshape = new int[x.dim()];
        Arrays.fill(bshape, 1);
        bshape[dim] = out;
        Tensor l = Tensor.fromArray(lam, bshape).to(x.dtype());
        Tensor a = x.indexSelect(dim, Tensor.of(i0)), b = x.indexSelect(dim, Tensor.of(i1));
        return a.mul(l.rsub(1)).add(b.mul(l));
    }

}
