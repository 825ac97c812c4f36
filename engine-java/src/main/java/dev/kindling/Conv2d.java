package dev.kindling;

import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * unfold (im2col) and fold (col2im): each other's gradient. Convolution is unfold + matmul and pooling is
 * unfold + max/mean, so neither needs a backward of its own.
 */
final class Conv2d {
    private Conv2d() {}

    static int outSize(int in, int k, int s, int p, int d) {
        // floor, as PyTorch: a kernel wider than the padded input gives a size below 1, never a truncated 1
        return (int) Math.floorDiv((long) in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    private static void checkParams(String op, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException(op + ": kernel size, stride and dilation must be positive and padding"
                    + " non-negative, got kernel=(" + kh + ", " + kw + ") stride=(" + sh + ", " + sw + ") padding=(" + ph
                    + ", " + pw + ") dilation=(" + dh + ", " + dw + ")");
        }
    }

    private static View sub(Tensor t, int n) {
        int[] s = t.shapeInternal(), st = t.stridesInternal();
        return t.view().with(Arrays.copyOfRange(s, 1, s.length), Arrays.copyOfRange(st, 1, st.length), t.offset() + n * st[0]);
    }

    static Tensor unfold(Tensor x0, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        checkParams("unfold", kh, kw, sh, sw, ph, pw, dh, dw);
        if (x0.dim() != 4) {
            throw new IllegalArgumentException("unfold: expected a 4-D input [N, C, H, W], got shape " + Arrays.toString(x0.shapeInternal()));
        }
        if (!x0.dtype().isFloatingPoint()) throw new IllegalArgumentException("unfold: expected a floating point input, got " + x0.dtype());
        Tensor x = x0.contiguous();
        int n = x.shapeInternal()[0], c = x.shapeInternal()[1], h = x.shapeInternal()[2], w = x.shapeInternal()[3];
        int oh = outSize(h, kh, sh, ph, dh), ow = outSize(w, kw, sw, pw, dw);
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("unfold: input of spatial size (" + h + ", " + w + ") is too small for kernel ("
                    + kh + ", " + kw + ") with padding (" + ph + ", " + pw + ") and dilation (" + dh + ", " + dw
                    + "): output would be (" + oh + ", " + ow + ")");
        }
        long rows = (long) c * kh * kw, cols = (long) oh * ow;
        if (!Shapes.fitsInt(rows) || !Shapes.fitsInt(cols)) {
            throw Shapes.tooLarge("unfold", Math.max(rows, cols), "a dimension of the [N, C*kh*kw, L] result");
        }
        Tensor out = Tensor.empty("unfold", x.dtype(), x.device(), new int[]{n, (int) rows, (int) cols});
        for (int i = 0; i < n; i++) out.backend().im2col(sub(x, i), kh, kw, sh, sw, ph, pw, dh, dw, sub(out, i));
        Reference.reachabilityFence(x); // a contiguous copy nobody else holds: alive until the kernels are done
        return Autograd.record("Im2ColBackward0", out, x0,
                (g, need) -> new Tensor[]{fold(g, h, w, kh, kw, sh, sw, ph, pw, dh, dw)});
    }

    static Tensor fold(Tensor cols0, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        checkParams("fold", kh, kw, sh, sw, ph, pw, dh, dw);
        if (cols0.dim() != 3) {
            throw new IllegalArgumentException("fold: expected a 3-D input [N, C*kh*kw, L], got shape " + Arrays.toString(cols0.shapeInternal()));
        }
        Tensor cols = cols0.contiguous();
        int n = cols.shapeInternal()[0], ck = cols.shapeInternal()[1], l = cols.shapeInternal()[2];
        int oh = outSize(h, kh, sh, ph, dh), ow = outSize(w, kw, sw, pw, dw);
        if (ck % (kh * kw) != 0 || l != oh * ow) {
            throw new IllegalArgumentException("fold: input of shape " + Arrays.toString(cols.shapeInternal())
                    + " does not match kernel (" + kh + ", " + kw + ") and output size (" + h + ", " + w
                    + "): expected dim 1 divisible by " + (kh * kw) + " and " + (oh * ow) + " blocks");
        }
        int c = ck / (kh * kw);
        Tensor out = Factory.full("fold", new int[]{n, c, h, w}, 0, cols.dtype(), cols.device());
        for (int i = 0; i < n; i++) out.backend().col2im(sub(cols, i), kh, kw, sh, sw, ph, pw, dh, dw, sub(out, i));
        Reference.reachabilityFence(cols);
        return Autograd.record("Col2ImBackward0", out, cols0,
                (g, need) -> new Tensor[]{unfold(g, kh, kw, sh, sw, ph, pw, dh, dw)});
    }
}
