package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * 2-D convolution over {@code [N, C, H, W]} ({@code torch.nn.Conv2d}); weight {@code [out, in/groups, kH, kW]}.
 *
 * <pre>{@code
 * var conv = new Conv2d(1, 32, 3, 1, 1);                      // in, out, kernel, stride, padding
 * var c2 = Conv2d.builder(32, 64, 3).padding("same").dilation(2).groups(2).bias(false).build();
 * }</pre>
 */
public class Conv2d extends ConvBase {
    /** {@code nn.Conv2d(in_channels, out_channels, kernel_size)}; arguments left out take PyTorch's defaults. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    /** {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, pair(kernelSize), pair(stride), pair(padding));
    }

    /** {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding)}; arguments left out take PyTorch's defaults. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    private Conv2d(Builder b) {
        super("Conv2d", b.in, b.out, b.kernel, b.stride, b.padding, b.dilation, new int[]{0, 0}, b.groups, b.bias, b.same, false);
    }

    /** A builder for the options past stride and padding: {@code Conv2d.builder(3, 16, 3).padding("same").build()}. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) { return builder(inChannels, outChannels, pair(kernelSize)); }

    /** A builder for a rectangular kernel. */
    public static Builder builder(int inChannels, int outChannels, int[] kernelSize) { return new Builder(inChannels, outChannels, kernelSize); }

    /** Options past the common ones: dilation, groups, bias, {@code padding("same")}. */
    public static final class Builder {
        private final int in, out;
        private final int[] kernel;
        private int[] stride = {1, 1}, padding = {0, 0}, dilation = {1, 1};
        private int groups = 1;
        private boolean bias = true, same;

        private Builder(int in, int out, int[] kernel) {
            if (kernel.length != 2) throw new IllegalArgumentException("Conv2d: kernel_size needs 2 values, got " + kernel.length);
            this.in = in;
            this.out = out;
            this.kernel = kernel.clone();
        }

        /** PyTorch's {@code stride} argument. */
        public Builder stride(int s) { return stride(pair(s)); }

        /** PyTorch's {@code stride} argument. */
        public Builder stride(int[] s) { stride = two("stride", s); return this; }

        /** PyTorch's {@code padding} argument. */
        public Builder padding(int p) { return padding(pair(p)); }

        /** PyTorch's {@code padding} argument. */
        public Builder padding(int[] p) { padding = two("padding", p); same = false; return this; }

        /** {@code "same"} keeps the spatial size (stride 1); {@code "valid"} is no padding. */
        public Builder padding(String mode) {
            switch (mode) {
                case "same" -> same = true;
                case "valid" -> { same = false; padding = new int[]{0, 0}; }
                default -> throw new IllegalArgumentException("Conv2d: padding must be \"same\", \"valid\" or numbers, got \"" + mode + "\"");
            }
            return this;
        }

        /** PyTorch's {@code dilation} argument. */
        public Builder dilation(int d) { return dilation(pair(d)); }

        /** PyTorch's {@code dilation} argument. */
        public Builder dilation(int[] d) { dilation = two("dilation", d); return this; }

        /** PyTorch's {@code groups} argument. */
        public Builder groups(int g) { groups = g; return this; }

        /** PyTorch's {@code bias} argument. */
        public Builder bias(boolean b) { bias = b; return this; }

        /** The configured layer. */
        public Conv2d build() { return new Conv2d(this); }

        private static int[] two(String what, int[] v) {
            if (v.length != 2) throw new IllegalArgumentException("Conv2d: " + what + " needs 2 values, got " + v.length);
            return v.clone();
        }
    }

    @Override public Tensor forward(Tensor x) {
        checkInput(x, 2);
        boolean unbatched = x.dim() == 3;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        int[] p = padding;
        if (samePadding) {
            int[] sp = samePad();
            if (sp[0] == sp[1] && sp[2] == sp[3]) p = new int[]{sp[2], sp[0]};
            else { in = F.pad(in, sp); p = new int[]{0, 0}; }
        }
        try {
            Tensor y = Convolution.conv2d("conv2d", in, weight, bias, stride, p, dilation, groups);
            return unbatched ? y.squeeze(0) : y;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
