package dev.kindling.nn;

import dev.kindling.Autocast;
import dev.kindling.ConvOps;
import dev.kindling.Tensor;
import dev.kindling.ValuesIndices;
import dev.kindling.backend.ConvParams;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Argument checks and output sizes of convolution and pooling (PyTorch's floor semantics and errors). The ops
 * themselves are in {@link ConvOps}: convolution and transposed convolution on oneDNN (float32) or as
 * {@link Tensor#unfold2d}/{@link Tensor#fold2d} with a matmul; max and average pooling on direct kernels.
 * 1-D variants run as 2-D ones with height 1.
 */
final class Convolution {
    private Convolution() {}

    static String str(int[] s) { return Arrays.toString(s); }

    /** PyTorch's output size: floor((in + 2p - d(k-1) - 1) / s) + 1, which is below 1 when the input is too small. */
    static int outSize(int in, int k, int s, int p, int d) {
        return (int) Math.floorDiv((long) in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    /** The output size of a convolution along {@code dim}, refusing a kernel wider than the padded input as PyTorch. */
    static int outSize(String op, int[] xs, int dim, int k, int s, int p, int d) {
        long padded = (long) xs[dim] + 2L * p, span = (long) d * (k - 1) + 1;
        if (padded < span) {
            throw new IllegalArgumentException(op + ": calculated padded input size per channel " + padded + " (input "
                    + str(xs) + ", padding " + p + " in dim " + dim + ") is smaller than the kernel's extent " + span
                    + " (kernel " + k + ", dilation " + d + "): kernel size can't be greater than actual input size");
        }
        return outSize(xs[dim], k, s, p, d);
    }

    static Tensor conv2d(String op, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups) {
        if (Autocast.on()) return Autocast.call(op, c -> conv2d(op, c[0], c[1], c[2], stride, padding, dilation, groups), x, w, b);
        int[] xs = x.shape(), ws = w.shape();
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W], got shape " + str(xs));
        if (w.dim() != 4) throw new IllegalArgumentException(op + ": expected a 4-D weight [out, in/groups, kH, kW], got shape " + str(ws));
        if (groups <= 0 || xs[1] % groups != 0 || ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": groups=" + groups + " must divide the input channels " + xs[1]
                    + " and output channels " + ws[0]);
        }
        if (ws[1] * groups != xs[1]) {
            throw new IllegalArgumentException(op + ": weight of shape " + str(ws) + " expects " + (ws[1] * groups)
                    + " input channels (groups=" + groups + "), got input of shape " + str(xs));
        }
        int kh = ws[2], kw = ws[3];
        int oh = outSize(op, xs, 2, kh, stride[0], padding[0], dilation[0]), ow = outSize(op, xs, 3, kw, stride[1], padding[1], dilation[1]);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": input of shape " + str(xs) + " is too small for kernel (" + kh + ", " + kw
                    + ") with padding " + str(padding) + " and dilation " + str(dilation) + ": output would be (" + oh + ", " + ow + ")");
        }
        if (b != null && (b.dim() != 1 || b.shape()[0] != ws[0])) {
            throw new IllegalArgumentException(op + ": expected a bias of shape [" + ws[0] + "], got " + str(b.shape()));
        }
        return ConvOps.conv2d(x, w, b, new ConvParams(stride, padding, dilation, groups), oh, ow);
    }

    static Tensor convTranspose2d(String op, Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding,
                                  int groups, int[] dilation) {
        if (Autocast.on()) return Autocast.call(op, c -> convTranspose2d(op, c[0], c[1], c[2], stride, padding, outputPadding, groups, dilation), x, w, b);
        int[] xs = x.shape(), ws = w.shape();
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W], got shape " + str(xs));
        if (w.dim() != 4 || ws[0] != xs[1]) {
            throw new IllegalArgumentException(op + ": weight of shape " + str(ws) + " expects input channels " + (w.dim() > 0 ? ws[0] : -1)
                    + ", got input of shape " + str(xs));
        }
        if (groups <= 0 || ws[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": groups=" + groups + " must divide the input channels " + ws[0]);
        }
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(op + ": output padding " + str(outputPadding)
                        + " must be smaller than either stride " + str(stride) + " or dilation " + str(dilation));
            }
        }
        long oh0 = (xs[2] - 1L) * stride[0] - 2L * padding[0] + (long) dilation[0] * (ws[2] - 1) + outputPadding[0] + 1;
        long ow0 = (xs[3] - 1L) * stride[1] - 2L * padding[1] + (long) dilation[1] * (ws[3] - 1) + outputPadding[1] + 1;
        if (oh0 > Integer.MAX_VALUE || ow0 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(op + ": output size (" + oh0 + ", " + ow0 + ") for input " + str(xs)
                    + " is larger than a dimension can hold (" + Integer.MAX_VALUE + ")");
        }
        int oh = (int) Math.max(oh0, Integer.MIN_VALUE), ow = (int) Math.max(ow0, Integer.MIN_VALUE);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": output size (" + oh + ", " + ow + ") is not positive for input " + str(xs));
        }
        if (b != null && (b.dim() != 1 || b.shape()[0] != ws[1] * groups)) {
            throw new IllegalArgumentException(op + ": expected a bias of shape [" + (ws[1] * groups) + "], got " + str(b.shape()));
        }
        if (ConvOps.directTranspose(x, w, b)) {
            return ConvOps.convTranspose2d(x, w, b, new ConvParams(stride, padding, dilation, groups), oh, ow);
        }
        if (groups > 1) {
            List<Tensor> xg = x.chunk(groups, 1), wg = w.chunk(groups, 0);
            List<Tensor> bg = b == null ? null : b.chunk(groups, 0);
            List<Tensor> outs = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                outs.add(convTranspose2d(op, xg.get(g), wg.get(g), bg == null ? null : bg.get(g), stride, padding, outputPadding, 1, dilation));
            }
            return Tensor.cat(outs, 1);
        }
        int n = xs[0], cin = xs[1], h = xs[2], wd = xs[3], cout = ws[1], kh = ws[2], kw = ws[3];
        // the transpose of conv: [Cout*kh*kw, Cin] @ [N, Cin, H*W] gives columns that fold sums into the image
        Tensor cols = w.reshape(cin, cout * kh * kw).t().matmul(x.reshape(n, cin, h * wd));
        Tensor out = cols.fold2d(oh, ow, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        if (b != null) out = out.add(b.reshape(1, cout, 1, 1));
        return out;
    }

    static Tensor maxPool2d(String op, Tensor x, int[] k, int[] s, int[] p, int[] d) {
        int[] out = poolOutput(op, x, k, s, p, d);
        return ConvOps.maxPool2dValues(x, k, new ConvParams(s, p, d, 1), out[0], out[1]);
    }

    static ValuesIndices maxPool2dWithIndices(String op, Tensor x, int[] k, int[] s, int[] p, int[] d) {
        int[] out = poolOutput(op, x, k, s, p, d);
        return ConvOps.maxPool2d(x, k, new ConvParams(s, p, d, 1), out[0], out[1]);
    }

    private static int[] poolOutput(String op, Tensor x, int[] k, int[] s, int[] p, int[] d) {
        int[] xs = x.shape();
        check4d(op, x);
        checkWindow(op, k, s, p, d);
        for (int i = 0; i < 2; i++) {
            if (p[i] * 2 > k[i]) {
                throw new IllegalArgumentException(op + ": pad should be at most half of effective kernel size, got padding "
                        + str(p) + " and kernel " + str(k));
            }
        }
        int oh = outSize(xs[2], k[0], s[0], p[0], d[0]), ow = outSize(xs[3], k[1], s[1], p[1], d[1]);
        checkOut(op, xs, k, oh, ow);
        return new int[]{oh, ow};
    }

    static Tensor avgPool2d(String op, Tensor x, int[] k, int[] s, int[] p, boolean countIncludePad) {
        int[] xs = x.shape();
        check4d(op, x);
        checkWindow(op, k, s, p, new int[]{1, 1});
        for (int i = 0; i < 2; i++) {
            if (p[i] * 2 > k[i]) {
                throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, got padding "
                        + str(p) + " and kernel " + str(k));
            }
        }
        int oh = outSize(xs[2], k[0], s[0], p[0], 1), ow = outSize(xs[3], k[1], s[1], p[1], 1);
        checkOut(op, xs, k, oh, ow);
        return ConvOps.avgPool2d(x, k, new ConvParams(s, p, new int[]{1, 1}, 1), countIncludePad, oh, ow);
    }

    static Tensor adaptiveAvgPool2d(String op, Tensor x, int outH, int outW) {
        check4d(op, x);
        int[] xs = x.shape();
        int h = xs[2], w = xs[3];
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException(op + ": output size must be positive, got (" + outH + ", " + outW + ")");
        if (h % outH == 0 && w % outW == 0) {
            int[] k = {h / outH, w / outW};
            return avgPool2d(op, x, k, k, new int[]{0, 0}, true);
        }
        // uneven windows: start = floor(i*in/out), end = ceil((i+1)*in/out), as PyTorch. A window's mean is the
        // mean over its rows of the mean over its columns, so the pooling is two small products with constant
        // averaging matrices: [outH, H] @ x @ [W, outW], one op each way instead of a slice and a mean per cell
        Tensor rowsAvg = averaging(outH, h, x), colsAvg = averaging(outW, w, x).t();
        return rowsAvg.matmul(x).matmul(colsAvg);
    }

    /** The [out, in] matrix whose row i averages PyTorch's adaptive window i: 1/len on [floor(i*in/out), ceil((i+1)*in/out)). */
    private static Tensor averaging(int out, int in, Tensor like) {
        double[] a = new double[out * in];
        for (int i = 0; i < out; i++) {
            int lo = (int) ((long) i * in / out), hi = (int) (((long) (i + 1) * in + out - 1) / out);
            for (int r = lo; r < hi; r++) a[i * in + r] = 1.0 / (hi - lo);
        }
        return Tensor.fromArray(a, out, in).to(like.dtype()).to(like.device());
    }

    private static void check4d(String op, Tensor x) {
        if (x.dim() != 4) throw new IllegalArgumentException(op + ": expected a 4-D input [N, C, H, W], got shape " + str(x.shape()));
    }

    private static void checkWindow(String op, int[] k, int[] s, int[] p, int[] d) {
        for (int i = 0; i < 2; i++) {
            if (k[i] <= 0 || s[i] <= 0 || d[i] <= 0 || p[i] < 0) {
                throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and padding"
                        + " non-negative, got kernel " + str(k) + ", stride " + str(s) + ", padding " + str(p) + ", dilation " + str(d));
            }
        }
    }

    private static void checkOut(String op, int[] xs, int[] k, int oh, int ow) {
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": given input size (" + xs[1] + "x" + xs[2] + "x" + xs[3]
                    + "), calculated output size (" + xs[1] + "x" + oh + "x" + ow + "): output size is too small (kernel "
                    + str(k) + ")");
        }
    }
}
