package dev.kindling.backend.cuda;

import dev.kindling.DType;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.cuda.global.cublas.*;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16BF;
import static org.bytedeco.cuda.global.cudart.CUDA_R_16F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_32F;
import static org.bytedeco.cuda.global.cudart.CUDA_R_64F;

/**
 * The only class that calls cuBLAS: one handle per device, bound to the device's stream. Products run through
 * {@code cublasGemmStridedBatchedEx} for every float dtype (float16 and bfloat16 accumulate in float32), with
 * TF32 tensor cores for float32 only when {@code Kindling.setAllowTf32(true)} asked for them.
 */
final class Cublas {
    private final cublasContext handle = new cublasContext();
    private final FloatPointer oneF = new FloatPointer(1f), zeroF = new FloatPointer(0f);
    private final DoublePointer oneD = new DoublePointer(1.0), zeroD = new DoublePointer(0.0);

    /** Loads libcublas and returns its version, e.g. "13.1.0". */
    static String load() {
        Loader.load(org.bytedeco.cuda.global.cublas.class);
        int[] v = {0};
        check(cublasGetVersion(v), "cublasGetVersion");
        return v[0] / 10000 + "." + v[0] / 100 % 100 + "." + v[0] % 100;
    }

    /** A handle on the current device, issuing its work on {@code stream}. */
    Cublas(CUstream_st stream) {
        check(cublasCreate_v2(handle), "cublasCreate");
        check(cublasSetStream_v2(handle, stream), "cublasSetStream");
    }

    static void check(int status, String call) {
        if (status != CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(call + ": " + cublasGetStatusName(status).getString() + " ("
                    + cublasGetStatusString(status).getString() + ")", status);
        }
    }

    private static int dataType(DType t) {
        return switch (t) {
            case FLOAT32 -> CUDA_R_32F;
            case FLOAT64 -> CUDA_R_64F;
            case FLOAT16 -> CUDA_R_16F;
            case BFLOAT16 -> CUDA_R_16BF;
            default -> throw new IllegalArgumentException("matmul: " + t + " is not supported by cuBLAS (as in PyTorch,"
                    + " integer and bool products are not implemented on CUDA); convert to a float dtype first");
        };
    }

    /**
     * Column-major, batched {@code C = op(A) op(B) (+ C)}: the plan's operands are already swapped and
     * transposed for row-major tensors ({@link GemmPlan}).
     */
    synchronized void gemm(GemmPlan p, DType dtype, long a, long b, long c, boolean accumulate, boolean allowTf32) {
        int type = dataType(dtype);
        boolean f64 = dtype == DType.FLOAT64;
        int compute = f64 ? CUBLAS_COMPUTE_64F : dtype == DType.FLOAT32 && allowTf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
        Pointer alpha = f64 ? oneD : oneF, beta = accumulate ? (f64 ? oneD : oneF) : (f64 ? zeroD : zeroF);
        check(cublasGemmStridedBatchedEx(handle, p.transA() ? CUBLAS_OP_T : CUBLAS_OP_N, p.transB() ? CUBLAS_OP_T : CUBLAS_OP_N,
                p.m(), p.n(), p.k(), alpha, new DevicePtr(a), type, p.lda(), p.strideA(), new DevicePtr(b), type, p.ldb(), p.strideB(),
                beta, new DevicePtr(c), type, p.ldc(), p.strideC(), p.batch(), compute, CUBLAS_GEMM_DEFAULT), "cublasGemmStridedBatchedEx");
    }
}
