package dev.kindling.backend;

/** Elementwise functions of one tensor that every backend implements. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, SIN, COS, TAN, TANH, SIGMOID, RELU, SIGN,
    FLOOR, CEIL, ROUND, TRUNC, RECIPROCAL, SQUARE, ERF, LOGICAL_NOT, ISNAN, ISINF, ISFINITE
}
