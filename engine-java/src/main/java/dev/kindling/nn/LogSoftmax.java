package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code torch.nn.LogSoftmax} along {@code dim}: {@code new LogSoftmax(1)} for {@code [N, classes]}. */
public class LogSoftmax extends Module {
    /** Dimension along which log-softmax is computed. */
    public final int dim;

    /** {@code nn.LogSoftmax(dim)}; arguments left out take PyTorch's defaults. */
    public LogSoftmax(int dim) { this.dim = dim; }

    @Override public Tensor forward(Tensor x) {
        if (x.dim() == 0 ? dim != 0 && dim != -1 : dim < -x.dim() || dim >= x.dim()) {
            throw error("dim " + dim + " is out of range for input of shape " + java.util.Arrays.toString(x.shape()));
        }
        return x.logSoftmax(dim);
    }

    @Override protected String extraRepr() { return "dim=" + dim; }
}
