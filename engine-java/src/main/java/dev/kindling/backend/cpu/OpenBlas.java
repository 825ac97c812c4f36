package dev.kindling.backend.cpu;

import org.bytedeco.openblas.global.openblas_nolapack;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.logging.Logger;

/**
 * The only class that touches OpenBLAS. Loading is attempted once; when the native library is missing
 * for this platform, {@link #available()} is false, the reason is logged once, and callers use
 * {@link JavaGemm} instead.
 */
final class OpenBlas {
    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    private static final String FAILURE = load();

    private OpenBlas() {}

    private static String load() {
        if (Boolean.getBoolean("kindling.disableOpenBlas")) {
            return "disabled by -Dkindling.disableOpenBlas=true";
        }
        try {
            org.bytedeco.javacpp.Loader.load(openblas_nolapack.class);
            return null;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
            String why = t.getClass().getSimpleName() + ": " + t.getMessage();
            LOG.warning("kindling: OpenBLAS could not be loaded (" + why + "); matmul falls back to a"
                    + " slower Java implementation. See docs/troubleshooting.md.");
            return why;
        }
    }

    static boolean available() { return FAILURE == null; }

    /** Why the native path is off, or null when it is on. */
    static String failure() { return FAILURE; }

    /**
     * OpenBLAS always runs single-threaded: {@link Gemm} splits large products over Kindling's own pool.
     * Two pools on the same cores fight: OpenBLAS's idle workers spin after each call while our elementwise
     * kernels need the cores (measured: 2-thread OpenBLAS next to a busy pool ran 20x slower).
     */
    static void setThreads(int ignored) {
        if (available()) org.bytedeco.openblas.presets.openblas_nolapack.blas_set_num_threads(1);
    }

    /** Row-major {@code C = A @ B} where A is MxK and B is KxN, each possibly transposed in memory. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      FloatBuffer a, int offA, int lda, FloatBuffer b, int offB, int ldb,
                      float beta, FloatBuffer c, int offC, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1f, at(a, offA), lda, at(b, offB), ldb, beta, at(c, offC), ldc);
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      DoubleBuffer a, int offA, int lda, DoubleBuffer b, int offB, int ldb,
                      double beta, DoubleBuffer c, int offC, int ldc) {
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1.0, at(a, offA), lda, at(b, offB), ldb, beta, at(c, offC), ldc);
    }

    // JavaCPP passes a direct buffer's address plus its position, so a duplicate positioned at the offset
    // hands OpenBLAS a pointer into our memory without copying
    private static FloatBuffer at(FloatBuffer b, int off) { return b.duplicate().position(off); }

    private static DoubleBuffer at(DoubleBuffer b, int off) { return b.duplicate().position(off); }
}
