package dev.kindling.nn;

import dev.kindling.Tensor;

/** Flattens dimensions {@code startDim..endDim} ({@code torch.nn.Flatten}); by default all but the batch one. */
public class Flatten extends Module {
    /** First and last dimension (inclusive, negative counts from the end) merged into one. */
    public final int startDim, endDim;

    /** With PyTorch's default arguments: {@code nn.Flatten()}. */
    public Flatten() { this(1, -1); }

    /** {@code nn.Flatten(start_dim, end_dim)}; arguments left out take PyTorch's defaults. */
    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override public Tensor forward(Tensor x) {
        try {
            return x.flatten(startDim, endDim);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    @Override protected String extraRepr() { return "start_dim=" + startDim + ", end_dim=" + endDim; }
}
