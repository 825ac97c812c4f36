package dev.kindling.amp;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.FusedOptim;
import dev.kindling.Kindling;
import dev.kindling.Scope;
import dev.kindling.Tensor;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code _amp_foreach_non_finite_check_and_unscale_} over an optimizer's gradients, written in
 * tensor ops so that it runs on every backend and for every floating point dtype.
 */
final class Unscale {
    private Unscale() {}

    /**
     * Multiplies every gradient of {@code optimizer} in place by {@code invScale} and returns, per device that
     * holds a gradient, a FLOAT32 0-d tensor that is nonzero when a gradient on it held an Inf or NaN before
     * unscaling (empty when no parameter has a gradient). The flags stay on their devices: no value is read back.
     * FLOAT16 gradients are refused, as PyTorch refuses them, before any gradient changes.
     */
    static Map<Device, Tensor> gradsOf(Optimizer optimizer, float invScale, String op) {
        List<Tensor> grads = new ArrayList<>();
        for (ParamGroup group : optimizer.paramGroups()) {
            for (Tensor p : group.params()) {
                Tensor g = FusedOptim.gradForStep(p);
                if (g == null) continue;
                // PyTorch refuses too: float16 parameters would be updated in float16, where small updates vanish;
                // checked for every gradient before any is changed
                if (g.dtype() == DType.FLOAT16) {
                    throw new IllegalArgumentException(op + ": attempting to unscale FP16 gradients (a parameter of shape "
                            + Arrays.toString(p.shape()) + " is FLOAT16); keep the parameters in FLOAT32 and run the float16"
                            + " ops under Kindling.autocast");
                }
                grads.add(g);
            }
        }
        Map<Device, Tensor> found = new LinkedHashMap<>();
        Map<Device, Tensor> inv = new LinkedHashMap<>();
        try (Scope scope = Kindling.scope(); var off = Kindling.noGrad()) {
            for (Tensor g : grads) {
                Device d = g.device();
                // the flags outlive this scope: step() and update() read them
                Tensor flag = found.computeIfAbsent(d, k -> Scope.escape(Tensor.zeros(new int[0], DType.FLOAT32, k)));
                // checked before unscaling, as the kernel does: a finite scaled value is a usable gradient
                flag.add_(g.isfinite().all().logicalNot().to(DType.FLOAT32));
                Tensor s = inv.computeIfAbsent(d, k -> Tensor.zeros(new int[0], DType.FLOAT32, k).fill_(invScale));
                unscale(g, s);
            }
        }
        return found;
    }

    /**
     * {@code g *= inv} in the gradient's "opmath" type, as the kernel computes: float64 gradients in double,
     * float32 ones in float, and bfloat16 ones in float32 rounded once on the way back (PyTorch's CPU kernel);
     * not {@code g.mul_(inv)} there, which would round the inverse scale itself to bfloat16 first.
     */
    private static void unscale(Tensor g, Tensor inv) {
        DType opmath = DType.promote(g.dtype(), DType.FLOAT32);
        if (opmath == g.dtype()) g.mul_(inv);
        else g.copy_(g.to(opmath).mul_(inv));
    }
}
