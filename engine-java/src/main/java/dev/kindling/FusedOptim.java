package dev.kindling;

import dev.kindling.backend.OptimStep;
import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * The entry of {@code dev.kindling.optim} into the backends' fused optimizer kernels. An optimizer offers
 * each update here first; when the operands qualify (one floating point dtype, one device, one shape, all
 * contiguous, the written tensors sharing memory with nothing else) and the backend has a kernel, the
 * update happens in one pass and this returns true. Otherwise it returns false and the optimizer runs its
 * chain of tensor ops, which computes the same values.
 *
 * <pre>{@code
 * if (!FusedOptim.step(new OptimStep.Sgd(lr, 0, 0, 0, false, false, false), p, p.grad())) p.add_(p.grad(), -lr);
 * }</pre>
 */
public final class FusedOptim {
    private FusedOptim() {}

    /**
     * {@code p.grad()} for an optimizer's step, which uses it only during the step: unlike {@code grad()}
     * this does not count as handing the tensor out, so a later {@code zeroGrad()} may return its memory to
     * the pool at once.
     */
    public static Tensor gradForStep(Tensor p) { return p.gradForUpdate(); }

    /**
     * Runs {@code step} on {@code param} (updated in place), {@code grad} (read) and {@code state} (updated
     * in place, in the order {@link OptimStep} documents); false when it did nothing.
     */
    public static boolean step(OptimStep step, Tensor param, Tensor grad, Tensor... state) {
        if (state.length != step.stateCount()) {
            throw new IllegalArgumentException("FusedOptim.step: " + step.getClass().getSimpleName() + " takes "
                    + step.stateCount() + " state tensors, got " + state.length);
        }
        if (Autograd.needsGrad(param, grad)) return false;
        Tensor[] all = new Tensor[state.length + 2];
        all[0] = param;
        all[1] = grad;
        System.arraycopy(state, 0, all, 2, state.length);
        for (Tensor t : all) {
            if (t.dtype() != param.dtype() || !t.device().equals(param.device()) || !t.isContiguous()
                    || !Arrays.equals(t.shapeInternal(), param.shapeInternal()) || t.isClosed()) {
                return false;
            }
        }
        // a written tensor must not share memory with any other operand (the kernel reads and writes per element)
        for (int i = 0; i < all.length; i++) {
            if (i == 1) continue;
            for (int j = 0; j < all.length; j++) {
                if (i != j && all[i].storage() == all[j].storage()) return false;
            }
        }
        View[] views = new View[all.length];
        for (int i = 0; i < all.length; i++) views[i] = all[i].view();
        boolean done;
        try {
            done = param.backend().optimStep(step, views);
        } finally {
            Reference.reachabilityFence(all);
        }
        if (done) {
            param.bumpVersion();
            for (Tensor t : state) t.bumpVersion();
        }
        return done;
    }
}
