package dev.kindling.backend.cuda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What was found of CUDA on this machine and whether {@code Device.cuda()} can run, decided once by
 * {@link #run}. Every failure becomes one sentence that says what was looked for, where, and what to do,
 * instead of a stack of {@link UnsatisfiedLinkError}s.
 *
 * @param available  true when the runtime, a driver new enough for it, a GPU and the required libraries are there
 * @param reason     why not (null when available)
 * @param runtime    the libcudart version found, e.g. "13.0", or null
 * @param driver     the CUDA version the driver supports, e.g. "13.0", or null
 * @param gpus       the GPUs the driver reports (empty when none or not asked)
 * @param libraries  each accelerated library's version, or why it is missing (only when the runtime loaded)
 */
record CudaProbe(boolean available, String reason, String runtime, String driver, List<GpuInfo> gpus,
                 Map<CudaLibraries.Library, String> libraries) {
    /** CUDA 13 dropped GPUs older than Turing. */
    static final int MIN_MAJOR_CC = 7, MIN_MINOR_CC = 5;
    /** The CUDA major version the bindings (org.bytedeco:cuda 13.1) were built for. */
    static final int CUDA_MAJOR = 13;

    private static CudaProbe unavailable(String reason, String runtime, String driver, List<GpuInfo> gpus,
                                         Map<CudaLibraries.Library, String> libs) {
        return new CudaProbe(false, reason, runtime, driver, gpus, libs);
    }

    /** Probes with {@code libs}; never throws. */
    static CudaProbe run(CudaLibraries libs) {
        String platform = platform();
        if (!platform.equals("linux-x86_64") && !platform.equals("linux-arm64") && !platform.equals("windows-x86_64")) {
            return unavailable("CUDA is not supported on " + platform + " (NVIDIA's CUDA 13 runs on linux-x86_64,"
                    + " linux-arm64 and windows-x86_64)", null, null, List.of(), Map.of());
        }
        try {
            libs.loadRuntime();
        } catch (LinkageError | RuntimeException e) {
            return unavailable(loadFailure(e, platform), null, null, List.of(), Map.of());
        }
        int runtimeVersion = libs.runtimeVersion(), driverVersion = libs.driverVersion();
        String runtime = version(runtimeVersion), driver = driverVersion == 0 ? null : version(driverVersion);
        if (driverVersion == 0) {
            return unavailable("no NVIDIA driver is loaded (cudaDriverGetVersion returned 0): install the NVIDIA driver,"
                    + " or in a container expose the GPU (docker run --gpus all)", runtime, null, List.of(), Map.of());
        }
        if (driverVersion / 1000 < runtimeVersion / 1000) {
            return unavailable("the NVIDIA driver is too old: it supports CUDA " + driver + " but the CUDA runtime found is "
                    + runtime + "; install driver 580 or newer for CUDA " + runtimeVersion / 1000, runtime, driver, List.of(), Map.of());
        }
        int count;
        try {
            count = libs.deviceCount();
        } catch (CudaException e) {
            return unavailable("the driver reports no usable GPU: " + e.getMessage() + visibleDevices(), runtime, driver, List.of(), Map.of());
        }
        if (count == 0) return unavailable("no CUDA GPU is visible" + visibleDevices(), runtime, driver, List.of(), Map.of());
        List<GpuInfo> gpus = new ArrayList<>();
        for (int i = 0; i < count; i++) gpus.add(libs.device(i));
        Map<CudaLibraries.Library, String> versions = new LinkedHashMap<>();
        String missing = null;
        for (CudaLibraries.Library lib : CudaLibraries.Library.values()) {
            try {
                versions.put(lib, lib.title + " " + libs.version(lib));
            } catch (LinkageError | RuntimeException e) {
                String why = lib.title + " not found (" + lib.file + ": " + firstLine(e) + ")";
                versions.put(lib, why);
                if (lib.required && missing == null) missing = why + searchHint();
            }
        }
        if (missing != null) return unavailable(missing, runtime, driver, gpus, versions);
        boolean anyNewEnough = gpus.stream().anyMatch(g -> g.major() > MIN_MAJOR_CC || g.major() == MIN_MAJOR_CC && g.minor() >= MIN_MINOR_CC);
        if (!anyNewEnough) {
            GpuInfo g = gpus.get(0);
            return unavailable(g.name() + " has compute capability " + g.major() + "." + g.minor() + "; CUDA " + CUDA_MAJOR
                    + " needs " + MIN_MAJOR_CC + "." + MIN_MINOR_CC + " (Turing) or newer", runtime, driver, gpus, versions);
        }
        return new CudaProbe(true, null, runtime, driver, List.copyOf(gpus), versions);
    }

    /**
     * Turns a loader failure into what is missing and where it was looked for. JavaCPP reports "no jnicudart in
     * java.library.path" on top and the real dlopen error (the dependency that is missing) as the cause, so the
     * whole chain is read.
     */
    static String loadFailure(Throwable e, String platform) {
        StringBuilder all = new StringBuilder();
        Throwable deepest = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
            deepest = c;
        }
        String msg = all.toString();
        if (msg.contains("libcuda.so") || msg.contains("nvcuda")) {
            return "no NVIDIA driver: libcuda.so.1 was not found (install the NVIDIA driver; in a container expose the GPU,"
                    + " e.g. docker run --gpus all)";
        }
        if (msg.contains("libcudart") || msg.contains("cudart64")) {
            return "the CUDA " + CUDA_MAJOR + " runtime (libcudart.so." + CUDA_MAJOR + ") was not found" + searchHint();
        }
        if (e instanceof NoClassDefFoundError && !msg.contains("Could not initialize")) {
            return "the CUDA bindings are not on the class path (" + firstLine(e) + "): add org.bytedeco:cuda"
                    + " and its " + platform + " native jar, which kindling-cuda brings along";
        }
        if (e.getCause() == null && msg.startsWith("no jni")) {
            return "the CUDA bindings have no native library for " + platform + " on the class path (org.bytedeco:cuda:"
                    + "<version>:" + platform + "): " + firstLine(e);
        }
        return "the CUDA runtime could not be loaded: " + deepest.getClass().getSimpleName() + ": " + firstLine(deepest);
    }

    private static String searchHint() {
        return "; looked in LD_LIBRARY_PATH=" + env("LD_LIBRARY_PATH") + ", java.library.path="
                + System.getProperty("java.library.path", "") + " and /usr/local/cuda/lib64. Install CUDA " + CUDA_MAJOR
                + " (or pip install nvidia-cuda-runtime nvidia-cublas nvidia-cuda-nvrtc) and add its lib folder to LD_LIBRARY_PATH";
    }

    private static String visibleDevices() {
        String v = System.getenv("CUDA_VISIBLE_DEVICES");
        return v == null ? "" : " (CUDA_VISIBLE_DEVICES=" + v + ")";
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? "(unset)" : v;
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** 13010 as "13.1". */
    static String version(int v) { return v / 1000 + "." + v % 1000 / 10; }

    /** JavaCPP's platform name for this JVM: {@code linux-x86_64}, {@code macosx-arm64}, ... */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch;
        return o + "-" + a;
    }

    /** The report for {@code Kindling.doctor()}: one line per finding. */
    String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("CUDA runtime: ").append(runtime == null ? "not loaded" : "libcudart " + runtime).append('\n');
        sb.append("NVIDIA driver: ").append(driver == null ? "not found" : "supports CUDA " + driver).append('\n');
        for (String lib : libraries.values()) sb.append(lib).append('\n');
        if (gpus.isEmpty()) sb.append("GPUs: none found\n");
        for (GpuInfo g : gpus) sb.append("GPU ").append(g.describe()).append('\n');
        sb.append(available ? "Device.cuda() runs on " + gpus.get(0).name() : "Device.cuda() is not usable: " + reason);
        return sb.toString();
    }
}
