package dev.kindling;

import dev.kindling.backend.Backends;

import java.util.Locale;

/**
 * Says what Kindling found on this machine and what it uses, and why: Java, the CPU's BLAS and oneDNN,
 * and CUDA (runtime, driver, cuBLAS, cuDNN, NVRTC, the GPUs with compute capability and memory). The text of
 * {@link Kindling#doctor()}; run it as a program to check a machine before training:
 *
 * <pre>{@code java -cp "kindling-engine.jar:kindling-cuda.jar:..." dev.kindling.Doctor}</pre>
 */
public final class Doctor {
    private Doctor() {}

    /** Prints {@link Kindling#doctor()}. */
    public static void main(String[] args) {
        System.out.println(report());
    }

    static String report() {
        StringBuilder sb = new StringBuilder("Kindling doctor\n");
        Runtime rt = Runtime.getRuntime();
        line(sb, "Java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", " + rt.availableProcessors() + " CPUs, max heap " + gib(rt.maxMemory()));
        String blas = Kindling.nativeBlasStatus();
        String openblas = bindingVersion("org.bytedeco.openblas.global.openblas_nolapack");
        line(sb, "BLAS", (Kindling.nativeBlas() ? "OpenBLAS " + openblas : blas) + "; CPU kernels and products use "
                + Kindling.getNumThreads() + " thread(s) (Kindling.setNumThreads), OpenBLAS itself runs single-threaded");
        line(sb, "Products", dev.kindling.backend.cpu.CpuBackend.matmulKernels());
        line(sb, "oneDNN", Kindling.convKernels());
        line(sb, "Vector API", dev.kindling.backend.cpu.CpuBackend.vectorKernels());
        line(sb, "Scalar kernels", dev.kindling.backend.cpu.CpuBackend.scalarKernels());
        line(sb, "Native memory", dev.kindling.backend.cpu.CpuBackend.nativeMemory());
        sb.append("CUDA:\n");
        for (String l : Backends.describe(Device.Type.CUDA).split("\n")) sb.append("  ").append(l).append('\n');
        String why = Backends.unavailableReason(Device.Type.CUDA);
        line(sb, "GPU", why == null
                ? "used for tensors on Device.cuda() (" + Kindling.deviceCount() + " device(s)); tensors stay on the CPU"
                        + " unless moved there with .to(Device.cuda())"
                : "not used: " + why);
        return sb.toString().stripTrailing();
    }

    private static void line(StringBuilder sb, String what, String text) { sb.append(what).append(": ").append(text).append('\n'); }

    private static String gib(long bytes) { return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30)); }

    /** The version in a bytedeco binding's jar manifest ("0.3.31-1.5.13"), without loading any native code. */
    private static String bindingVersion(String className) {
        try {
            String v = Class.forName(className, false, Doctor.class.getClassLoader()).getPackage().getImplementationVersion();
            return v == null ? "(version unknown)" : v.replaceFirst("-(\\d+\\.\\d+\\.\\d+)$", " (bytedeco $1)");
        } catch (ClassNotFoundException | LinkageError e) {
            return "(bindings not on the class path)";
        }
    }
}
