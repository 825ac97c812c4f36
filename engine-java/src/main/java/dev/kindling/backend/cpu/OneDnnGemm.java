package dev.kindling.backend.cpu;

import org.bytedeco.dnnl.global.dnnl;

import java.nio.FloatBuffer;

/**
 * Float32 products on oneDNN's {@code dnnl_sgemm}, where it beats OpenBLAS. Measured single-threaded on the
 * benchmark machine (Xeon with AVX-512), oneDNN 3.11 against bytedeco's OpenBLAS 0.3.31: 1.15-1.5x faster from about
 * 2^20 multiply-adds up (the MLP's 64x256x784 piece 206 -> 158 us, 64x784x512 497 -> 327 us, 512x1024x1024 6.8 -> 6.2
 * ms), even or slower below (64^3 3.1 against 3.5 us, 64x10x256 2.9 against 4.8). Both are float32 gemms with
 * float32 accumulation; their blocking differs, so products differ from OpenBLAS's in the last bits, as any two
 * BLAS libraries do (PyTorch's own results depend on which one it was built with).
 *
 * <p>Threads stay Kindling's: {@link Gemm} splits a product over its pool and each piece runs here on one thread, with
 * OpenMP told so on that thread ({@code omp_set_num_threads(1)}), as OpenBLAS runs single-threaded. Products stay on
 * OpenBLAS where that cannot be set, where oneDNN did not load, with {@code -Dkindling.oneDnnGemm=false}, and on CPUs
 * without AVX-512, where the comparison was not measured ({@code -Dkindling.oneDnnGemm=true} turns it on there).
 */
final class OneDnnGemm {
    private OneDnnGemm() {}

    /** Multiply-adds from which a product (or one thread's piece of it) goes to oneDNN. */
    static final long MIN_WORK = 1L << 20;
    /** Below this in any dimension OpenBLAS's small-matrix kernels win (64x10x256: 2.9 against 4.8 us). */
    static final int MIN_SIDE = 16;

    /**
     * Decided on the first product large enough to ask: a program that only multiplies small matrices (the 10-5-2 seed
     * model) never loads oneDNN for it (~130 ms and ~60 MiB).
     */
    private static final class State {
        static final String SETTING = System.getProperty("kindling.oneDnnGemm", "");
        static final String WHY_NOT = "false".equals(SETTING) ? "-Dkindling.oneDnnGemm=false"
                : !OneDnn.available() ? "oneDNN off: " + OneDnn.failure()
                : !OmpThreads.bound() ? "OpenMP's thread count cannot be set here"
                : !OneDnn.avx512() && !"true".equals(SETTING)
                        ? "measured faster on AVX-512 CPUs only; -Dkindling.oneDnnGemm=true to use it here" : null;
    }

    static boolean on() { return State.WHY_NOT == null; }

    /** Why products stay on OpenBLAS, or null when large ones run here. */
    static String whyNot() { return State.WHY_NOT; }

    /** Whether an {@code m x n x k} float32 product runs here. */
    static boolean takes(int m, int n, int k) {
        return (long) m * n * k >= MIN_WORK && Math.min(m, Math.min(n, k)) >= MIN_SIDE && on();
    }

    /** {@code C = op(A) @ op(B) + beta * C}, row-major, as {@link OpenBlas#sgemm}, on the calling thread alone. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      FloatBuffer a, int offA, int lda, FloatBuffer b, int offB, int ldb,
                      float beta, FloatBuffer c, int offC, int ldc) {
        OpenBlas.checkGemm("sgemm", transA, transB, m, n, k, a.capacity(), offA, lda, b.capacity(), offB, ldb,
                c.capacity(), offC, ldc);
        OmpThreads.match(1);
        int status = dnnl.dnnl_sgemm((byte) (transA ? 'T' : 'N'), (byte) (transB ? 'T' : 'N'), m, n, k, 1f,
                OpenBlas.at(a, offA), lda, OpenBlas.at(b, offB), ldb, beta, OpenBlas.at(c, offC), ldc);
        // the message only on failure: built on every call, its concatenation was most of this path's compiled code
        if (status != dnnl.dnnl_success) OneDnn.check(status, "dnnl_sgemm " + m + "x" + n + "x" + k);
    }
}
