package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * Average pooling to a fixed output size ({@code torch.nn.AdaptiveAvgPool2d}), whatever the input size.
 *
 * <pre>{@code var gap = new AdaptiveAvgPool2d(1);   // [N, C, H, W] -> [N, C, 1, 1]}</pre>
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;
    private final boolean square;

    /** {@code nn.AdaptiveAvgPool2d(output_size)}; arguments left out take PyTorch's defaults. */
    public AdaptiveAvgPool2d(int outputSize) { this(outputSize, outputSize, true); }

    /** {@code nn.AdaptiveAvgPool2d(out_h, out_w)}; arguments left out take PyTorch's defaults. */
    public AdaptiveAvgPool2d(int outH, int outW) { this(outH, outW, false); }

    private AdaptiveAvgPool2d(int outH, int outW, boolean square) {
        if (outH <= 0 || outW <= 0) throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got (" + outH + ", " + outW + ")");
        this.outH = outH;
        this.outW = outW;
        this.square = square;
    }

    @Override public Tensor forward(Tensor x) {
        try {
            if (x.dim() == 3) return F.adaptiveAvgPool2d(x.unsqueeze(0), outH, outW).squeeze(0);
            return F.adaptiveAvgPool2d(x, outH, outW);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() { return "output_size=" + (square ? Integer.toString(outH) : tuple(outH, outW)); }
}
