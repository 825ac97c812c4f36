package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * 1-D convolution over {@code [N, C, L]} ({@code torch.nn.Conv1d}); weight {@code [out, in/groups, k]}.
 * Runs as a 2-D convolution of height 1.
 *
 * <pre>{@code var conv = new Conv1d(16, 33, 3, 2, 0);   // in, out, kernel, stride, padding}</pre>
 */
public class Conv1d extends ConvBase {
    /** {@code nn.Conv1d(in_channels, out_channels, kernel_size)}; arguments left out take PyTorch's defaults. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    /** {@code nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** {@code nn.Conv1d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)}; arguments left out take PyTorch's defaults. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        super("Conv1d", inChannels, outChannels, new int[]{kernelSize}, new int[]{stride}, new int[]{padding}, new int[]{dilation},
                new int[]{0}, groups, bias, false, false);
    }

    @Override public Tensor forward(Tensor x) {
        checkInput(x, 1);
        boolean unbatched = x.dim() == 2;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        try {
            Tensor y = F.conv1d(in, weight, bias, stride[0], padding[0], dilation[0], groups);
            return unbatched ? y.squeeze(0) : y;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
