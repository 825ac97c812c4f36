package dev.kindling.backend.cuda;

import dev.kindling.Device;
import dev.kindling.backend.Backend;
import dev.kindling.backend.BackendProvider;

/**
 * Registers the CUDA backend with the engine ({@code META-INF/services}). Nothing native is touched until
 * someone asks whether CUDA is available; then {@link CudaProbe} looks once for the runtime, the driver, the
 * GPUs and the libraries, and every later question gets the same answer. {@code -Dkindling.disableCuda=true}
 * turns the backend off (CPU only) without removing the dependency.
 */
public final class CudaBackendProvider implements BackendProvider {
    private static volatile CudaProbe probe;

    /** Called by {@link java.util.ServiceLoader}; cheap: nothing is loaded until {@link #available()} is asked. */
    public CudaBackendProvider() {}

    static CudaProbe probe() {
        CudaProbe p = probe;
        if (p == null) {
            synchronized (CudaBackendProvider.class) {
                p = probe;
                if (p == null) {
                    p = Boolean.getBoolean("kindling.disableCuda")
                            ? new CudaProbe(false, "disabled by -Dkindling.disableCuda=true", null, null, java.util.List.of(), java.util.Map.of())
                            : CudaProbe.run(new NativeCudaLibraries());
                    probe = p;
                }
            }
        }
        return p;
    }

    @Override public Device.Type type() { return Device.Type.CUDA; }

    @Override public boolean available() { return probe().available(); }

    @Override public String unavailableReason() { return probe().reason(); }

    @Override public int deviceCount() { return probe().available() ? probe().gpus().size() : 0; }

    @Override public String describe() {
        return "kindling-cuda (org.bytedeco:cuda " + bindingsVersion() + ")\n" + probe().report()
                + (probe().available() ? "\nkernel cache: " + KernelCache.defaultDir() : "");
    }

    private static String bindingsVersion() {
        String v = null;
        try {
            v = Class.forName("org.bytedeco.cuda.presets.cudart", false, CudaBackendProvider.class.getClassLoader())
                    .getPackage().getImplementationVersion();
        } catch (ClassNotFoundException | LinkageError e) {
            // the bindings are missing: the probe's reason says so
        }
        return v == null ? "version unknown" : v;
    }

    @Override public Backend create(Device device) {
        CudaProbe p = probe();
        if (device.index() >= p.gpus().size()) {
            throw new IllegalArgumentException("device " + device + ": only " + p.gpus().size() + " CUDA GPU(s) are visible"
                    + (p.gpus().isEmpty() ? "" : " (cuda:0 to cuda:" + (p.gpus().size() - 1) + ")"));
        }
        return new CudaBackend(device, p.gpus().get(device.index()));
    }
}
