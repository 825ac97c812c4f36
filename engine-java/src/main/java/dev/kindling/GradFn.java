package dev.kindling;

import java.util.List;

/**
 * The recorded op that produced a tensor ({@code tensor.grad_fn}), named as PyTorch names it
 * ({@code MulBackward0}); {@code AccumulateGrad} for the leaves it feeds.
 *
 * <pre>{@code x.mul(y).gradFn().name()   // "MulBackward0"}</pre>
 */
public interface GradFn {
    String name();

    /** The functions that receive this one's input gradients (null for inputs that need none). */
    List<GradFn> nextFunctions();
}
