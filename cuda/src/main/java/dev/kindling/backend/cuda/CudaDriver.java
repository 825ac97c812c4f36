package dev.kindling.backend.cuda;

import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The only class that calls the CUDA driver API (libcuda): loads NVRTC's binaries as modules into the
 * device's primary context (which the runtime made current) and launches their kernels.
 */
final class CudaDriver implements ModuleLoader<CudaKernel> {
    static final CudaDriver INSTANCE = new CudaDriver();

    private CudaDriver() {}

    static void check(int status, String call) {
        if (status != CUDA_SUCCESS) {
            String name = "CUresult " + status;
            try (PointerPointer<BytePointer> out = new PointerPointer<>(1)) {
                if (cuGetErrorName(status, out) == CUDA_SUCCESS && out.get(0) != null) name = out.get(BytePointer.class, 0).getString();
            }
            throw new CudaException(call + ": " + name, status);
        }
    }

    @Override public CudaKernel load(byte[] image, String name) {
        CUmod_st module = new CUmod_st();
        try (BytePointer data = new BytePointer(image)) {
            check(cuModuleLoadData(module, data), "cuModuleLoadData(" + name + ")");
        }
        CUfunc_st fn = new CUfunc_st();
        check(cuModuleGetFunction(fn, module, name), "cuModuleGetFunction(" + name + ")");
        return new CudaKernel(name, module, fn);
    }

    @Override public void unload(CudaKernel kernel) { check(cuModuleUnload(kernel.module()), "cuModuleUnload(" + kernel.name() + ")"); }

    /** Launches {@code kernel} on a 1-D grid with the packed {@code args}. */
    static void launch(CudaKernel kernel, long blocks, int threads, CUstream_st stream, KernelArgs args) {
        check(cuLaunchKernel(kernel.function(), (int) blocks, 1, 1, threads, 1, 1, 0, stream, new DevicePtr(args.pointers()), null),
                "cuLaunchKernel(" + kernel.name() + ", " + blocks + " blocks of " + threads + ")");
    }
}
