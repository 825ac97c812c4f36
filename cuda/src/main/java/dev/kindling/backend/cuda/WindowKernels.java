package dev.kindling.backend.cuda;

import dev.kindling.DType;

/**
 * Pooling and the im2col/col2im pair behind convolution (until cuDNN), generated per dtype. Inputs and outputs are
 * contiguous planes ({@code [P,H,W]}, {@code [C*kh*kw, OH*OW]}); the window geometry travels as the struct
 * {@link #C_STRUCT}. Each kernel reproduces the CPU's order of operations: the window is scanned row by row (a NaN
 * wins max pooling, the last one; ties keep the first tap); average pooling's backward and col2im gather, per
 * input cell, the contributions of the windows that cover it in increasing output order, so the sums round as the
 * CPU's do and need no atomics. Average pooling sums in double, as the CPU does.
 */
final class WindowKernels {
    /** h, w: input plane; oh, ow: output plane; kernel, stride, padding, dilation; flag: count_include_pad. */
    static final String C_STRUCT = "struct Win { long long h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, flag; };\n";
    private static final String FLOORDIV = "__device__ __forceinline__ long long fdiv(long long a, long long b) {"
            + " return a >= 0 ? a / b : -((-a + b - 1) / b); }\n";
    private static final String LOOP = "  for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n; i += (long long) blockDim.x * gridDim.x) {\n";

    private WindowKernels() {}

    /** The struct image: input {@code h, w}, output {@code oh, ow}, kernel, stride, padding, dilation, flag. */
    static long[] pack(int h, int w, int oh, int ow, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw, boolean flag) {
        return new long[]{h, w, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, flag ? 1 : 0};
    }

    private static String head(String name, String params) {
        return CudaTypes.PRELUDE + C_STRUCT + FLOORDIV + "extern \"C\" __global__ void " + name + "(Win g, long long n, " + params + ") {\n" + LOOP;
    }

