package dev.kindling.backend;

import dev.kindling.Device;

/** Service interface through which optional backends (CUDA) register themselves. */
public interface BackendProvider {
    Device.Type type();

    /** False when, for example, no driver or GPU is present. */
    boolean available();

    /** Why {@link #available()} is false, for the error message. */
    String unavailableReason();

    Backend create(Device device);
}
