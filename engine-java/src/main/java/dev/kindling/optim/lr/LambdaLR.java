package dev.kindling.optim.lr;

import dev.kindling.optim.Optimizer;

import java.util.Collections;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's learning rate to its base rate times {@code lambda(epoch)}
 * ({@code torch.optim.lr_scheduler.LambdaLR}). The lambdas are code, so a state dict does not hold them.
 *
 * <pre>{@code
 * var sched = new LambdaLR(opt, epoch -> Math.min(1.0, (epoch + 1) / 10.0));   // warmup over 10 epochs
 * }</pre>
 */
public class LambdaLR extends LRScheduler {
    private final List<IntToDoubleFunction> lambdas;

    /** One factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        this(optimizer, Collections.nCopies(optimizer.paramGroups().size(), lambda));
    }

    /** One factor function per group. */
    public LambdaLR(Optimizer optimizer, List<IntToDoubleFunction> lambdas) {
        super(optimizer);
        if (lambdas == null || lambdas.size() != optimizer.paramGroups().size() || lambdas.contains(null)) {
            throw new IllegalArgumentException("LambdaLR: expected " + optimizer.paramGroups().size()
                    + " lr_lambdas (one per param group), but got " + (lambdas == null ? "null" : lambdas.size()));
        }
        this.lambdas = List.copyOf(lambdas);
        initialStep();
    }

    @Override protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * lambdas.get(i).applyAsDouble(lastEpoch);
        return lrs;
    }
}
