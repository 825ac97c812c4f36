package dev.kindling.nn;

import dev.kindling.Tensor;

/** Hyperbolic tangent elementwise ({@code torch.nn.Tanh}). */
public class Tanh extends Module {
    @Override public Tensor forward(Tensor x) { return x.tanh(); }
}
