package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * im2col and col2im for convolution through gemm. Input and columns are contiguous ({@code [C,H,W]} and
 * {@code [C*kh*kw, outH*outW]}); rows of the column matrix are independent, so they are split over threads.
 */
final class Conv {
    private Conv() {}

    static int outSize(int in, int k, int s, int p, int d) {
        // floor, as PyTorch: a kernel wider than the padded input gives a size below 1, never a truncated 1
        return (int) Math.floorDiv((long) in + 2L * p - (long) d * (k - 1) - 1, s) + 1;
    }

    static void im2col(View in, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View cols) {
        int c = in.shape()[0], h = in.shape()[1], w = in.shape()[2];
        int oh = outSize(h, kh, sh, ph, dh), ow = outSize(w, kw, sw, pw, dw);
        CpuBuffer ib = buf(in), cb = buf(cols);
        boolean f32 = in.dtype() == DType.FLOAT32;
        int rows = c * kh * kw;
        Parallel.range(rows, Math.max(1, CpuBackend.GRAIN / Math.max(1, oh * ow)), (s, e) -> {
            for (int r = (int) s; r < e; r++) {
                int ch = r / (kh * kw), ki = (r / kw) % kh, kj = r % kw;
                int rowBase = cols.offset() + r * oh * ow;
                int chBase = in.offset() + ch * h * w;
                // the output columns whose input column lies inside the image; the rest read padding
                int shift = kj * dw - pw;
                int oxLo = Math.min(ow, Math.max(0, ceilDiv(-shift, sw)));
                int oxHi = Math.max(oxLo, Math.min(ow, Math.floorDiv(w - 1 - shift, sw) + 1));
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * sh - ph + ki * dh;
                    int o = rowBase + oy * ow;
                    if (iy < 0 || iy >= h) {
                        zero(cb, f32, o, ow);
                        continue;
                    }
                    zero(cb, f32, o, oxLo);
                    zero(cb, f32, o + oxHi, ow - oxHi);
                    int src = chBase + iy * w + shift;
                    if (sw == 1) {
                        // a contiguous run: one bulk copy instead of a loop of get/put
                        if (f32) cb.f.put(o + oxLo, ib.f, src + oxLo, oxHi - oxLo);
                        else cb.d.put(o + oxLo, ib.d, src + oxLo, oxHi - oxLo);
                    } else if (f32) {
                        for (int ox = oxLo; ox < oxHi; ox++) cb.f.put(o + ox, ib.f.get(src + ox * sw));
                    } else {
                        for (int ox = oxLo; ox < oxHi; ox++) cb.d.put(o + ox, ib.d.get(src + ox * sw));
                    }
                }
            }
        });
    }

    private static int ceilDiv(int a, int b) { return -Math.floorDiv(-a, b); }

    private static void zero(CpuBuffer b, boolean f32, int at, int n) {
        if (f32) for (int i = 0; i < n; i++) b.f.put(at + i, 0f);
        else for (int i = 0; i < n; i++) b.d.put(at + i, 0.0);
    }

    static void col2im(View cols, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, View out) {
        int c = out.shape()[0], h = out.shape()[1], w = out.shape()[2];
        int oh = outSize(h, kh, sh, ph, dh), ow = outSize(w, kw, sw, pw, dw);
        CpuBuffer ob = buf(out), cb = buf(cols);
        DType t = out.dtype();
        // one channel per task: the kernel rows of a channel overlap in the output, channels do not
        Parallel.range(c, 1, (s, e) -> {
            for (int ch = (int) s; ch < e; ch++) {
                int chBase = out.offset() + ch * h * w;
                for (int ki = 0; ki < kh; ki++) {
                    for (int kj = 0; kj < kw; kj++) {
                        int rowBase = cols.offset() + ((ch * kh + ki) * kw + kj) * oh * ow;
                        for (int oy = 0; oy < oh; oy++) {
                            int iy = oy * sh - ph + ki * dh;
                            if (iy < 0 || iy >= h) continue;
                            for (int ox = 0; ox < ow; ox++) {
                                int ix = ox * sw - pw + kj * dw;
                                if (ix < 0 || ix >= w) continue;
                                int dst = chBase + iy * w + ix, src = rowBase + oy * ow + ox;
                                if (t == DType.FLOAT32) ob.f.put(dst, ob.f.get(dst) + cb.f.get(src));
                                else ob.d.put(dst, ob.d.get(dst) + cb.d.get(src));
                            }
                        }
                    }
                }
            }
        });
    }
}
