package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code 1 / (1 + exp(-x))} elementwise ({@code torch.nn.Sigmoid}). */
public class Sigmoid extends Module {
    @Override public Tensor forward(Tensor x) { return x.sigmoid(); }
}
