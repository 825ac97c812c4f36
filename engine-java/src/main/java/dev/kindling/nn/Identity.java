package dev.kindling.nn;

import dev.kindling.Tensor;

/** Returns its input unchanged ({@code torch.nn.Identity}): a placeholder, e.g. to drop a classifier head. */
public class Identity extends Module {
    @Override public Tensor forward(Tensor x) { return x; }
}
