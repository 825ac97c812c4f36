package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Transposed 2-D convolution ({@code torch.nn.ConvTranspose2d}); weight {@code [in, out/groups, kH, kW]}.
 * Output size: {@code (H-1)*stride - 2*padding + dilation*(k-1) + outputPadding + 1}.
 *
 * <pre>{@code var up = new ConvTranspose2d(64, 32, 2, 2, 0);   // in, out, kernel, stride, padding: doubles H and W}</pre>
 */
public class ConvTranspose2d extends ConvBase {
    /** {@code nn.ConvTranspose2d(in_channels, out_channels, kernel_size)}; arguments left out take PyTorch's defaults. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    /** {@code nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, true, 1);
    }

    /** PyTorch's positional order: in, out, kernel, stride, padding, output_padding, groups, bias, dilation. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding,
                           int groups, boolean bias, int dilation) {
        super("ConvTranspose2d", inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding), pair(dilation),
                pair(outputPadding), groups, bias, false, true);
    }

    @Override public Tensor forward(Tensor x) {
        checkInput(x, 2);
        boolean unbatched = x.dim() == 3;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        try {
            Tensor y = Convolution.convTranspose2d("conv_transpose2d", in, weight, bias, stride, padding, outputPadding, groups, dilation);
            return unbatched ? y.squeeze(0) : y;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
