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
            throw new IllegalStateException("device " + d + ": no " + d.type() + " backend is installed;"
                    + " Kindling runs on the CPU only in this build (use Device.CPU)");
        });
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
