package dev.kindling.backend;

import dev.kindling.Device;
import dev.kindling.backend.cpu.CpuBackend;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend for a device. The CPU backend is built in; others (CUDA) are discovered through
 * {@link ServiceLoader} of {@link BackendProvider} so that they stay optional dependencies.
 */
public final class Backends {
    private static final CpuBackend CPU = new CpuBackend();
    private static final Map<Device, Backend> OTHERS = new ConcurrentHashMap<>();

    private Backends() {}

    /** The built-in CPU backend. */
    public static Backend cpu() { return CPU; }

    /** The backend for {@code device}, or an error saying why none is usable (e.g. no CUDA backend installed). */
    public static Backend of(Device device) {
        if (device.isCpu()) return CPU;
        return OTHERS.computeIfAbsent(device, d -> {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
                if (p.type() == d.type()) {
                    if (!p.available()) {
                        throw new IllegalStateException("device " + d + ": the " + d.type()
                                + " backend is installed but not usable here: " + p.unavailableReason());
                    }
                    return p.create(d);
                }
            }
            throw new IllegalStateException("device " + d + ": " + missing(d.type())
                    + (d.type() == Device.Type.CUDA ? "; Kindling.doctor() says what was found" : ""));
        });
    }

    /** Why no backend of {@code type} can be used when none is installed, and what to add. */
    private static String missing(Device.Type type) {
        return type == Device.Type.CUDA
                ? "no CUDA backend is installed; add the dependency dev.kindling:kindling-cuda (an NVIDIA GPU with"
                        + " its driver and the CUDA 13 libraries are needed too), or use Device.CPU"
                : "no " + type + " backend is installed; use Device.CPU";
    }

    /**
     * What each installed provider of {@code type} found ({@link BackendProvider#describe()}), or why there is
     * none, for {@code Kindling.doctor()}.
     */
    public static String describe(Device.Type type) {
        if (type == Device.Type.CPU) return "CPU backend: built in";
        StringBuilder sb = new StringBuilder();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() != type) continue;
            if (sb.length() > 0) sb.append('\n');
            sb.append(p.describe());
        }
        return sb.length() > 0 ? sb.toString() : missing(type);
    }

    /**
     * Why {@code type} cannot be used, or null when it can: no backend installed (and what to add), or the
     * installed backend's own reason (no driver, no GPU, ...).
     */
    public static String unavailableReason(Device.Type type) {
        if (type == Device.Type.CPU) return null;
        String reason = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() != type) continue;
            if (p.available()) return null;
            reason = "the " + type + " backend is installed but not usable here: " + p.unavailableReason();
        }
        return reason != null ? reason : missing(type);
    }

    /** Number of usable devices of {@code type}: 1 for the CPU, the providers' count otherwise. */
    public static int deviceCount(Device.Type type) {
        if (type == Device.Type.CPU) return 1;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() == type && p.available()) return p.deviceCount();
        }
        return 0;
    }

    /** True when a backend for the device type is installed and reports itself usable. */
    public static boolean available(Device.Type type) {
        if (type == Device.Type.CPU) return true;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.type() == type && p.available()) return true;
        }
        return false;
    }
}
