package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.backend.View;

import static dev.kindling.backend.cpu.CpuBackend.buf;

/**
 * Batched matmul. Each matrix operand is handed to BLAS as it lies in memory when its layout allows
 * (row-major, or transposed, with a leading dimension); other layouts are copied once into a contiguous
 * scratch buffer. Integer matmul and the no-OpenBLAS case use {@link JavaGemm}-style loops.
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

    static void matmul(CachingAllocator alloc, CpuBackend backend, View a, View b, View out) {
        int batch = a.shape()[0], m = a.shape()[1], k = a.shape()[2], n = b.shape()[2];
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            backend.fill(out, 0);
            return;
        }
        DType t = out.dtype();
        if (t.isIntegral()) {
            integral(a, b, out, batch, m, k, n);
            return;
        }
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
            for (int i = 0; i < batch; i++) {
                int offA = a.offset() + i * a.strides()[0];
                int offB = b.offset() + i * b.strides()[0];
                int offC = out.offset() + i * m * n;
                if (blas && t == DType.FLOAT32) {
                    OpenBlas.sgemm(la.trans, lb.trans, m, n, k, ab.f, offA, la.ld, bb.f, offB, lb.ld, 0f, ob.f, offC, n);
                } else if (blas) {
                    OpenBlas.dgemm(la.trans, lb.trans, m, n, k, ab.d, offA, la.ld, bb.d, offB, lb.ld, 0.0, ob.d, offC, n);
                } else if (t == DType.FLOAT32) {
                    JavaGemm.gemmF(m, n, k, ab.f, offA, a.strides()[1], a.strides()[2],
                            bb.f, offB, b.strides()[1], b.strides()[2], ob.f, offC, n);
                } else {
                    JavaGemm.gemmD(m, n, k, ab.d, offA, a.strides()[1], a.strides()[2],
                            bb.d, offB, b.strides()[1], b.strides()[2], ob.d, offC, n);
                }
            }
        } finally {
            if (tmpA != null) tmpA.free();
            if (tmpB != null) tmpB.free();
        }
    }

    private static View contiguousCopy(CpuBackend backend, View v, CpuBuffer tmp) {
        int[] s = v.shape();
        View dst = new View(tmp, v.dtype(), s, new int[]{s[1] * s[2], s[2], 1}, 0);
        backend.copy(v, dst);
        return dst;
    }

    private static void integral(View a, View b, View out, int batch, int m, int k, int n) {
        CpuBuffer ab = buf(a), bb = buf(b), ob = buf(out);
        DType t = out.dtype();
        for (int i = 0; i < batch; i++) {
            int offA = a.offset() + i * a.strides()[0], offB = b.offset() + i * b.strides()[0];
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    long acc = 0;
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
