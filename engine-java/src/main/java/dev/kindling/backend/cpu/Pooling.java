package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.ConvParams;
import dev.kindling.backend.View;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * Max pooling straight over the planes, with PyTorch's indices: each window is scanned row by row, the first
 * largest value wins, and a NaN wins over everything (the last NaN, as PyTorch's {@code val > max || isnan(val)}).
 * Planes are independent, so they are split over threads.
 */
final class Pooling {
    private Pooling() {}

    static void maxPool2d(View x, int[] k, ConvParams p, View values, View indices) {
        int planes = x.shape()[0], h = x.shape()[1], w = x.shape()[2];
        int oh = values.shape()[1], ow = values.shape()[2];
        CpuBuffer xb = buf(x), vb = buf(values), ib = buf(indices);
        boolean f32 = x.dtype() == DType.FLOAT32;
        int kh = k[0], kw = k[1], sh = p.stride()[0], sw = p.stride()[1], ph = p.padding()[0], pw = p.padding()[1];
        int dh = p.dilation()[0], dw = p.dilation()[1];
        long perPlane = (long) oh * ow * kh * kw;
        Parallel.range(planes, Math.max(1, CpuBackend.GRAIN / Math.max(1, perPlane)), (s, e) -> {
            for (int pl = (int) s; pl < e; pl++) {
                int in = x.offset() + pl * h * w, out = pl * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int y0 = oy * sh - ph;
                    // rows of the window inside the plane (padding never wins)
                    int kyLo = y0 >= 0 ? 0 : ceilDiv(-y0, dh), kyHi = Math.min(kh, ceilDiv(h - y0, dh));
                    for (int ox = 0; ox < ow; ox++) {
                        int x0 = ox * sw - pw;
                        int kxLo = x0 >= 0 ? 0 : ceilDiv(-x0, dw), kxHi = Math.min(kw, ceilDiv(w - x0, dw));
                        int best = (y0 + kyLo * dh) * w + x0 + kxLo * dw;
                        if (f32) {
                            best = maxF(xb.f, in, w, y0, x0, dh, dw, kyLo, kyHi, kxLo, kxHi, best);
                            vb.f.put(values.offset() + out + oy * ow + ox, xb.f.get(in + best));
                        } else {
                            best = maxD(xb.d, in, w, y0, x0, dh, dw, kyLo, kyHi, kxLo, kxHi, best);
                            vb.d.put(values.offset() + out + oy * ow + ox, xb.d.get(in + best));
                        }
                        ib.l.put(indices.offset() + out + oy * ow + ox, best);
                    }
                }
            }
        });
    }

    private static int maxF(FloatBuffer b, int in, int w, int y0, int x0, int dh, int dw, int kyLo, int kyHi, int kxLo, int kxHi, int best) {
        float max = Float.NEGATIVE_INFINITY;
        for (int ky = kyLo; ky < kyHi; ky++) {
            int row = (y0 + ky * dh) * w + x0;
            for (int kx = kxLo; kx < kxHi; kx++) {
                int at = row + kx * dw;
                float v = b.get(in + at);
                if (v > max || v != v) {
                    max = v;
                    best = at;
                }
            }
        }
        return best;
    }

    private static int maxD(DoubleBuffer b, int in, int w, int y0, int x0, int dh, int dw, int kyLo, int kyHi, int kxLo, int kxHi, int best) {
        double max = Double.NEGATIVE_INFINITY;
        for (int ky = kyLo; ky < kyHi; ky++) {
            int row = (y0 + ky * dh) * w + x0;
            for (int kx = kxLo; kx < kxHi; kx++) {
                int at = row + kx * dw;
                double v = b.get(in + at);
                if (v > max || v != v) {
                    max = v;
                    best = at;
                }
            }
        }
        return best;
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }

}
