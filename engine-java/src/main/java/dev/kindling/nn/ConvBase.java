package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Arrays;

/** What Conv1d, Conv2d and ConvTranspose2d share: hyper-parameters, weights, PyTorch's init and repr. */
abstract class ConvBase extends Module {
    public final int inChannels, outChannels, groups;
    final int[] kernelSize, stride, padding, dilation, outputPadding;
    /** {@code padding="same"}: the input is padded so that the output keeps its size (stride 1 only). */
    final boolean samePadding;
    public Parameter weight;
    public Parameter bias;

    ConvBase(String type, int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
             int[] outputPadding, int groups, boolean bias, boolean samePadding, boolean transposed) {
        if (inChannels < 0 || outChannels < 0) {
            throw new IllegalArgumentException(type + ": in_channels and out_channels must be non-negative, got in_channels="
                    + inChannels + ", out_channels=" + outChannels);
        }
        if (groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(type + ": in_channels (" + inChannels + ") and out_channels (" + outChannels
                    + ") must be divisible by groups (" + groups + ")");
        }
        for (int i = 0; i < kernelSize.length; i++) {
            if (kernelSize[i] <= 0 || stride[i] <= 0 || dilation[i] <= 0 || padding[i] < 0) {
                throw new IllegalArgumentException(type + ": kernel size, stride and dilation must be positive and padding non-negative, got kernel_size="
                        + tuple(kernelSize) + ", stride=" + tuple(stride) + ", padding=" + tuple(padding) + ", dilation=" + tuple(dilation));
            }
            if (samePadding && stride[i] != 1) throw new IllegalArgumentException(type + ": padding='same' is not supported for strided convolutions");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.outputPadding = outputPadding.clone();
        this.samePadding = samePadding;
        int[] ws = new int[2 + kernelSize.length];
        ws[0] = transposed ? inChannels : outChannels;
        ws[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(kernelSize, 0, ws, 2, kernelSize.length);
        this.weight = new Parameter(Tensor.empty(ws));
        this.bias = bias ? new Parameter(Tensor.empty(outChannels)) : null;
        resetParameters();
    }

    /** Re-draws the weights with PyTorch's default initialisation. */
    public void resetParameters() { init.defaultLayerInit(weight, bias); }

    /** The kernel size per spatial dimension. */
    public int[] kernelSize() { return kernelSize.clone(); }

    /** The stride per spatial dimension. */
    public int[] stride() { return stride.clone(); }

    /** The padding per spatial dimension (zeros for {@code padding="same"}, which is computed per call). */
    public int[] padding() { return padding.clone(); }

    /** The dilation per spatial dimension. */
    public int[] dilation() { return dilation.clone(); }

    /** Checks {@code [N, C, *spatial]} (or unbatched {@code [C, *spatial]}) and the channel count. */
    void checkInput(Tensor x, int spatial) {
        int c = inChannels;
        if ((x.dim() != spatial + 2 && x.dim() != spatial + 1) || x.size(x.dim() - spatial - 1) != c) {
            throw error("expected input of shape [N, " + c + ", " + String.join(", ", java.util.Collections.nCopies(spatial, "*"))
                    + "] (" + c + " channels), got shape " + Arrays.toString(x.shape()));
        }
    }

    /** For 'same': the input padded on each side (extra on the right when the total is odd), in F.pad order. */
    int[] samePad() {
        int n = kernelSize.length;
        int[] pad = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int total = dilation[i] * (kernelSize[i] - 1);
            pad[2 * (n - 1 - i)] = total / 2;
            pad[2 * (n - 1 - i) + 1] = total - total / 2;
        }
        return pad;
    }

    @Override protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(tuple(kernelSize)).append(", stride=").append(tuple(stride));
        if (samePadding) s.append(", padding=same");
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(tuple(dilation));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }

    static int[] pair(int v) { return new int[]{v, v}; }
}
