package dev.kindling;

import java.util.List;

/**
 * The recorded op that produced a tensor ({@code tensor.grad_fn}), named as PyTorch names it
 * ({@code MulBackward0}); {@code AccumulateGrad} for the leaves it feeds.
 *
 * <pre>{@code x.mul(y).gradFn().name()   // "MulBackward0"}</pre>
 */
public interface GradFn {
    /** Name of the backward node, as PyTorch prints it in {@code grad_fn} (e.g. {@code AddBackward0}). */
    String name();

    /** The functions that receive this one's input gradients (null for inputs that need none). */
    List<GradFn> nextFunctions();
}
