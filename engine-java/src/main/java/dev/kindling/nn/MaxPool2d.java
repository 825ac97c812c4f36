package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Max pooling over {@code [N, C, H, W]} ({@code torch.nn.MaxPool2d}); stride defaults to the kernel size.
 *
 * <pre>{@code var pool = new MaxPool2d(2);   // halves H and W}</pre>
 */
public class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    private final boolean square;

    /** {@code nn.MaxPool2d(kernel_size)}; arguments left out take PyTorch's defaults. */
    public MaxPool2d(int kernelSize) { this(kernelSize, kernelSize, 0, 1); }

    /** {@code nn.MaxPool2d(kernel_size, stride)}; arguments left out take PyTorch's defaults. */
    public MaxPool2d(int kernelSize, int stride) { this(kernelSize, stride, 0, 1); }

    /** {@code nn.MaxPool2d(kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public MaxPool2d(int kernelSize, int stride, int padding) { this(kernelSize, stride, padding, 1); }

    /** {@code nn.MaxPool2d(kernel_size, stride, padding, dilation)}; arguments left out take PyTorch's defaults. */
    public MaxPool2d(int kernelSize, int stride, int padding, int dilation) {
        this(ConvBase.pair(kernelSize), ConvBase.pair(stride), ConvBase.pair(padding), ConvBase.pair(dilation), true);
    }

    /** {@code nn.MaxPool2d(kernel_size, stride, padding, dilation)}; arguments left out take PyTorch's defaults. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation) { this(kernelSize, stride, padding, dilation, false); }

    private MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean square) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.square = square;
    }

    @Override public Tensor forward(Tensor x) {
        try {
            if (x.dim() == 3) return F.maxPool2d(x.unsqueeze(0), kernelSize, stride, padding, dilation).squeeze(0);
            return F.maxPool2d(x, kernelSize, stride, padding, dilation);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() {
        return "kernel_size=" + val(kernelSize) + ", stride=" + val(stride) + ", padding=" + val(padding)
                + ", dilation=" + val(dilation) + ", ceil_mode=False";
    }

    private String val(int[] v) { return square ? Integer.toString(v[0]) : tuple(v); }
}
