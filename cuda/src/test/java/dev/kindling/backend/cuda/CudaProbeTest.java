package dev.kindling.backend.cuda;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every way CUDA can be missing, through a fake of the native calls, gives one sentence that says what to do. */
class CudaProbeTest {
    /** A machine as described by its fields; each test breaks one thing. */
    static class FakeMachine implements CudaLibraries {
        LinkageError loadError;
        int driver = 13000, runtime = 13000;
        RuntimeException countError;
        List<GpuInfo> gpus = List.of(new GpuInfo(0, "NVIDIA H100 80GB HBM3", 9, 0, 80L << 30, 132));
        Set<Library> missing = EnumSet.noneOf(Library.class);

        @Override public void loadRuntime() { if (loadError != null) throw loadError; }
        @Override public int driverVersion() { return driver; }
        @Override public int runtimeVersion() { return runtime; }
        @Override public int deviceCount() {
            if (countError != null) throw countError;
            return gpus.size();
        }
        @Override public GpuInfo device(int index) { return gpus.get(index); }
        @Override public String version(Library library) {
            if (missing.contains(library)) throw new UnsatisfiedLinkError("no jni" + library.name().toLowerCase() + " in java.library.path: " + library.file);
            return library == Library.CUDNN ? "9.19.0" : "13.0.0";
        }
    }

    @Test
    void aWorkingMachineIsAvailableAndReported() {
        CudaProbe p = CudaProbe.run(new FakeMachine());
        assertTrue(p.available(), p.reason());
        assertNull(p.reason());
        assertEquals("13.0", p.runtime());
        String r = p.report();
        assertTrue(r.contains("cuBLAS 13.0.0") && r.contains("cuDNN 9.19.0") && r.contains("NVRTC 13.0.0"), r);
        assertTrue(r.contains("cuda:0 NVIDIA H100 80GB HBM3, compute capability 9.0, 80.0 GiB, 132 SMs"), r);
        assertTrue(r.endsWith("Device.cuda() runs on NVIDIA H100 80GB HBM3"), r);
    }

    @Test
    void missingRuntimeSaysWhereItLooked() {
        FakeMachine m = new FakeMachine();
        m.loadError = new UnsatisfiedLinkError("/root/.javacpp/cache/jnicudart.so: libcudart.so.13: cannot open shared object file");
        CudaProbe p = CudaProbe.run(m);
        assertFalse(p.available());
        assertTrue(p.reason().startsWith("the CUDA 13 runtime (libcudart.so.13) was not found; looked in LD_LIBRARY_PATH="), p.reason());
        assertTrue(p.reason().contains("/usr/local/cuda/lib64") && p.reason().contains("nvidia-cuda-runtime"), p.reason());
        assertFalse(p.reason().contains("UnsatisfiedLinkError"), p.reason());
        assertTrue(p.report().contains("CUDA runtime: not loaded"), p.report());
    }

    @Test
    void missingDriverLibrarySaysInstallTheDriver() {
        FakeMachine m = new FakeMachine();
        m.loadError = new UnsatisfiedLinkError("jnicudart.so: libcuda.so.1: cannot open shared object file: No such file or directory");
        assertTrue(CudaProbe.run(m).reason().startsWith("no NVIDIA driver: libcuda.so.1 was not found"));
    }

    @Test
    void missingBindingsAndOtherLoadFailuresAreNamed() {
        FakeMachine m = new FakeMachine();
        m.loadError = new NoClassDefFoundError("org/bytedeco/cuda/global/cudart");
        assertTrue(CudaProbe.run(m).reason().startsWith("the CUDA bindings are not on the class path"), CudaProbe.run(m).reason());
        m.loadError = new UnsatisfiedLinkError("no jnicudart in java.library.path");
        assertTrue(CudaProbe.run(m).reason().contains("no native library for linux") || !CudaProbe.platform().startsWith("linux"),
                CudaProbe.run(m).reason());
        // what JavaCPP really throws without a driver: a generic message, the missing library in the cause
        UnsatisfiedLinkError top = new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        top.initCause(new UnsatisfiedLinkError("/root/.javacpp/cache/.../libjnicudart.so: libcuda.so.1: cannot open shared object file"));
        m.loadError = top;
        assertTrue(CudaProbe.run(m).reason().startsWith("no NVIDIA driver: libcuda.so.1 was not found"), CudaProbe.run(m).reason());
        m.loadError = new UnsatisfiedLinkError("something else entirely\nsecond line");
        assertEquals("the CUDA runtime could not be loaded: UnsatisfiedLinkError: something else entirely", CudaProbe.run(m).reason());
    }

    @Test
    void driverProblemsAreTold() {
        FakeMachine m = new FakeMachine();
        m.driver = 0;
        assertTrue(CudaProbe.run(m).reason().startsWith("no NVIDIA driver is loaded"));
        m.driver = 12040;
        assertEquals("the NVIDIA driver is too old: it supports CUDA 12.4 but the CUDA runtime found is 13.0;"
                + " install driver 580 or newer for CUDA 13", CudaProbe.run(m).reason());
        m.driver = 13000;
        m.runtime = 13010; // minor version compatibility: a 13.0 driver runs a 13.1 runtime
        assertTrue(CudaProbe.run(m).available());
    }

    @Test
    void noGpuOrAnOldGpu() {
        FakeMachine m = new FakeMachine();
        m.gpus = List.of();
        assertTrue(CudaProbe.run(m).reason().startsWith("no CUDA GPU is visible"));
        m.countError = new CudaException("cudaGetDeviceCount: cudaErrorInsufficientDriver", 35);
        assertTrue(CudaProbe.run(m).reason().startsWith("the driver reports no usable GPU: cudaGetDeviceCount: cudaErrorInsufficientDriver"));
        m.countError = null;
        m.gpus = List.of(new GpuInfo(0, "Tesla P100", 6, 0, 16L << 30, 56));
        assertEquals("Tesla P100 has compute capability 6.0; CUDA 13 needs 7.5 (Turing) or newer", CudaProbe.run(m).reason());
    }

    @Test
    void aMissingRequiredLibraryBlocksAndAMissingCudnnOnlyShows() {
        FakeMachine m = new FakeMachine();
        m.missing.add(CudaLibraries.Library.CUDNN);
        CudaProbe p = CudaProbe.run(m);
        assertTrue(p.available(), p.reason());
        assertTrue(p.report().contains("cuDNN not found (libcudnn.so.9"), p.report());
        m.missing.add(CudaLibraries.Library.NVRTC);
        p = CudaProbe.run(m);
        assertFalse(p.available());
        assertTrue(p.reason().startsWith("NVRTC not found (libnvrtc.so.13"), p.reason());
        assertTrue(p.reason().contains("LD_LIBRARY_PATH"), p.reason());
    }

    @Test
    void versionsAndPlatformNames() {
        assertEquals("13.1", CudaProbe.version(13010));
        assertEquals("12.4", CudaProbe.version(12040));
        assertTrue(CudaProbe.platform().matches("[a-z]+-[a-z0-9_]+"), CudaProbe.platform());
    }
}
