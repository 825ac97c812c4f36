package dev.kindling.data.transforms;

import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.data.Image;

import java.util.Arrays;

/**
 * Flip, crop and bilinear resize for both kinds of image input: {@link Image} (HWC bytes) and tensors
 * {@code [..., H, W]}. Transforms stay one-liners over these.
 */
final class Geometry {
    private Geometry() { }

    static void checkSize(String op, int height, int width) {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException(op + ": size must be positive, got (" + height + ", " + width + ")");
    }

    /** The {@code (H, W)} of an image input; a clear error for anything else. */
    static int[] check(String op, Object x) {
        if (x instanceof Image im) return new int[]{im.height(), im.width()};
        if (x instanceof Tensor t) {
            if (t.dim() < 2) throw new IllegalArgumentException(op + ": expected a tensor of shape [..., H, W], got " + Arrays.toString(t.shape()));
            return new int[]{t.size(-2), t.size(-1)};
        }
        throw new IllegalArgumentException(op + ": expected an Image or a Tensor [..., H, W], got " + Transforms.kind(x));
    }

    @SuppressWarnings("unchecked")
    static <T> T hflip(T x) {
        if (x instanceof Tensor t) return (T) t.flip(-1);
        Image im = (Image) x;
        int w = im.width(), c = im.channels();
        byte[] src = im.data(), out = new byte[src.length];
        for (int y = 0; y < im.height(); y++) {
            int row = y * w * c;
            for (int xx = 0; xx < w; xx++) System.arraycopy(src, row + xx * c, out, row + (w - 1 - xx) * c, c);
        }
        return (T) new Image(out, im.height(), w, c);
    }

    /** The window at {@code (top, left)} of size {@code h x w}; parts outside the input are zero (padding). */
    @SuppressWarnings("unchecked")
    static <T> T crop(T x, int top, int left, int h, int w) {
        if (x instanceof Tensor t) return (T) cropTensor(t, top, left, h, w);
        Image im = (Image) x;
        int c = im.channels(), ih = im.height(), iw = im.width();
        byte[] src = im.data(), out = new byte[h * w * c];
        int x0 = Math.max(0, -left), x1 = Math.min(w, iw - left);
        for (int y = 0; y < h; y++) {
            int sy = top + y;
            if (sy < 0 || sy >= ih || x1 <= x0) continue;
            System.arraycopy(src, (sy * iw + left + x0) * c, out, (y * w + x0) * c, (x1 - x0) * c);
        }
        return (T) new Image(out, h, w, c);
    }

    private static Tensor cropTensor(Tensor t, int top, int left, int h, int w) {
        int ih = t.size(-2), iw = t.size(-1);
        if (top >= 0 && left >= 0 && top + h <= ih && left + w <= iw) {
            return t.narrow(-2, top, h).narrow(-1, left, w).contiguous();
        }
        int[] shape = t.shape();
        shape[shape.length - 2] = h;
        shape[shape.length - 1] = w;
        Tensor out = Tensor.zeros(shape, t.dtype());
        // the overlap of the window and the input, in input and in output coordinates
        int y0 = Math.max(0, top), y1 = Math.min(ih, top + h), x0 = Math.max(0, left), x1 = Math.min(iw, left + w);
        if (y1 > y0 && x1 > x0) {
            out.narrow(-2, y0 - top, y1 - y0).narrow(-1, x0 - left, x1 - x0)
                    .copy_(t.narrow(-2, y0, y1 - y0).narrow(-1, x0, x1 - x0));
        }
        return out;
    }

    /** Bilinear with half-pixel centres, like {@code F.interpolate(mode="bilinear", align_corners=False)}. */
    @SuppressWarnings("unchecked")
    static <T> T resize(T x, int oh, int ow) {
        if (x instanceof Tensor t) {
            int ih = t.size(-2), iw = t.size(-1);
            int planes = (int) (t.numel() / ((long) ih * iw));
            double[] src = t.toDoubleArray();
            double[] out = new double[planes * oh * ow];
            Axis ay = new Axis(ih, oh), ax = new Axis(iw, ow);
            for (int p = 0; p < planes; p++) {
                int so = p * ih * iw, oo = p * oh * ow;
                for (int y = 0; y < oh; y++) {
                    for (int xx = 0; xx < ow; xx++) {
                        out[oo + y * ow + xx] = sample(ay, ax, y, xx, (r, c) -> src[so + r * iw + c]);
                    }
                }
            }
            int[] shape = t.shape();
            shape[shape.length - 2] = oh;
            shape[shape.length - 1] = ow;
            Tensor r = Tensor.fromArray(out, shape);
            DType dt = t.dtype();
            if (dt == DType.FLOAT64) return (T) r;
            // integer images round to the nearest value, as torchvision does for uint8 tensors
            return (T) (dt.isFloatingPoint() ? r.to(dt) : r.round().to(dt));
        }
        Image im = (Image) x;
        int ih = im.height(), iw = im.width(), c = im.channels();
        byte[] src = im.data(), out = new byte[oh * ow * c];
        Axis ay = new Axis(ih, oh), ax = new Axis(iw, ow);
        for (int ch = 0; ch < c; ch++) {
            int fc = ch;
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++) {
                    double v = sample(ay, ax, y, xx, (r, col) -> src[(r * iw + col) * c + fc] & 0xFF);
                    out[(y * ow + xx) * c + ch] = (byte) Math.max(0, Math.min(255, Math.rint(v)));
                }
            }
        }
        return (T) new Image(out, oh, ow, c);
    }

    private interface Pixel {
        double at(int row, int col);
    }

    private static double sample(Axis ay, Axis ax, int y, int x, Pixel px) {
        int y0 = ay.lo[y], y1 = ay.hi[y], x0 = ax.lo[x], x1 = ax.hi[x];
        double ly = ay.frac[y], lx = ax.frac[x];
        double top = px.at(y0, x0) * (1 - lx) + px.at(y0, x1) * lx;
        double bottom = px.at(y1, x0) * (1 - lx) + px.at(y1, x1) * lx;
        return top * (1 - ly) + bottom * ly;
    }

    /** Source neighbours and weight for every output coordinate along one axis. */
    private static final class Axis {
        final int[] lo, hi;
        final double[] frac;

        Axis(int in, int out) {
            lo = new int[out];
            hi = new int[out];
            frac = new double[out];
            double scale = (double) in / out;
            for (int i = 0; i < out; i++) {
                double s = Math.max(0, (i + 0.5) * scale - 0.5);
                int l = Math.min((int) Math.floor(s), in - 1);
                lo[i] = l;
                hi[i] = Math.min(l + 1, in - 1);
                frac[i] = s - l;
            }
        }
    }
}
