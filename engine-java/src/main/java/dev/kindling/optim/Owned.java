package dev.kindling.optim;

import dev.kindling.Tensor;

/** Optimizer state: an alias owned by no scope, so it outlives the step that created it. */
final class Owned extends Tensor {
    private Owned(Tensor data) {
        super(data);
    }

    /** Takes {@code t}'s data out of any scope; {@code t} itself is closed (unless it is already owned). */
    static Tensor of(Tensor t) {
        if (t instanceof Owned) return t;
        Tensor owned = new Owned(t);
        t.close();
        return owned;
    }
}
