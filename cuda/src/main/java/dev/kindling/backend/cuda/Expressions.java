package dev.kindling.backend.cuda;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;

/**
 * The C expression of each elementwise op for a compute type ({@code float}, {@code double}, {@code long long},
 * {@code int} or {@code bool}), with the CPU kernels' semantics: NaN propagates through max/min and ReLU, sign
 * of NaN is 0, round is half to even, remainder takes the divisor's sign. Null means the op does not exist for
 * that type (the ops layer casts integers to float first for those).
 */
final class Expressions {
    private Expressions() {}

    static boolean isFloat(String ct) { return ct.equals("float") || ct.equals("double"); }

    /** {@code a * b} rounded once, never fused with a neighbouring addition ({@code __fmul_rn}, {@code __dmul_rn}). */
    private static String mulRn(String ct, String a, String b) {
        return (ct.equals("float") ? "__fmul_rn(" : "__dmul_rn(") + a + ", " + b + ")";
    }

    /** {@code name} in {@code ct}'s precision: {@code expf} for float, {@code exp} for double. */
    private static String fn(String name, String ct) { return ct.equals("float") ? name + "f" : name; }

    static String unary(UnaryOp op, String ct, String a) {
        boolean fl = isFloat(ct);
        String one = "((" + ct + ") 1)", zero = "((" + ct + ") 0)";
        return switch (op) {
            case NEG -> "(-" + a + ")";
            case ABS -> fl ? fn("fabs", ct) + "(" + a + ")" : "(" + a + " < 0 ? -" + a + " : " + a + ")";
            case RELU -> fl ? "(" + a + " != " + a + " ? " + a + " : " + a + " > 0 ? " + a + " : " + zero + ")"
                    : "(" + a + " > 0 ? " + a + " : " + zero + ")";
            case SIGN -> "((" + ct + ") ((" + a + " > 0) - (" + a + " < 0)))";
            case SQUARE -> "(" + a + " * " + a + ")";
            case FLOOR -> fl ? fn("floor", ct) + "(" + a + ")" : a;
            case CEIL -> fl ? fn("ceil", ct) + "(" + a + ")" : a;
            case ROUND -> fl ? fn("rint", ct) + "(" + a + ")" : a;
            case TRUNC -> fl ? fn("trunc", ct) + "(" + a + ")" : a;
            case LOGICAL_NOT -> "(" + a + " == 0)";
            case ISNAN -> fl ? "(" + a + " != " + a + ")" : "false";
            // by arithmetic (x - x is NaN exactly for inf and NaN), so no math.h classification macro is needed
            case ISINF -> fl ? "(" + a + " == " + a + " && " + a + " - " + a + " != " + a + " - " + a + ")" : "false";
            case ISFINITE -> fl ? "(" + a + " - " + a + " == " + a + " - " + a + ")" : "true";
            case EXP, LOG, LOG1P, EXPM1, SQRT, SIN, COS, TAN, TANH, ERF ->
                    fl ? fn(op.name().toLowerCase(java.util.Locale.ROOT), ct) + "(" + a + ")" : null;
            case RSQRT -> fl ? "(" + one + " / " + fn("sqrt", ct) + "(" + a + "))" : null;
            case RECIPROCAL -> fl ? "(" + one + " / " + a + ")" : null;
            case SIGMOID -> fl ? "(" + one + " / (" + one + " + " + fn("exp", ct) + "(-" + a + ")))" : null;
        };
    }

    static String binary(BinaryOp op, String ct, String a, String b) {
        boolean fl = isFloat(ct);
        return switch (op) {
            case ADD -> ct.equals("bool") ? "(" + a + " || " + b + ")" : "(" + a + " + " + b + ")";
            case SUB -> "(" + a + " - " + b + ")";
            case MUL -> ct.equals("bool") ? "(" + a + " && " + b + ")" : "(" + a + " * " + b + ")";
            case DIV -> fl ? "(" + a + " / " + b + ")" : null;
            case POW -> fl ? fn("pow", ct) + "(" + a + ", " + b + ")"
                    : ct.equals("bool") ? "(" + a + " || !" + b + ")" : "ipow(" + a + ", " + b + ")";
            case MAXIMUM -> "kmax(" + a + ", " + b + ")";
            case MINIMUM -> "kmin(" + a + ", " + b + ")";
            case ATAN2 -> fl ? fn("atan2", ct) + "(" + a + ", " + b + ")" : null;
            case FMOD -> fl ? fn("fmod", ct) + "(" + a + ", " + b + ")" : "(" + b + " == 0 ? 0 : " + a + " % " + b + ")";
            case REMAINDER -> fl ? "fremainder(" + a + ", " + b + ")" : "iremainder(" + a + ", " + b + ")";
            case FLOOR_DIVIDE -> fl ? fn("floor", ct) + "(" + a + " / " + b + ")" : "ifloordiv(" + a + ", " + b + ")";
            case THRESHOLD_BACKWARD -> "(" + b + " <= 0 ? (" + ct + ") 0 : " + a + ")";
            // products through the _rn intrinsics, which NVRTC never contracts into a multiply-add with the
            // subtraction: the bits of the ops run one by one
            case SIGMOID_BACKWARD -> fl ? mulRn(ct, mulRn(ct, a, b), "((" + ct + ") 1 - " + b + ")") : null;
            case TANH_BACKWARD -> fl ? mulRn(ct, a, "((" + ct + ") 1 - " + mulRn(ct, b, b) + ")") : null;
            case EQ -> "(" + a + " == " + b + ")";
            case NE -> "(" + a + " != " + b + ")";
            case LT -> "(" + a + " < " + b + ")";
            case LE -> "(" + a + " <= " + b + ")";
            case GT -> "(" + a + " > " + b + ")";
            case GE -> "(" + a + " >= " + b + ")";
            case LOGICAL_AND -> "(" + a + " != 0 && " + b + " != 0)";
            case LOGICAL_OR -> "(" + a + " != 0 || " + b + " != 0)";
            case LOGICAL_XOR -> "((" + a + " != 0) != (" + b + " != 0))";
        };
    }

    /** Helpers the binary expressions call (integer pow, Python-style remainder and floor division). */
    static final String HELPERS = """
            template <typename T> __device__ __forceinline__ T ipow(T base, T e) {
                if (e < 0) return base == 1 ? 1 : base == -1 ? ((e & 1) ? -1 : 1) : 0;
                T r = 1; while (e > 0) { if (e & 1) r *= base; base *= base; e >>= 1; } return r;
            }
            __device__ __forceinline__ float fremainder(float a, float b) {
                float r = fmodf(a, b); return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            __device__ __forceinline__ double fremainder(double a, double b) {
                double r = fmod(a, b); return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            template <typename T> __device__ __forceinline__ T iremainder(T a, T b) {
                if (b == 0) return 0; T r = a % b; return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
            }
            template <typename T> __device__ __forceinline__ T ifloordiv(T a, T b) {
                if (b == 0) return 0; T q = a / b; return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q;
            }
            """;
}
