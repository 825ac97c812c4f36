package dev.kindling;

import dev.kindling.backend.Backends;
import dev.kindling.backend.cpu.CpuBackend;
import dev.kindling.memory.MemoryStats;

import java.util.List;

/**
 * Global switches, as in the {@code torch} module: seeding, grad mode, memory scopes, threads, devices.
 *
 * <pre>{@code
 * Kindling.manualSeed(42);
 * try (var off = Kindling.noGrad()) { accuracy = evaluate(model); }
 * }</pre>
 */
public final class Kindling {
    private static final Generator DEFAULT = new Generator(67280421310721L);
    private static volatile DType defaultDType = DType.FLOAT32;
    private static volatile boolean allowTf32;

    private Kindling() {}

    /** A restorer of some thread-local mode; closing it puts the previous mode back. */
    @FunctionalInterface
    public interface Guard extends AutoCloseable {
        @Override void close();
    }

    /**
     * Opens an automatic mixed precision region on this thread ({@code torch.autocast(device_type, dtype)}): see
     * {@link Autocast}. On the CPU the dtype is BFLOAT16; on CUDA FLOAT16 or BFLOAT16.
     */
    public static Autocast autocast(Device device, DType dtype) { return new Autocast(device, dtype, true); }

    /** {@code torch.autocast(device_type, dtype, enabled=...)}: {@code enabled = false} turns autocast off inside. */
    public static Autocast autocast(Device device, DType dtype, boolean enabled) { return new Autocast(device, dtype, enabled); }

    /** {@code torch.autocast(device_type)} with the device's default dtype: BFLOAT16 on the CPU, FLOAT16 on CUDA. */
    public static Autocast autocast(Device device) {
        return new Autocast(device, device.type() == Device.Type.CPU ? DType.BFLOAT16 : DType.FLOAT16, true);
    }

    /** {@code torch.is_autocast_enabled()} for {@code device}'s type, on this thread. */
    public static boolean isAutocastEnabled(Device device) { return Autocast.isEnabled(device); }

    /** Seeds the default generator so that runs are reproducible ({@code torch.manual_seed}). */
    public static void manualSeed(long seed) { DEFAULT.manualSeed(seed); }

    /** The generator behind {@code Tensor.rand/randn/randint/randperm} and nn initialisation. */
    public static Generator defaultGenerator() { return DEFAULT; }

    /** The dtype that float literals and {@code rand} produce: FLOAT32 unless changed. */
    public static DType defaultDType() { return defaultDType; }

