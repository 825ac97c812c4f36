package dev.kindling.backend.cuda;

/**
 * What the driver says about one GPU.
 *
 * @param index           the CUDA device index ({@code Device.cuda(index)})
 * @param name            the product name, e.g. "NVIDIA H100 80GB HBM3"
 * @param major           compute capability, major part (9 for Hopper)
 * @param minor           compute capability, minor part
 * @param totalMemory     device memory in bytes
 * @param multiprocessors number of streaming multiprocessors
 */
record GpuInfo(int index, String name, int major, int minor, long totalMemory, int multiprocessors) {
    /** The compute capability as NVRTC's architecture name: {@code sm_90}. */
    String arch() { return "sm_" + major + minor; }

    /** One line for reports: {@code cuda:0 NVIDIA H100 80GB HBM3, compute capability 9.0, 79.1 GiB, 132 SMs}. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "cuda:%d %s, compute capability %d.%d, %.1f GiB, %d SMs",
                index, name, major, minor, totalMemory / (double) (1L << 30), multiprocessors);
    }
}
