package dev.kindling.backend;

/** Elementwise functions of two broadcast tensors that every backend implements. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAXIMUM, MINIMUM, ATAN2, FMOD, REMAINDER, FLOOR_DIVIDE,
    /** {@code b <= 0 ? 0 : a}: ReLU's backward pass in one sweep (PyTorch's {@code threshold_backward(a, b, 0)}). */
    THRESHOLD_BACKWARD,
    /** {@code (a * b) * (1 - b)}: sigmoid's backward pass from its output {@code b} in one sweep ({@code sigmoid_backward}). */
    SIGMOID_BACKWARD,
    /** {@code a * (1 - b * b)}: tanh's backward pass from its output {@code b} in one sweep ({@code tanh_backward}). */
    TANH_BACKWARD,
    EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    /** Comparisons and logical ops produce BOOL whatever their inputs. */
    public boolean producesBool() {
        return ordinal() >= EQ.ordinal();
    }
}
