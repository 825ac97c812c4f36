package dev.kindling.backend.cuda;

import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

import static org.bytedeco.cuda.global.nvrtc.*;

/**
 * The only class that calls NVRTC: compiles generated kernels to CUBIN for the device's own architecture
 * ({@code sm_90}), so the driver never has to JIT PTX (which fails when NVRTC is newer than the driver).
 */
final class Nvrtc implements KernelCompiler {
    static final Nvrtc INSTANCE = new Nvrtc();

    private Nvrtc() {}

    /** Loads libnvrtc and returns its version, e.g. "13.0". */
    static String load() {
        Loader.load(org.bytedeco.cuda.global.nvrtc.class);
        int[] major = {0}, minor = {0};
        check(nvrtcVersion(major, minor), "nvrtcVersion");
        return major[0] + "." + minor[0];
    }

    private static void check(int status, String call) {
        if (status != NVRTC_SUCCESS) throw new CudaException(call + ": " + nvrtcGetErrorString(status).getString(), status);
    }

    @Override public String version() { return "nvrtc-" + load(); }

    @Override public byte[] compile(KernelSource source, String arch) {
        _nvrtcProgram prog = new _nvrtcProgram();
        try (BytePointer code = new BytePointer(source.code()); BytePointer name = new BytePointer(source.name() + ".cu")) {
            check(nvrtcCreateProgram(prog, code, name, 0, (PointerPointer<?>) null, (PointerPointer<?>) null), "nvrtcCreateProgram");
        }
        try (PointerPointer<?> opts = new PointerPointer<>("--gpu-architecture=" + arch, "--std=c++17")) {
            int status = nvrtcCompileProgram(prog, 2, opts);
            if (status != NVRTC_SUCCESS) {
                throw new CudaException("NVRTC could not compile kernel " + source.name() + " for " + arch + ": "
                        + nvrtcGetErrorString(status).getString() + "\n" + log(prog) + "\n" + numbered(source.code()), status);
            }
            try (SizeTPointer size = new SizeTPointer(1)) {
                check(nvrtcGetCUBINSize(prog, size), "nvrtcGetCUBINSize");
                byte[] image = new byte[Math.toIntExact(size.get())];
                check(nvrtcGetCUBIN(prog, image), "nvrtcGetCUBIN");
                return image;
            }
        } finally {
            nvrtcDestroyProgram(prog);
        }
    }

    private static String log(_nvrtcProgram prog) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            if (nvrtcGetProgramLogSize(prog, size) != NVRTC_SUCCESS || size.get() <= 1) return "(no log)";
            byte[] b = new byte[Math.toIntExact(size.get())];
            nvrtcGetProgramLog(prog, b);
            return new String(b, 0, b.length - 1, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The source with line numbers, so the log's line references can be read in the error. */
    static String numbered(String code) {
        StringBuilder sb = new StringBuilder();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) sb.append(String.format("%4d  %s%n", i + 1, lines[i]));
        return sb.toString();
    }
}
