package dev.kindling.nn;

/** The sampling of {@link F#interpolate}: PyTorch's {@code mode} argument. */
public enum InterpolateMode { NEAREST, BILINEAR }
