package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Average pooling over {@code [N, C, H, W]} ({@code torch.nn.AvgPool2d}); stride defaults to the kernel size,
 * zero padding is counted in the average unless {@code countIncludePad} is false.
 *
 * <pre>{@code var pool = new AvgPool2d(2);}</pre>
 */
public class AvgPool2d extends Module {
    private final int kernelSize, stride, padding;
    private final boolean countIncludePad;

    /** {@code nn.AvgPool2d(kernel_size)}; arguments left out take PyTorch's defaults. */
    public AvgPool2d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    /** {@code nn.AvgPool2d(kernel_size, stride)}; arguments left out take PyTorch's defaults. */
    public AvgPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0); }

    /** {@code nn.AvgPool2d(kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public AvgPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, true); }

    /** {@code nn.AvgPool2d(kernel_size, stride, padding, count_include_pad)}; arguments left out take PyTorch's defaults. */
    public AvgPool2d(int kernelSize, int stride, int padding, boolean countIncludePad) {
        if (padding * 2 > kernelSize) {
            throw new IllegalArgumentException("AvgPool2d: pad should be at most half of kernel size, got padding " + padding + " and kernel " + kernelSize);
        }
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.countIncludePad = countIncludePad;
    }

    @Override public Tensor forward(Tensor x) {
        int[] k = ConvBase.pair(kernelSize), s = ConvBase.pair(stride), p = ConvBase.pair(padding);
        try {
            if (x.dim() == 3) return F.avgPool2d(x.unsqueeze(0), k, s, p, countIncludePad).squeeze(0);
            return F.avgPool2d(x, k, s, p, countIncludePad);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() { return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding; }
}
