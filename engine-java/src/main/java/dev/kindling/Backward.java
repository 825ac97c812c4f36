package dev.kindling;

/**
 * An op's gradient formula: from the gradient of its output, the gradients of its inputs, written in
 * tensor ops so that it runs on every backend and can itself be differentiated. {@code needs[i]} says
 * whether input {@code i} wants a gradient; formulas may skip work for the others and return null there.
 * Broadcast inputs get their gradient summed back to their shape by the engine, not by the formula.
 */
@FunctionalInterface
interface Backward {
    Tensor[] apply(Tensor grad, boolean[] needs);
}
