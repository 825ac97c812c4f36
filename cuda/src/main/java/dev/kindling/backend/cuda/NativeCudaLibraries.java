package dev.kindling.backend.cuda;

/** The real {@link CudaLibraries}: the bytedeco bindings over the machine's CUDA installation. */
final class NativeCudaLibraries implements CudaLibraries {
    @Override public void loadRuntime() { Cudart.load(); }

    @Override public int driverVersion() { return Cudart.driverVersion(); }

    @Override public int runtimeVersion() { return Cudart.runtimeVersion(); }

    @Override public int deviceCount() { return Cudart.deviceCount(); }

    @Override public GpuInfo device(int index) { return Cudart.device(index); }

    @Override public String version(Library library) {
        return switch (library) {
            case CUBLAS -> Cublas.load();
            case NVRTC -> Nvrtc.load();
            case CUDNN -> Cudnn.load();
        };
    }
}
