package dev.kindling;

/** Records ops on the tape: the one place that decides whether an op needs a node. */
final class Autograd {
    private Autograd() {}

    /**
     * Attaches a node named {@code name} to {@code out} when grad mode is on and an input requires grad.
     * {@code saved} are the tensors the formula reads; changing one in place before backward is an error.
     */
    static Tensor record(String name, Tensor out, Tensor[] inputs, Backward fn, Tensor... saved) {
        if (!GradMode.isEnabled()) return out;
        for (Tensor t : inputs) {
            if (t != null && t.viewRoot != null) ViewInPlace.refresh(t, name);
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (!any) return out;
        if (!out.dtype().isFloatingPoint()) return out;
        out.setGradFn(new Node(name, inputs, fn, saved));
        return out;
    }

    static Tensor record(String name, Tensor out, Tensor input, Backward fn, Tensor... saved) {
        return record(name, out, new Tensor[]{input}, fn, saved);
    }

    static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) {
            // a view whose root got a history since it was taken must be rebased before it is asked
            if (t != null && t.viewRoot != null) ViewInPlace.refresh(t, null);
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }

    static Tensor[] grads(Tensor... g) { return g; }
}
