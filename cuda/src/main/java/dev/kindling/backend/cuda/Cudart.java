package dev.kindling.backend.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

import java.nio.ByteBuffer;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The only class that calls the CUDA runtime API (libcudart): device selection, memory, copies and streams.
 * Every status is turned into a {@link CudaException} naming the call; nothing here is reached before
 * {@link CudaProbe} found the runtime loadable.
 */
final class Cudart {
    private Cudart() {}

    static void load() { Loader.load(org.bytedeco.cuda.global.cudart.class); }

    static void check(int status, String call) {
        if (status != cudaSuccess) {
            cudaGetLastError(); // clear the sticky-free error so the next call does not report it again
            throw new CudaException(call + ": " + errorName(status) + " (" + cudaGetErrorString(status).getString() + ")", status);
        }
    }

    static String errorName(int status) { return cudaGetErrorName(status).getString(); }

    static int driverVersion() {
        int[] v = {0};
        cudaDriverGetVersion(v); // 0 without a driver; the status says the same
        return v[0];
    }

    static int runtimeVersion() {
        int[] v = {0};
        check(cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
        return v[0];
    }

    static int deviceCount() {
        int[] n = {0};
        int status = cudaGetDeviceCount(n);
        if (status == cudaErrorNoDevice) return 0;
        check(status, "cudaGetDeviceCount");
        return n[0];
    }

    static GpuInfo device(int index) {
        try (cudaDeviceProp p = new cudaDeviceProp()) {
            check(cudaGetDeviceProperties(p, index), "cudaGetDeviceProperties(" + index + ")");
            return new GpuInfo(index, p.name().getString(), p.major(), p.minor(), p.totalGlobalMem(), p.multiProcessorCount());
        }
    }

    static void setDevice(int index) { check(cudaSetDevice(index), "cudaSetDevice(" + index + ")"); }

    /** A new stream that does not synchronise with the legacy default stream. */
    static CUstream_st createStream() {
        CUstream_st s = new CUstream_st();
        check(cudaStreamCreateWithFlags(s, cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
        return s;
    }

    static void synchronize(CUstream_st stream) { check(cudaStreamSynchronize(stream), "cudaStreamSynchronize"); }

    /** {@code cudaMalloc}, or 0 when the device is out of memory (the caching allocator then frees and retries). */
    static long malloc(long bytes) {
        Pointer p = new Pointer();
        int status = cudaMalloc(p, bytes);
        if (status == cudaErrorMemoryAllocation) {
            cudaGetLastError();
            return 0;
        }
        check(status, "cudaMalloc(" + bytes + " bytes)");
        return p.address();
    }

    static void free(long address) { check(cudaFree(new DevicePtr(address)), "cudaFree"); }

    /** Free and total bytes on the current device. */
    static long[] memInfo() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            check(cudaMemGetInfo(free, total), "cudaMemGetInfo");
            return new long[]{free.get(), total.get()};
        }
    }

    /** Host to device from a direct buffer, starting at its position; returns once the host bytes may be reused. */
    static void copyToDevice(long dst, ByteBuffer src, long bytes, CUstream_st stream) {
        check(cudaMemcpyAsync(new DevicePtr(dst), new Pointer(src), bytes, cudaMemcpyHostToDevice, stream),
                "cudaMemcpyAsync (host to device, " + bytes + " bytes)");
        // pageable host memory: the call returns once staged, but the stream is synchronised so that a
        // caller may free or rewrite the host buffer at once whatever the driver does
        synchronize(stream);
    }

    /** Device to host into a direct buffer at its position; waits for the stream, so the bytes are there on return. */
    static void copyToHost(ByteBuffer dst, long src, long bytes, CUstream_st stream) {
        check(cudaMemcpyAsync(new Pointer(dst), new DevicePtr(src), bytes, cudaMemcpyDeviceToHost, stream),
                "cudaMemcpyAsync (device to host, " + bytes + " bytes)");
        synchronize(stream);
    }

    static void copyOnDevice(long dst, long src, long bytes, CUstream_st stream) {
        check(cudaMemcpyAsync(new DevicePtr(dst), new DevicePtr(src), bytes, cudaMemcpyDeviceToDevice, stream),
                "cudaMemcpyAsync (device to device, " + bytes + " bytes)");
    }

    static void memsetZero(long dst, long bytes, CUstream_st stream) {
        check(cudaMemsetAsync(new DevicePtr(dst), 0, bytes, stream), "cudaMemsetAsync (" + bytes + " bytes)");
    }
}
