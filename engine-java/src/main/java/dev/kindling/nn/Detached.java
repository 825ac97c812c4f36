package dev.kindling.nn;

import dev.kindling.Tensor;

/** A graph-free alias owned by no scope: what {@link Module#stateDict()} hands out, so it outlives scopes. */
final class Detached extends Tensor {
    Detached(Tensor data) { super(data); }
}
