package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code max(x, 0)} elementwise ({@code torch.nn.ReLU}): {@code new Sequential(new Linear(4, 8), new ReLU())}. */
public class ReLU extends Module {
    @Override public Tensor forward(Tensor x) { return x.relu(); }
}
