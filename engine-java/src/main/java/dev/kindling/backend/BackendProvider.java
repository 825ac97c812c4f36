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

    /** Number of devices of this type that can be used ({@code torch.cuda.device_count()}); 0 when unavailable. */
    default int deviceCount() { return available() ? 1 : 0; }

    /**
     * What this provider found, for {@code Kindling.doctor()}: libraries and versions, devices, and why it is or
     * is not usable; several lines, no trailing newline.
     */
    default String describe() {
        return type() + " backend: " + (available() ? "available" : "not usable: " + unavailableReason());
    }
}
