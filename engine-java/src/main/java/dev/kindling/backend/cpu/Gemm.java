package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * Batched matmul. Each matrix operand is handed to BLAS as it lies in memory when its layout allows
 * (row-major, or transposed, with a leading dimension); other layouts are copied once into a contiguous
 * scratch buffer. Large float32 products go to {@link OneDnnGemm}, the rest to OpenBLAS; integer matmul and the
 * no-OpenBLAS case use {@link JavaGemm}-style loops.
 */
final class Gemm {
    private Gemm() {}

    /** How BLAS should read one matrix: transposed or not, with which leading dimension. */
    private record Layout(boolean trans, int ld) {
        static Layout of(int rowStride, int colStride, int rows, int cols) {
            if ((colStride == 1 || cols == 1) && (rows == 1 || rowStride >= Math.max(1, cols))) {
                return new Layout(false, rows == 1 ? Math.max(1, cols) : rowStride);
            }
            if ((rowStride == 1 || rows == 1) && (cols == 1 || colStride >= Math.max(1, rows))) {
                return new Layout(true, cols == 1 ? Math.max(1, rows) : colStride);
            }
            return null;
        }
    }

    /** {@code out = a @ b}, or {@code out += a @ b} when {@code accumulate} (BLAS's beta = 1: a bias in the epilogue). */
    static void matmul(CachingAllocator alloc, CpuBackend backend, View a, View b, View out, boolean accumulate) {
        int batch = a.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) backend.fill(out, 0);
            return;
        }
        DType t = out.dtype();
        if (t.isIntegral()) {
            integral(a, b, out, batch, m, k, n, accumulate);
            return;
        }
        float beta = accumulate ? 1 : 0;
        boolean blas = OpenBlas.available();
        CpuBuffer tmpA = null, tmpB = null;
        try {
            if (blas && Layout.of(a.strides()[1], a.strides()[2], m, k) == null) {
                tmpA = alloc.allocate((long) batch * m * k * t.byteSize());
                a = contiguousCopy(backend, a, tmpA);
            }
            if (blas && Layout.of(b.strides()[1], b.strides()[2], k, n) == null) {
                tmpB = alloc.allocate((long) batch * k * n * t.byteSize());
                b = contiguousCopy(backend, b, tmpB);
            }
            CpuBuffer ab = buf(a), bb = buf(b), ob = buf(out);
            Layout la = Layout.of(a.strides()[1], a.strides()[2], m, k);
            Layout lb = Layout.of(b.strides()[1], b.strides()[2], k, n);
            View fa = a, fb = b;
            int threads = Parallel.threads();
            long work = (long) m * n * k;
            if (blas && batch >= threads && work < SPLIT_WORK) {
                // many small products: one whole gemm per task
                Parallel.range(batch, 1, (s, e) -> {
                    for (int i = (int) s; i < e; i++) blasBlock(t, beta, la, lb, fa, fb, out, ab, bb, ob, i, 0, m, 0, n, k);
                });
            } else {
                for (int i = 0; i < batch; i++) {
                    int bi = i;
                    if (!blas) {
                        javaGemm(t, fa, fb, out, ab, bb, ob, bi, m, n, k, accumulate);
                    } else if (threads > 1 && work >= SPLIT_WORK && Math.max(m, n) >= 2 * threads) {
                        // OpenBLAS runs single-threaded and we split C into blocks over our own pool, so its
                        // idle threads never spin against ours; split the larger of rows and columns, but rows of a
                        // transposed A unless C is far wider than tall: (64x512)^T @ 64x784, Linear(784, 512)'s weight
                        // gradient, took 300-345 us split by rows, 362-459 by columns (256x64x512: 112 against 146)
                        boolean rows = la.trans() ? 4L * m >= n : m >= n;
                        int len = rows ? m : n;
                        Parallel.range(threads, 1, (s, e) -> {
                            for (long p = s; p < e; p++) {
                                int lo = (int) (len * p / threads), hi = (int) (len * (p + 1) / threads);
                                if (rows) blasBlock(t, beta, la, lb, fa, fb, out, ab, bb, ob, bi, lo, hi, 0, n, k);
                                else blasBlock(t, beta, la, lb, fa, fb, out, ab, bb, ob, bi, 0, m, lo, hi, k);
                            }
                        });
                    } else {
                        blasBlock(t, beta, la, lb, fa, fb, out, ab, bb, ob, bi, 0, m, 0, n, k);
                    }
                }
            }
        } finally {
            if (tmpA != null) tmpA.free();
            if (tmpB != null) tmpB.free();
        }
    }

    /** Work (m*n*k) above which one product is split over the threads. */
    private static final long SPLIT_WORK = 1L << 18;

    /** C[r0:r1, c0:c1] of batch i through single-threaded BLAS. */
    private static void blasBlock(DType t, float beta, Layout la, Layout lb, View a, View b, View out, CpuBuffer ab, CpuBuffer bb,
                                  CpuBuffer ob, int i, int r0, int r1, int c0, int c1, int k) {
        int n = out.shape()[2], m = out.shape()[1];
        // row r of op(A) starts at r*lda when stored row-major, at r when stored transposed; likewise columns of B
        int offA = a.offset() + i * a.strides()[0] + r0 * (la.trans ? 1 : la.ld);
        int offB = b.offset() + i * b.strides()[0] + c0 * (lb.trans ? lb.ld : 1);
        int offC = out.offset() + i * m * n + r0 * n + c0;
        int rows = r1 - r0, cols = c1 - c0;
        if (rows <= 0 || cols <= 0) return;
        if (t == DType.FLOAT32 && OneDnnGemm.takes(rows, cols, k)) {
            OneDnnGemm.sgemm(la.trans, lb.trans, rows, cols, k, ab.f, offA, la.ld, bb.f, offB, lb.ld, beta, ob.f, offC, n);
        } else if (t == DType.FLOAT32) {
            OpenBlas.sgemm(la.trans, lb.trans, rows, cols, k, ab.f, offA, la.ld, bb.f, offB, lb.ld, beta, ob.f, offC, n);
        } else {
            OpenBlas.dgemm(la.trans, lb.trans, rows, cols, k, ab.d, offA, la.ld, bb.d, offB, lb.ld, beta, ob.d, offC, n);
        }
    }

    private static void javaGemm(DType t, View a, View b, View out, CpuBuffer ab, CpuBuffer bb, CpuBuffer ob,
                                 int i, int m, int n, int k, boolean accumulate) {
        int offA = a.offset() + i * a.strides()[0];
        int offB = b.offset() + i * b.strides()[0];
        int offC = out.offset() + i * m * n;
        if (t == DType.FLOAT32) {
            JavaGemm.gemmF(m, n, k, ab.f, offA, a.strides()[1], a.strides()[2],
                    bb.f, offB, b.strides()[1], b.strides()[2], ob.f, offC, n, accumulate);
        } else {
            JavaGemm.gemmD(m, n, k, ab.d, offA, a.strides()[1], a.strides()[2],
                    bb.d, offB, b.strides()[1], b.strides()[2], ob.d, offC, n, accumulate);
        }
    }

    private static View contiguousCopy(CpuBackend backend, View v, CpuBuffer tmp) {
        int[] s = v.shape();
        View dst = new View(tmp, v.dtype(), s, new int[]{s[1] * s[2], s[2], 1}, 0);
        backend.copy(v, dst);
        return dst;
    }

    private static void integral(View a, View b, View out, int batch, int m, int k, int n, boolean accumulate) {
        CpuBuffer ab = buf(a), bb = buf(b), ob = buf(out);
        DType t = out.dtype();
        for (int i = 0; i < batch; i++) {
            int offA = a.offset() + i * a.strides()[0], offB = b.offset() + i * b.strides()[0];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    long acc = accumulate ? Chunks.getL(ob, t, out.offset() + (i * m + r) * n + c) : 0;
                    for (int p = 0; p < k; p++) {
                        acc += Chunks.getL(ab, a.dtype(), offA + r * a.strides()[1] + p * a.strides()[2])
                                * Chunks.getL(bb, b.dtype(), offB + p * b.strides()[1] + c * b.strides()[2]);
                    }
                    Chunks.putL(ob, t, out.offset() + (i * m + r) * n + c, acc);
                }
            }
        }
    }
}
