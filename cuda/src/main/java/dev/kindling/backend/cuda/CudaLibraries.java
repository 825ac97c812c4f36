package dev.kindling.backend.cuda;

/**
 * The native calls that decide whether CUDA is usable, behind an interface so that every way it can fail
 * (no runtime library, no driver, an old driver, no GPU, an old GPU) is tested with a fake on machines
 * without one. {@link NativeCudaLibraries} makes the real calls.
 */
interface CudaLibraries {
    /** Loads the CUDA runtime bindings and libcudart; throws the loader's {@link LinkageError} when it cannot. */
    void loadRuntime();

    /** {@code cudaDriverGetVersion}: 13000 for CUDA 13.0, 0 when no driver is loaded. */
    int driverVersion();

    /** {@code cudaRuntimeGetVersion}: the libcudart that was loaded, 13010 for CUDA 13.1. */
    int runtimeVersion();

    /** {@code cudaGetDeviceCount}; a {@link CudaException} carries the driver's reason when it fails. */
    int deviceCount();

    /** {@code cudaGetDeviceProperties} of device {@code index}. */
    GpuInfo device(int index);

    /**
     * The version of an accelerated library ({@link Library}) as text, e.g. "13.1.0"; throws a
     * {@link LinkageError} or {@link RuntimeException} saying why when it cannot be loaded.
     */
    String version(Library library);

    /** The CUDA libraries beyond the runtime that the backend uses or reports. */
    enum Library {
        /** Matrix products; required. */
        CUBLAS("cuBLAS", "libcublas.so.13", true),
        /** Run-time compilation of Kindling's elementwise and reduction kernels; required. */
        NVRTC("NVRTC", "libnvrtc.so.13", true),
        /** Convolution, pooling and normalization; reported only, not used yet. */
        CUDNN("cuDNN", "libcudnn.so.9", false);

        final String title;
        final String file;
        final boolean required;

        Library(String title, String file, boolean required) {
            this.title = title;
            this.file = file;
            this.required = required;
        }
    }
}