    /** {@code torch.set_default_dtype}: FLOAT32 or FLOAT64. */
    public static void setDefaultDType(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("setDefaultDType: only floating point dtypes are allowed, got " + dtype);
        }
        defaultDType = dtype;
    }

    /** Stops recording the autograd tape on this thread until closed ({@code torch.no_grad()}). Nestable. */
    public static Guard noGrad() { return GradMode.set(false); }

    /** Re-enables recording inside a {@link #noGrad()} block ({@code torch.enable_grad()}). */
    public static Guard enableGrad() { return GradMode.set(true); }

    /** Same as {@link #noGrad()} here ({@code torch.inference_mode()}). */
    public static Guard inferenceMode() { return GradMode.set(false); }

    /** Whether ops on this thread are being recorded. */
    public static boolean isGradEnabled() { return GradMode.isEnabled(); }

    /** Names the op whose backward produced NaN or Inf, at a cost, until closed ({@code torch.autograd.detect_anomaly}). */
    public static Guard detectAnomaly() { return GradMode.setAnomaly(true); }

    /**
     * Gradients of {@code outputs} with respect to {@code inputs} without touching {@code .grad}
     * ({@code torch.autograd.grad}). With {@code createGraph} the result is itself differentiable.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        Tensor[] outs = outputs.toArray(new Tensor[0]);
        Tensor[] gs = new Tensor[outs.length];
        for (int i = 0; i < outs.length; i++) {
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                if (outs[i].numel() != 1) {
                    throw new IllegalStateException("grad: grad can be implicitly created only for scalar outputs; output "
                            + i + " has shape " + java.util.Arrays.toString(outs[i].shape()));
                }
                g = Tensor.onesLike(outs[i]);
            }
            gs[i] = g;
        }
        return java.util.Arrays.asList(Engine.run(outs, gs, retainGraph || createGraph, createGraph,
                inputs.toArray(new Tensor[0]), allowUnused));
    }

    /** {@code torch.autograd.grad(output, inputs)} for a scalar output. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(List.of(output), inputs, null, false, false, false);
    }

    /** {@code torch.autograd.grad(output, inputs, create_graph=True)} for higher-order derivatives. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), inputs, null, createGraph, createGraph, false);
    }

    /** Opens a memory scope on this thread; see {@link Scope}. */
    public static Scope scope() { return new Scope(); }

    /** Threads for CPU kernels and OpenBLAS ({@code torch.set_num_threads}). */
    public static void setNumThreads(int threads) { Backends.cpu().setNumThreads(threads); }

    /** Number of threads the CPU backend uses for intra-op parallelism ({@code torch.get_num_threads}). */
    public static int getNumThreads() { return Backends.cpu().numThreads(); }

    /** True when a CUDA backend is installed and a GPU is usable. */
    public static boolean cudaAvailable() { return Backends.available(Device.Type.CUDA); }

    /** Number of usable CUDA GPUs ({@code torch.cuda.device_count()}): 0 without a CUDA backend or GPU. */
    public static int deviceCount() { return Backends.deviceCount(Device.Type.CUDA); }

    /**
     * What Kindling found on this machine and uses: Java, the CPU's BLAS and oneDNN, CUDA (runtime, driver,
     * cuBLAS, cuDNN, NVRTC, GPUs) and why a GPU is or is not used. Also a program:
     * {@code java -cp ... dev.kindling.Doctor}.
     *
     * <pre>{@code System.out.println(Kindling.doctor());}</pre>
     */
    public static String doctor() { return Doctor.report(); }

    /**
     * {@code torch.backends.cuda.matmul.allow_tf32}: lets float32 matrix products on CUDA use TF32 tensor cores
     * (10-bit mantissa inputs, float32 accumulation; several times faster on Ampere and newer). Off by default,
     * as in PyTorch; the CPU ignores it.
     */
    public static void setAllowTf32(boolean allow) { allowTf32 = allow; }

    /** Whether float32 products on CUDA may use TF32 ({@link #setAllowTf32}). */
    public static boolean allowTf32() { return allowTf32; }

    /**
     * Allocator statistics of {@code device} ({@code torch.cuda.memory_stats(device)}): on CUDA, live bytes are
     * {@code memory_allocated}, live plus pooled {@code memory_reserved} ({@link MemoryStats#reservedBytes()}), and
     * the peak {@code max_memory_allocated}.
     */
    public static MemoryStats memoryStats(Device device) { return Backends.of(device).memoryStats(); }

    /** Returns {@code device}'s cached blocks to its driver ({@code torch.cuda.empty_cache()} for a CUDA device). */
    public static void emptyCache(Device device) { Backends.of(device).emptyCache(); }

    /** Restarts {@code device}'s peak statistic from its current live bytes ({@code torch.cuda.reset_peak_memory_stats}). */
    public static void resetPeakMemory(Device device) { Backends.of(device).resetPeakMemory(); }

    /** CPU allocator statistics: live, peak and pooled bytes. */
    public static MemoryStats memoryStats() { return Backends.cpu().memoryStats(); }

    /** Resets the peak memory statistic of the CPU backend, like {@code torch.cuda.reset_peak_memory_stats}. */
    public static void resetPeakMemory() { Backends.cpu().resetPeakMemory(); }

    /** Returns pooled (free) memory to the operating system. */
    public static void emptyCache() { Backends.cpu().emptyCache(); }

    /** True when matmul runs on OpenBLAS; false means the Java fallback (see {@link #nativeBlasStatus()}). */
    public static boolean nativeBlas() { return Backends.cpu().nativeBlas(); }

    /** "OpenBLAS" or why it is off. */
    public static String nativeBlasStatus() {
        String failure = CpuBackend.nativeBlasFailure();
        return failure == null ? "OpenBLAS" : "Java fallback (" + failure + ")";
    }

    /**
     * Which kernels convolution runs on, for example {@code "oneDNN 3.11.0 (avx512_core, ...) for float32, im2col +
     * gemm for float64"}, or {@code "im2col + gemm (oneDNN off: <why>)"} where oneDNN cannot load on this platform
     * or {@code -Dkindling.disableOneDnn=true} turned it off. Decided once, when the engine starts.
     */
    public static String convKernels() { return Backends.cpu().convKernels(); }

    /**
     * Scales the gradients of {@code params} so that their joint 2-norm is at most {@code maxNorm}
     * ({@code torch.nn.utils.clip_grad_norm_}); returns the total norm before clipping.
     *
     * <pre>{@code
     * loss.backward();
     * Kindling.clipGradNorm(net.parameters(), 1.0);
     * opt.step();
     * }</pre>
     */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm) {
        return GradClip.clipGradNorm(params, maxNorm, 2.0, false);
    }

    /** {@link #clipGradNorm(Iterable, double)} with any p-norm, {@code Double.POSITIVE_INFINITY} for the max norm. */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType) {
        return GradClip.clipGradNorm(params, maxNorm, normType, false);
    }

    /** With {@code errorIfNonfinite}, throws instead of scaling when the total norm is NaN or infinite. */
    public static Tensor clipGradNorm(Iterable<? extends Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        return GradClip.clipGradNorm(params, maxNorm, normType, errorIfNonfinite);
    }

    /** Clamps every gradient of {@code params} to {@code [-clipValue, clipValue]} in place ({@code clip_grad_value_}). */
    public static void clipGradValue(Iterable<? extends Tensor> params, double clipValue) {
        GradClip.clipGradValue(params, clipValue);
    }
}
