package dev.kindling.backend.cpu;

import dev.kindling.backend.TernaryOp;

/**
 * The loops of {@link TernaryOp}, written in the rounding order of PyTorch's vectorised CPU kernels
 * (GCC contracts {@code a + b * c} into an FMA there, and {@code Math.fma} is an intrinsic here).
 * Results overwrite {@code s}.
 */
final class FusedMath {
    private FusedMath() {}

    static void ternaryF(TernaryOp op, float[] s, float[] a, float[] b, float value, int n) {
        switch (op) {
            case AXPY -> { for (int i = 0; i < n; i++) s[i] = Math.fma(a[i], value, s[i]); }
            case ADDCMUL -> { for (int i = 0; i < n; i++) s[i] = Math.fma(value * a[i], b[i], s[i]); }
            case ADDCDIV -> { for (int i = 0; i < n; i++) s[i] = s[i] + value * a[i] / b[i]; }
        }
    }

    static void ternaryD(TernaryOp op, double[] s, double[] a, double[] b, double value, int n) {
        switch (op) {
            case AXPY -> { for (int i = 0; i < n; i++) s[i] = Math.fma(a[i], value, s[i]); }
            case ADDCMUL -> { for (int i = 0; i < n; i++) s[i] = Math.fma(value * a[i], b[i], s[i]); }
            case ADDCDIV -> { for (int i = 0; i < n; i++) s[i] = s[i] + value * a[i] / b[i]; }
        }
    }
}
