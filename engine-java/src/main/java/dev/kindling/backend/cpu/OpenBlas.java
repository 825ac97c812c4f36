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

    /**
     * The sum of {@code |x|} over {@code n} floats from {@code off}, by OpenBLAS's vector kernel: NaN when one is NaN,
     * infinity when one is infinite (or the sum overflows), so a finite result means every value is finite.
     */
    static float sasum(FloatBuffer x, int off, int n) {
        checkRange("sasum", x, off, n);
        return n == 0 ? 0f : openblas_nolapack.cblas_sasum(n, at(x, off), 1);
    }

    /** The largest {@code |x|} over {@code n} floats from {@code off}: NaN or infinity as {@link #sasum} gives them. */
    static float maxAbs(FloatBuffer x, int off, int n) {
        float sum = sasum(x, off, n);
        if (n == 0 || !Float.isFinite(sum)) return sum;
        return Math.abs(x.get(off + (int) openblas_nolapack.cblas_isamax(n, at(x, off), 1)));
    }

    /** {@code x . y} over {@code n} floats from the offsets (contiguous), accumulated by OpenBLAS's vector kernel. */
    static float sdot(FloatBuffer x, int offX, FloatBuffer y, int offY, int n) {
        checkRange("sdot", x, offX, n);
        checkRange("sdot", y, offY, n);
        return n == 0 ? 0f : openblas_nolapack.cblas_sdot(n, at(x, offX), 1, at(y, offY), 1);
    }

    private static void checkRange(String op, FloatBuffer x, int off, int n) {
        if (n < 0 || off < 0 || (long) off + n > x.capacity()) {
            throw new IllegalArgumentException(op + ": " + n + " floats from " + off + " exceed the buffer of " + x.capacity());
        }
    }

    /** Row-major {@code C = A @ B} where A is MxK and B is KxN, each possibly transposed in memory. */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      FloatBuffer a, int offA, int lda, FloatBuffer b, int offB, int ldb,
                      float beta, FloatBuffer c, int offC, int ldc) {
        checkGemm("sgemm", transA, transB, m, n, k, a.capacity(), offA, lda, b.capacity(), offB, ldb, c.capacity(), offC, ldc);
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1f, at(a, offA), lda, at(b, offB), ldb, beta, at(c, offC), ldc);
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      DoubleBuffer a, int offA, int lda, DoubleBuffer b, int offB, int ldb,
                      double beta, DoubleBuffer c, int offC, int ldc) {
        checkGemm("dgemm", transA, transB, m, n, k, a.capacity(), offA, lda, b.capacity(), offB, ldb, c.capacity(), offC, ldc);
        openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, 1.0, at(a, offA), lda, at(b, offB), ldb, beta, at(c, offC), ldc);
    }

    /**
     * Native code does no bounds checks: a size or offset that reaches past a buffer reads or writes other
     * memory, or kills the JVM. So every call is checked here, in longs, against the buffers' capacities,
     * whatever the layers above have validated already.
     */
    static void checkGemm(String op, boolean transA, boolean transB, int m, int n, int k,
                          long capA, int offA, int lda, long capB, int offB, int ldb, long capC, int offC, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": negative size m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix(op, "A", transA ? k : m, transA ? m : k, capA, offA, lda);
        checkMatrix(op, "B", transB ? n : k, transB ? k : n, capB, offB, ldb);
        checkMatrix(op, "C", m, n, capC, offC, ldc);
    }

    /** A row-major {@code rows x cols} matrix at {@code off} with leading dimension {@code ld} lies inside {@code cap}. */
    private static void checkMatrix(String op, String name, int rows, int cols, long cap, int off, int ld) {
        if (rows == 0 || cols == 0) return;
        long end = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || ld < Math.max(1, cols) || end > cap) {
            throw new IllegalArgumentException(op + ": matrix " + name + " (" + rows + " x " + cols + " at offset " + off
                    + ", leading dimension " + ld + ") does not lie inside its buffer of " + cap + " elements");
        }
    }

    // JavaCPP passes a direct buffer's address plus its position, so a duplicate positioned at the offset
    // hands OpenBLAS a pointer into our memory without copying
    static FloatBuffer at(FloatBuffer b, int off) { return b.duplicate().position(off); }

    private static DoubleBuffer at(DoubleBuffer b, int off) { return b.duplicate().position(off); }
}
