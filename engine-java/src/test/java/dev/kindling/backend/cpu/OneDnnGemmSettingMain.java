package dev.kindling.backend.cpu;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

/**
 * Prints which library multiplies what, then one figure of a product large enough for oneDNN's sgemm;
 * {@link OneDnnGemmTest} runs it in JVMs started with other settings.
 */
public final class OneDnnGemmSettingMain {
    private OneDnnGemmSettingMain() {}

    public static void main(String[] args) {
        System.out.println(CpuBackend.matmulKernels());
        System.out.println(figure());
    }

    /** The sum of |x @ w^T| for seeded 64x784 and 512x784 operands. */
    static double figure() {
        Kindling.manualSeed(7);
        Tensor x = Tensor.randn(64, 784), w = Tensor.randn(512, 784);
        return x.matmul(w.t()).abs().sum().item();
    }
}
