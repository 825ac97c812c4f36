package dev.kindling.optim;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Flattening parameters to one vector and back ({@code torch.nn.utils.parameters_to_vector} /
 * {@code vector_to_parameters}), e.g. for second-order methods or weight averaging.
 *
 * <pre>{@code
 * Tensor flat = GradUtils.parametersToVector(net.parameters());
 * GradUtils.vectorToParameters(flat.mul(0.5), net.parameters());
 * }</pre>
 */
public final class GradUtils {
    private GradUtils() {}

    /** All parameters flattened and concatenated into one 1-D tensor (differentiable). */
    public static Tensor parametersToVector(Iterable<? extends Tensor> params) {
        List<Tensor> flat = new ArrayList<>();
        for (Tensor p : checked(params, "parametersToVector")) flat.add(p.reshape(-1));
        if (flat.isEmpty()) throw new IllegalArgumentException("parametersToVector: no parameters given");
        return Tensor.cat(flat, 0);
    }

    /** Writes consecutive slices of the 1-D {@code vec} into each parameter's data, in order. */
    public static void vectorToParameters(Tensor vec, Iterable<? extends Tensor> params) {
        String op = "vectorToParameters";
        if (vec == null || vec.dim() != 1) {
            throw new IllegalArgumentException(op + ": expected a 1-D vector, got " + (vec == null ? "null" : "shape " + Arrays.toString(vec.shape())));
        }
        List<Tensor> ps = checked(params, op);
        long total = 0;
        for (Tensor p : ps) total += p.numel();
        if (total != vec.numel()) {
            throw new IllegalArgumentException(op + ": the vector has " + vec.numel() + " elements but the parameters hold " + total);
        }
        try (var off = Kindling.noGrad()) {
            int at = 0;
            for (Tensor p : ps) {
                int n = (int) p.numel();
                p.copy_(vec.slice(0, at, at + n).view(p.shape()));
                at += n;
            }
        }
    }

    private static List<Tensor> checked(Iterable<? extends Tensor> params, String op) {
        if (params == null) throw new IllegalArgumentException(op + ": parameters must not be null");
        List<Tensor> ps = new ArrayList<>();
        for (Tensor p : params) {
            if (p == null) throw new IllegalArgumentException(op + ": a parameter is null");
            ps.add(p);
        }
        return ps;
    }
}
