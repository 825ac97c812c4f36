package dev.kindling.backend;

/**
 * One optimizer update as a single fused pass over a parameter and its state ({@link Backend#optimStep}),
 * with the hyper-parameters already worked out by the optimizer for this step. Each kernel performs the
 * same floating point operations, in the same order, as the optimizer's chain of tensor ops (PyTorch's
 * single-tensor implementation), so the results are bit-identical; it only skips the intermediate tensors
 * and the repeated passes over memory.
 */
public sealed interface OptimStep {
    /** Number of state tensors the kernel reads and writes after {@code param, grad}. */
    int stateCount();

    /**
     * Adam and AdamW. Operands: param, grad, exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq.
     * {@code decay} multiplies the parameter first (AdamW's {@code 1 - lr * weight_decay}; 1 for Adam),
     * {@code weightDecay} is Adam's L2 term added to the gradient, {@code negStepSize} is
     * {@code -lr / (1 - beta1^t)} and {@code biasCorrection2Sqrt} is {@code sqrt(1 - beta2^t)}.
     */
    record Adam(double decay, boolean maximize, double weightDecay, double beta1, double beta2, double eps,
                double biasCorrection2Sqrt, double negStepSize, boolean amsgrad) implements OptimStep {
        @Override public int stateCount() { return amsgrad ? 3 : 2; }
    }

    /**
     * SGD with optional momentum, dampening and Nesterov. Operands: param, grad and, with momentum, the
     * momentum buffer; {@code firstStep} means the buffer is set to the gradient rather than decayed.
     */
    record Sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize,
               boolean firstStep) implements OptimStep {
        @Override public int stateCount() { return momentum != 0 ? 1 : 0; }
    }

    /**
     * RMSprop. Operands: param, grad, square_avg, then the momentum buffer when {@code momentum > 0}, then
     * grad_avg when {@code centered}.
     */
    record RmsProp(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered,
                   boolean maximize) implements OptimStep {
        @Override public int stateCount() { return 1 + (momentum > 0 ? 1 : 0) + (centered ? 1 : 0); }
    }
}