    /** Max pooling: one thread per output; {@code indices} (flat h*W+w per plane) written when {@code withIndices}. */
    static KernelSource maxPool(DType t, boolean withIndices) {
        String name = "maxpool_" + CudaTypes.tag(t) + (withIndices ? "_i" : "");
        String ct = CudaTypes.compute(t);
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ x, " + CudaTypes.storage(t)
                + "* __restrict__ values, long long* __restrict__ indices")
                + "    const long long plane = i / (g.oh * g.ow), o = i - plane * (g.oh * g.ow), oy = o / g.ow, ox = o - oy * g.ow;\n"
                + "    const " + CudaTypes.storage(t) + "* in = x + plane * g.h * g.w;\n"
                + "    " + ct + " best = " + (t == DType.FLOAT64 ? "__longlong_as_double((long long) 0xfff0000000000000ULL)"
                        : "__uint_as_float(0xff800000u)") + "; long long at = -1;\n"
                + "    for (long long ky = 0; ky < g.kh; ++ky) {\n"
                + "      const long long iy = oy * g.sh - g.ph + ky * g.dh;\n"
                + "      if (iy < 0 || iy >= g.h) continue;\n"
                + "      for (long long kx = 0; kx < g.kw; ++kx) {\n"
                + "        const long long ix = ox * g.sw - g.pw + kx * g.dw;\n"
                + "        if (ix < 0 || ix >= g.w) continue;\n"
                + "        const long long p = iy * g.w + ix;\n"
                + "        const " + ct + " v = " + CudaTypes.load(t, "in[p]") + ";\n"
                + "        if (at < 0) at = p;\n"
                + "        if (v > best || v != v) { best = v; at = p; }\n"
                + "      }\n"
                + "    }\n"
                + "    values[i] = " + CudaTypes.store(t, "best") + ";\n"
                + (withIndices ? "    indices[i] = at;\n" : "")
                + "  }\n}\n";
        return new KernelSource(name, code);
    }

    /**
     * The gradient of max pooling, one thread per output: its gradient is added atomically at the input cell its
     * index names, into {@code acc} (float, or double for FLOAT64; zeroed by the caller). The backend's signature
     * carries no window, so this scatters rather than gathers; the order of the adds only matters where windows
     * overlap (stride below the kernel size).
     */
    static KernelSource maxPoolBackward(DType t) {
        String name = "maxpool_bwd_" + CudaTypes.tag(t);
        String acc = t == DType.FLOAT64 ? "double" : "float";
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ gy, const long long* __restrict__ indices, "
                + acc + "* acc")
                + "    const long long plane = i / (g.oh * g.ow);\n"
                + "    atomicAdd(acc + plane * g.h * g.w + indices[i], (" + acc + ") " + CudaTypes.load(t, "gy[i]") + ");\n"
                + "  }\n}\n";
        return new KernelSource(name, code);
    }

    /** Average pooling (dilation 1), summing in double; {@code flag} is count_include_pad. */
    static KernelSource avgPool(DType t) {
        String name = "avgpool_" + CudaTypes.tag(t);
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ x, " + CudaTypes.storage(t) + "* __restrict__ y")
                + "    const long long plane = i / (g.oh * g.ow), o = i - plane * (g.oh * g.ow), oy = o / g.ow, ox = o - oy * g.ow;\n"
                + "    const " + CudaTypes.storage(t) + "* in = x + plane * g.h * g.w;\n"
                + "    double sum = 0; long long count = 0;\n"
                + "    for (long long ky = 0; ky < g.kh; ++ky) {\n"
                + "      const long long iy = oy * g.sh - g.ph + ky;\n"
                + "      if (iy < 0 || iy >= g.h) continue;\n"
                + "      for (long long kx = 0; kx < g.kw; ++kx) {\n"
                + "        const long long ix = ox * g.sw - g.pw + kx;\n"
                + "        if (ix < 0 || ix >= g.w) continue;\n"
                + "        sum += (double) " + CudaTypes.load(t, "in[iy * g.w + ix]") + "; ++count;\n"
                + "      }\n"
                + "    }\n"
                + "    y[i] = " + CudaTypes.store(t, "sum / (double) (g.flag ? g.kh * g.kw : count)") + ";\n"
                + "  }\n}\n";
        return new KernelSource(name, code);
    }

    /** The gradient of average pooling: per input cell, the shares of the windows covering it, summed in double. */
    static KernelSource avgPoolBackward(DType t) {
        String name = "avgpool_bwd_" + CudaTypes.tag(t);
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ gy, " + CudaTypes.storage(t) + "* __restrict__ gx")
                + "    const long long plane = i / (g.h * g.w), p = i - plane * (g.h * g.w), iy = p / g.w, ix = p - iy * g.w;\n"
                + "    const long long oy0 = fdiv(iy + g.ph - g.kh + 1 + g.sh - 1, g.sh), oy1 = fdiv(iy + g.ph, g.sh);\n"
                + "    const long long ox0 = fdiv(ix + g.pw - g.kw + 1 + g.sw - 1, g.sw), ox1 = fdiv(ix + g.pw, g.sw);\n"
                + "    double sum = 0;\n"
                + "    for (long long oy = oy0 < 0 ? 0 : oy0; oy <= oy1 && oy < g.oh; ++oy) {\n"
                + "      const long long y0 = oy * g.sh - g.ph, rows = (y0 + g.kh < g.h ? y0 + g.kh : g.h) - (y0 < 0 ? 0 : y0);\n"
                + "      for (long long ox = ox0 < 0 ? 0 : ox0; ox <= ox1 && ox < g.ow; ++ox) {\n"
                + "        const long long x0 = ox * g.sw - g.pw, cols = (x0 + g.kw < g.w ? x0 + g.kw : g.w) - (x0 < 0 ? 0 : x0);\n"
                + "        const long long o = plane * g.oh * g.ow + oy * g.ow + ox;\n"
                + "        sum += (double) " + CudaTypes.load(t, "gy[o]") + " / (double) (g.flag ? g.kh * g.kw : rows * cols);\n"
                + "      }\n"
                + "    }\n"
                + "    gx[i] = " + CudaTypes.store(t, "sum") + ";\n"
                + "  }\n}\n";
        return new KernelSource(name, code);
    }

    /** im2col of one image {@code [C,H,W]} into {@code [C*kh*kw, OH*OW]}: one thread per column-matrix element. */
    static KernelSource im2col(DType t) {
        String name = "im2col_" + CudaTypes.tag(t);
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ in, " + CudaTypes.storage(t) + "* __restrict__ cols")
                + "    const long long r = i / (g.oh * g.ow), o = i - r * (g.oh * g.ow), oy = o / g.ow, ox = o - oy * g.ow;\n"
                + "    const long long ch = r / (g.kh * g.kw), ki = (r / g.kw) % g.kh, kj = r % g.kw;\n"
                + "    const long long iy = oy * g.sh - g.ph + ki * g.dh, ix = ox * g.sw - g.pw + kj * g.dw;\n"
                + "    cols[i] = (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) ? " + CudaTypes.store(t, "0") + " : in[(ch * g.h + iy) * g.w + ix];\n"
                + "  }\n}\n";
        return new KernelSource(name, code);
    }

    /** col2im: each output cell adds, in the CPU's order, the column entries that map to it, onto its own value. */
    static KernelSource col2im(DType t) {
        String name = "col2im_" + CudaTypes.tag(t);
        String ct = CudaTypes.compute(t);
        String code = head(name, "const " + CudaTypes.storage(t) + "* __restrict__ cols, " + CudaTypes.storage(t) + "* __restrict__ out")
                + "    const long long ch = i / (g.h * g.w), p = i - ch * (g.h * g.w), iy = p / g.w, ix = p - iy * g.w;\n"
                + "    " + ct + " v = " + CudaTypes.load(t, "out[i]") + ";\n"
                + "    for (long long ki = 0; ki < g.kh; ++ki) {\n"
                + "      const long long ty = iy + g.ph - ki * g.dh;\n"
                + "      if (ty < 0 || ty % g.sh != 0 || ty / g.sh >= g.oh) continue;\n"
                + "      for (long long kj = 0; kj < g.kw; ++kj) {\n"
                + "        const long long tx = ix + g.pw - kj * g.dw;\n"
                + "        if (tx < 0 || tx % g.sw != 0 || tx / g.sw >= g.ow) continue;\n"
                + "        v = v + " + CudaTypes.load(t, "cols[((ch * g.kh + ki) * g.kw + kj) * g.oh * g.ow + (ty / g.sh) * g.ow + tx / g.sw]") + ";\n"
                + "      }\n"
                + "    }\n"
                + "    out[i] = " + CudaTypes.store(t, "v") + ";\n"
                + "  }\n}\n";
        return new KernelSource(name, code);
    }
}
