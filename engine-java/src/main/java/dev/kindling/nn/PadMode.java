package dev.kindling.nn;

/** How {@link F#pad} fills the border: PyTorch's {@code mode} argument. */
public enum PadMode { CONSTANT, REFLECT, REPLICATE, CIRCULAR }
