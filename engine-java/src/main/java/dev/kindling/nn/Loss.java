package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * The base of the loss modules: {@code forward(input, target)} with a {@link Reduction} (MEAN by default).
 *
 * <pre>{@code var criterion = new CrossEntropyLoss(); Tensor loss = criterion.forward(logits, labels);}</pre>
 */
public abstract class Loss extends Module {
    /** How per-element losses are reduced: NONE, MEAN or SUM ({@code reduction=}). */
    public final Reduction reduction;

    /** A loss reducing with {@code reduction}. */
    protected Loss(Reduction reduction) {
        if (reduction == null) throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction must not be null");
        if (reduction == Reduction.BATCHMEAN && !(this instanceof KLDivLoss)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction BATCHMEAN is only for KLDivLoss");
        }
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target: always throws, pointing at {@link #forward(Tensor, Tensor)}. */
    @Override public Tensor forward(Tensor input) {
        throw new IllegalArgumentException(where() + ": a loss takes two arguments; call forward(input, target)");
    }

    /** Runs {@code fn}, prefixing its shape errors with this loss's name. */
    protected Tensor named(java.util.function.Supplier<Tensor> fn) {
        try {
            return fn.get();
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }
}
