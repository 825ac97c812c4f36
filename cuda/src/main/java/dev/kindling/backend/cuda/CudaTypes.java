package dev.kindling.backend.cuda;

import dev.kindling.DType;

/**
 * How each dtype looks in generated CUDA C: the storage type, the type arithmetic runs in, and the
 * expressions that load an element into that type and store a value back. FLOAT16 and BFLOAT16 are stored
 * as raw 16-bit words and converted with the same rounding as {@code HalfFloats} (round to nearest even,
 * PyTorch's canonical NaNs), computing in float: the kernels need no {@code cuda_fp16.h}/{@code cuda_bf16.h},
 * so they compile with any NVRTC, and a value round-trips bit for bit as on the CPU.
 */
final class CudaTypes {
    private CudaTypes() {}

    /** The C type an element is stored as. */
    static String storage(DType t) {
        return switch (t) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case FLOAT16, BFLOAT16 -> "unsigned short";
            case INT64 -> "long long";
            case INT32 -> "int";
            case BOOL -> "unsigned char";
        };
    }

    /** The C type arithmetic on this dtype runs in (float for the 16-bit floats, as PyTorch's CUDA kernels do). */
    static String compute(DType t) {
        return switch (t) {
            case FLOAT32, FLOAT16, BFLOAT16 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long long";
            case INT32 -> "int";
            case BOOL -> "bool";
        };
    }

    /** An expression reading element {@code ref} (a storage lvalue) as {@link #compute} type. */
    static String load(DType t, String ref) {
        return switch (t) {
            case FLOAT16 -> "h2f(" + ref + ")";
            case BFLOAT16 -> "bf2f(" + ref + ")";
            case BOOL -> "(" + ref + " != 0)";
            default -> ref;
        };
    }

    /** An expression turning {@code value} (any arithmetic type) into this dtype's storage. */
    static String store(DType t, String value) {
        return switch (t) {
            case FLOAT16 -> "f2h((float)(" + value + "))";
            case BFLOAT16 -> "f2bf((float)(" + value + "))";
            case BOOL -> "(unsigned char)((" + value + ") != 0)";
            default -> "(" + storage(t) + ")(" + value + ")";
        };
    }

    /** Short tag for kernel names: {@code f32}, {@code bf16}, ... */
    static String tag(DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case FLOAT16 -> "f16";
            case BFLOAT16 -> "bf16";
            case INT64 -> "i64";
            case INT32 -> "i32";
            case BOOL -> "b8";
        };
    }

    /**
     * Shared device functions every kernel starts with: the 16-bit conversions (C twins of {@code HalfFloats})
     * and NaN-propagating max/min (as {@code Math.max} and {@code torch.maximum}).
     */
    static final String PRELUDE = """
            __device__ __forceinline__ float bf2f(unsigned short b) { return __uint_as_float(((unsigned int) b) << 16); }
            __device__ __forceinline__ unsigned short f2bf(float f) {
                if (f != f) return 0xffff;
                unsigned int x = __float_as_uint(f);
                return (unsigned short) ((x + 0x7fffu + ((x >> 16) & 1u)) >> 16);
            }
            __device__ __forceinline__ float h2f(unsigned short h) {
                unsigned int sign = ((unsigned int) (h & 0x8000)) << 16, e = (h >> 10) & 0x1f, m = h & 0x3ff;
                if (e == 0x1f) return __uint_as_float(sign | 0x7f800000u | (m << 13));
                if (e != 0) return __uint_as_float(sign | ((e + 112) << 23) | (m << 13));
                return __uint_as_float(sign | __float_as_uint((float) m * 5.9604644775390625e-8f));
            }
            __device__ __forceinline__ unsigned short f2h(float f) {
                unsigned int x = __float_as_uint(f), sign = (x >> 16) & 0x8000, a = x & 0x7fffffffu;
                if (a >= 0x7f800000u) return (unsigned short) (sign | (a > 0x7f800000u ? 0x7e00 : 0x7c00));
                if (a >= 0x477ff000u) return (unsigned short) (sign | 0x7c00);
                if (a < 0x38800000u) return (unsigned short) (sign | (unsigned int) rintf(__uint_as_float(a) * 16777216.0f));
                unsigned int h = (((a >> 23) - 112) << 10) | ((a >> 13) & 0x3ff), rest = a & 0x1fff;
                if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++;
                return (unsigned short) (sign | h);
            }
            template <typename T> __device__ __forceinline__ T kmax(T a, T b) { return a != a ? a : b != b ? b : (a > b ? a : b); }
            template <typename T> __device__ __forceinline__ T kmin(T a, T b) { return a != a ? a : b != b ? b : (a < b ? a : b); }
            """;
}
