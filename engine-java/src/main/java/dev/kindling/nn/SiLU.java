package dev.kindling.nn;

import dev.kindling.Tensor;

/** {@code x * sigmoid(x)} elementwise ({@code torch.nn.SiLU}, also called swish). */
public class SiLU extends Module {
    @Override public Tensor forward(Tensor x) { return F.silu(x); }
}
