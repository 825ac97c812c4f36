package dev.kindling;

import java.util.Arrays;

/**
 * The elementwise loss of {@code binary_cross_entropy_with_logits} as one autograd node with PyTorch's gradient,
 * {@code sigmoid(x) - t} (times the weights): the composite it replaces differentiated through a where, two exps and
 * two log1ps on each side of 0, some 28 passes over the batch for a loss and its gradient (a [64, 512] batch: 1.4-2.9
 * ms, PyTorch 0.25). {@code nn.F.binaryCrossEntropyWithLogits} validates and calls this where {@link #supports} says so;
 * users call that or {@code BCEWithLogitsLoss}, not this class.
 */
public final class BceWithLogitsOps {
    private BceWithLogitsOps() {}

    /**
     * True for a float32 or float64 input and a target of its shape, dtype and device that needs no gradient, and weights
     * (each may be null) that need none either and broadcast to the input's shape.
     */
    public static boolean supports(Tensor x, Tensor t, Tensor weight, Tensor posWeight) {
        if ((x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64) || x.numel() == 0 || t.dtype() != x.dtype()
                || t.device() != x.device() || !Arrays.equals(t.shape(), x.shape()) || t.requiresGrad()) return false;
        for (Tensor w : new Tensor[]{weight, posWeight}) {
            if (w == null) continue;
            if (w.dtype() != x.dtype() || w.device() != x.device() || w.requiresGrad()) return false;
            try {
                if (!Arrays.equals(Broadcast.shape("binary_cross_entropy_with_logits", x.shape(), w.shape()), x.shape())) return false;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where {@link #supports} holds (else an {@link IllegalArgumentException}), the unreduced loss
     * {@code max(x, 0) - x t + log(1 + exp(-|x|))} (with {@code posWeight} p: {@code (1 - t) x +
     * ((p - 1) t + 1) (max(-x, 0) + log(1 + exp(-|x|)))}), times {@code weight}; its gradient {@code sigmoid(x) - t}
     * (with p: {@code ((p - 1) t + 1) sigmoid(x) - p t}), times {@code weight}.
     */
    public static Tensor loss(Tensor x, Tensor t, Tensor weight, Tensor posWeight) {
        if (!supports(x, t, weight, posWeight)) {
            throw new IllegalArgumentException("binary_cross_entropy_with_logits: expected a float32 or float64 input, a target"
                    + " of its shape, dtype and device without a gradient, and weights of its dtype broadcasting to its shape,"
                    + " got input " + Arrays.toString(x.shape()) + " " + x.dtype() + ", target " + Arrays.toString(t.shape())
                    + " " + t.dtype() + (t.requiresGrad() ? " requiring grad" : "") + (weight == null ? "" : ", weight "
                    + Arrays.toString(weight.shape())) + (posWeight == null ? "" : ", pos_weight " + Arrays.toString(posWeight.shape())));
        }
        Tensor loss;
        // the intermediates are freed here: the gradient reads only x, t and the weights
        try (var off = GradMode.set(false); Scope scope = new Scope()) {
            Tensor tail = x.abs().neg().exp().log1p();
            if (posWeight == null) {
                loss = x.relu().sub(x.mul(t)).add(tail);
            } else {
                Tensor logWeight = posWeight.sub(1).mul(t).add(1);
                loss = x.mul(t.rsub(1)).add(logWeight.mul(x.neg().relu().add(tail)));
            }
            if (weight != null) loss = loss.mul(weight);
            scope.keep(loss);
        }
        return Autograd.record("BinaryCrossEntropyWithLogitsBackward0", loss, new Tensor[]{x}, (g, need) -> {
            Tensor d = posWeight == null ? x.sigmoid().sub(t) : posWeight.sub(1).mul(t).add(1).mul(x.sigmoid()).sub(posWeight.mul(t));
            if (weight != null) d = d.mul(weight);
            return new Tensor[]{d.mul(g)};
        }, x, t);
    }
}
