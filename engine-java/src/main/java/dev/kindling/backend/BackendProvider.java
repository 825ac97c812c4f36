package dev.kindling.backend;

import dev.kindling.Device;

/** Service interface through which optional backends (CUDA) register themselves. */
public interface BackendProvider {
    /** The device type this provider serves, e.g. {@code Device.Type.CUDA}. */
    Device.Type type();

    /** False when, for example, no driver or GPU is present. */
    boolean available();

    /** Why {@link #available()} is false, for the error message. */
    String unavailableReason();

    /** A backend for {@code device}; called only when {@link #available()} is true. */
    Backend create(Device device);
}
