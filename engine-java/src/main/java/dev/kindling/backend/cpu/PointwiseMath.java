package dev.kindling.backend.cpu;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;

/**
 * The arithmetic of every elementwise op on heap chunks: one loop per op, with the switch outside the
 * loop so each loop is a tight, vectorisable body. FLOAT32 has its own loops only for the ops that
 * dominate training time; every other float op runs in double and is rounded once.
 */
final class PointwiseMath {
    private PointwiseMath() {}

    static boolean hasFloatLoop(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, EXP, LOG, SIGMOID, TANH, EXPM1, LOG1P, ERF, SQUARE, SQRT, RSQRT, SIGN, RECIPROCAL -> true;
            default -> false;
        };
    }

    /** Ops of about 2 ns an element or more, in float and in double: worth splitting over the threads from 8K elements. */
    static boolean costly(UnaryOp op) {
        return switch (op) {
            case LOG, TANH, EXPM1, LOG1P, SIN, COS, TAN, ERF -> true;
            default -> false;
        };
    }

    static boolean hasFloatLoop(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, SIGMOID_BACKWARD, TANH_BACKWARD -> true;
            default -> false;
        };
    }

    /** {@code tmp} is scratch of at least {@code n} floats (the two-pass exp keeps its exponents there). */
    static void unaryF(UnaryOp op, float[] a, float[] o, float[] tmp, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -a[i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(a[i]); }
            // Math.max keeps NaN as torch.relu does; C2 compiles it to a vector max, 8x faster on random signs than the
            // branchy `v > 0 || v != v ? v : 0` (measured: 0.24 vs 2.0 ns/element). It turns -0 into +0 where PyTorch
            // 1.13's relu keeps -0 (its max(0, x) returns x for two zeros): a difference no comparison of values sees
            case RELU -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], 0f); }
            case EXP -> FastExp.exp(a, o, tmp, n);
            case LOG -> FastLog.log(a, o, n);
            case SIGMOID -> FastExp.sigmoid(a, o, tmp, n);
            // fdlibm's, as (float) Math.tanh(x) etc. give them, in vectorised double loops (Math's are JNI calls on JDK 17)
            case TANH -> FloatsAsDoubles.apply(Expm1Log1p.TANH, a, o, n);
            case EXPM1 -> FloatsAsDoubles.apply(Expm1Log1p.EXPM1, a, o, n);
            case LOG1P -> FloatsAsDoubles.apply(Expm1Log1p.LOG1P, a, o, n);
            case ERF -> FloatsAsDoubles.apply(ErfKernel.ERF, a, o, n);
            case SQUARE -> { for (int i = 0; i < n; i++) o[i] = a[i] * a[i]; }
            case SQRT -> { for (int i = 0; i < n; i++) o[i] = (float) Math.sqrt(a[i]); }
            // the double loop's (float) (1.0 / Math.sqrt(x)) bits, from float arithmetic checked against halfway points
            case RSQRT -> FastRsqrt.rsqrt(a, o, tmp, n);
            case SIGN -> sign(a, o, n);
            // the double loop's (float) (1.0 / x) bits: double holds more than 2 * 24 + 2 bits, so its rounding before
            // float's is innocuous for a quotient
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[i] = 1f / a[i]; }
            default -> throw new IllegalStateException("no float loop for " + op);
        }
    }

    /**
     * {@code (0 < v) - (v < 0)}: ±1, and +0 for zeros and NaN, as the double loop gives it. Through the bits where
     * {@link FloatBits} is on: a branch-free int loop C2 vectorises (the branches per element: 5 ms over 1M floats,
     * PyTorch 0.2).
     */
    private static void sign(float[] a, float[] o, int n) {
        if (!FloatBits.ON) {
            for (int i = 0; i < n; i++) { float v = a[i]; o[i] = v > 0 ? 1f : v < 0 ? -1f : 0f; }
            return;
        }
        FloatBits.check(n, a, o, o);
        for (int i = 0; i < n; i++) {
            int b = FloatBits.get(a, i), x = (b & 0x7FFFFFFF) - 1;      // -1 for a zero, from 0x7F800000 up for NaN
            int nonzero = ~(x >> 31) & ((x - 0x7F800000) >> 31);        // all ones for a nonzero number
            FloatBits.put(o, i, nonzero & (b & 0x80000000 | 0x3F800000));
        }
    }

    static void unaryD(UnaryOp op, double[] a, double[] o, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -a[i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(a[i]); }
            case EXP -> { for (int i = 0; i < n; i++) o[i] = Math.exp(a[i]); }
            case LOG -> { for (int i = 0; i < n; i++) o[i] = Math.log(a[i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) o[i] = Math.log1p(a[i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) o[i] = Math.expm1(a[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[i] = Math.sqrt(a[i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) o[i] = 1.0 / Math.sqrt(a[i]); }
            case SIN -> { for (int i = 0; i < n; i++) o[i] = Math.sin(a[i]); }
            case COS -> { for (int i = 0; i < n; i++) o[i] = Math.cos(a[i]); }
            case TAN -> { for (int i = 0; i < n; i++) o[i] = Math.tan(a[i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[i] = Math.tanh(a[i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[i] = 1.0 / (1.0 + Math.exp(-a[i])); }
            case RELU -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], 0.0); }
            // (0 < v) - (v < 0) as in PyTorch: NaN gives 0, not NaN
            case SIGN -> { for (int i = 0; i < n; i++) { double v = a[i]; o[i] = v > 0 ? 1 : v < 0 ? -1 : 0; } }
            case FLOOR -> { for (int i = 0; i < n; i++) o[i] = Math.floor(a[i]); }
            case CEIL -> { for (int i = 0; i < n; i++) o[i] = Math.ceil(a[i]); }
            case ROUND -> { for (int i = 0; i < n; i++) o[i] = Math.rint(a[i]); } // half to even, like torch.round
            case TRUNC -> { for (int i = 0; i < n; i++) { double v = a[i]; o[i] = v < 0 ? Math.ceil(v) : Math.floor(v); } }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[i] = 1.0 / a[i]; }
            case SQUARE -> { for (int i = 0; i < n; i++) o[i] = a[i] * a[i]; }
            case ERF -> { for (int i = 0; i < n; i++) o[i] = erf(a[i]); }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) o[i] = a[i] == 0 ? 1 : 0; }
            case ISNAN -> { for (int i = 0; i < n; i++) o[i] = Double.isNaN(a[i]) ? 1 : 0; }
            case ISINF -> { for (int i = 0; i < n; i++) o[i] = Double.isInfinite(a[i]) ? 1 : 0; }
            case ISFINITE -> { for (int i = 0; i < n; i++) o[i] = Double.isFinite(a[i]) ? 1 : 0; }
        }
    }

    /** Integer ops that stay integer; the ops layer casts to float first for everything else. */
    static void unaryL(UnaryOp op, long[] a, long[] o, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -a[i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(a[i]); }
            case RELU -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], 0); }
            case SIGN -> { for (int i = 0; i < n; i++) o[i] = Long.signum(a[i]); }
            case SQUARE -> { for (int i = 0; i < n; i++) o[i] = a[i] * a[i]; }
            case FLOOR, CEIL, ROUND, TRUNC -> System.arraycopy(a, 0, o, 0, n);
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) o[i] = a[i] == 0 ? 1 : 0; }
            case ISNAN, ISINF -> java.util.Arrays.fill(o, 0, n, 0);
            case ISFINITE -> java.util.Arrays.fill(o, 0, n, 1);
            default -> throw new IllegalStateException(op + " has no integer kernel; cast to float first");
        }
    }

    static boolean hasLongLoop(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, SIGN, SQUARE, FLOOR, CEIL, ROUND, TRUNC, LOGICAL_NOT, ISNAN, ISINF, ISFINITE -> true;
            default -> false;
        };
    }

    static void binaryF(BinaryOp op, float[] a, float[] b, float[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = a[i] / b[i]; }
            // Math.max/min propagate NaN from either side, like torch.maximum/minimum, and vectorise
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]); }
            // the ops of the composite gradients, in their order: g.mul(out).mul(out.rsub(1)), g.mul(out.square().rsub(1))
            case SIGMOID_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i] * (1f - b[i]); }
            case TANH_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = a[i] * (1f - b[i] * b[i]); }
            default -> throw new IllegalStateException("no float loop for " + op);
        }
    }

    /**
     * FLOAT32 binary ops that only select bits, run on the floats' bits in int arrays (see {@link Chunks#readBits}):
     * C2 vectorises plain int loops wherever it inlines them, where the same select through {@link FloatBits} on the
     * float arrays lost its vectorised form in some callers' compiled code.
     */
    static boolean hasBitsLoop(BinaryOp op) { return op == BinaryOp.THRESHOLD_BACKWARD; }

    /** {@code o = op(a, b)} on FLOAT32 bits, for the ops of {@link #hasBitsLoop}. */
    static void binaryBits(BinaryOp op, int[] a, int[] b, int[] o, int n) {
        switch (op) {
            case THRESHOLD_BACKWARD -> thresholdBackward(a, b, o, n);
            default -> throw new IllegalStateException("no bits loop for " + op);
        }
    }

    /**
     * ReLU's gradient {@code b <= 0 ? +0 : a} (NaN in {@code b} passes {@code a}): a branch-free int loop C2
     * vectorises, where the branch per element, mispredicted on the random signs of activations, made a [64, 512]
     * ReLU backward cost 150-180 us (its forward 10); through FloatBits it took 9 us in a fresh JVM and 26-31 once other
     * binary ops had run, on int arrays 8-9 either way.
     */
    private static void thresholdBackward(int[] a, int[] b, int[] o, int n) {
        for (int i = 0; i < n; i++) {
            int v = b[i];
            o[i] = a[i] & (FloatBits.positiveMask(v) | FloatBits.nanMask(v));
        }
    }

    static void binaryD(BinaryOp op, double[] a, double[] b, double[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = a[i] / b[i]; }
            case POW -> { for (int i = 0; i < n; i++) o[i] = Math.pow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]); }
            case ATAN2 -> { for (int i = 0; i < n; i++) o[i] = Math.atan2(a[i], b[i]); }
            case THRESHOLD_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = b[i] <= 0 ? 0.0 : a[i]; }
            case SIGMOID_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i] * (1.0 - b[i]); }
            case TANH_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = a[i] * (1.0 - b[i] * b[i]); }
            case FMOD -> { for (int i = 0; i < n; i++) o[i] = a[i] % b[i]; }
            case REMAINDER -> { for (int i = 0; i < n; i++) { double r = a[i] % b[i]; o[i] = r != 0 && (r < 0) != (b[i] < 0) ? r + b[i] : r; } }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) o[i] = Math.floor(a[i] / b[i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) o[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
        }
    }

    /** Whether {@link #compareF} and {@link #compareL} have {@code op}: the six comparisons. */
    static boolean isComparison(BinaryOp op) {
        return switch (op) {
            case EQ, NE, LT, LE, GT, GE -> true;
            default -> false;
        };
    }

    /**
     * A comparison of floats straight into BOOL bytes: the same answers as {@link #binaryD} on the widened values
     * (widening is exact), without the two passes through double.
     */
    static void compareF(BinaryOp op, float[] a, float[] b, byte[] o, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] == b[i] ? 1 : 0); }
            case NE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] != b[i] ? 1 : 0); }
            case LT -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] < b[i] ? 1 : 0); }
            case LE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] <= b[i] ? 1 : 0); }
            case GT -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] > b[i] ? 1 : 0); }
            case GE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] >= b[i] ? 1 : 0); }
            default -> throw new IllegalStateException("not a comparison: " + op);
        }
    }

    /** {@link #compareF} for integers (and BOOL), as {@link #binaryL} compares them. */
    static void compareL(BinaryOp op, long[] a, long[] b, byte[] o, int n) {
        switch (op) {
            case EQ -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] == b[i] ? 1 : 0); }
            case NE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] != b[i] ? 1 : 0); }
            case LT -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] < b[i] ? 1 : 0); }
            case LE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] <= b[i] ? 1 : 0); }
            case GT -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] > b[i] ? 1 : 0); }
            case GE -> { for (int i = 0; i < n; i++) o[i] = (byte) (a[i] >= b[i] ? 1 : 0); }
            default -> throw new IllegalStateException("not a comparison: " + op);
        }
    }

    static void binaryL(BinaryOp op, long[] a, long[] b, long[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = a[i] + b[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = a[i] - b[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = a[i] * b[i]; }
            case POW -> { for (int i = 0; i < n; i++) o[i] = ipow(a[i], b[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.max(a[i], b[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.min(a[i], b[i]); }
            case THRESHOLD_BACKWARD -> { for (int i = 0; i < n; i++) o[i] = b[i] <= 0 ? 0 : a[i]; }
            case FMOD -> { for (int i = 0; i < n; i++) o[i] = a[i] % nz(b[i], "fmod"); }
            case REMAINDER -> { for (int i = 0; i < n; i++) o[i] = Math.floorMod(a[i], nz(b[i], "remainder")); }
            case FLOOR_DIVIDE -> { for (int i = 0; i < n; i++) o[i] = Math.floorDiv(a[i], nz(b[i], "floor_divide")); }
            case EQ -> { for (int i = 0; i < n; i++) o[i] = a[i] == b[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[i] = a[i] != b[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[i] = a[i] < b[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[i] = a[i] <= b[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[i] = a[i] > b[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[i] = a[i] >= b[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[i] = a[i] != 0 && b[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[i] = a[i] != 0 || b[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) o[i] = (a[i] != 0) != (b[i] != 0) ? 1 : 0; }
            default -> throw new IllegalStateException(op + " has no integer kernel; cast to float first");
        }
    }

    private static long nz(long v, String op) {
        if (v == 0) throw new ArithmeticException(op + ": integer division by zero");
        return v;
    }

    private static long ipow(long base, long exp) {
        if (exp < 0) {
            if (base == 1) return 1;
            if (base == -1) return (exp & 1) == 0 ? 1 : -1;
            throw new ArithmeticException("pow: integers to negative integer powers are not allowed (" + base + "^" + exp + ")");
        }
        long r = 1;
        while (exp > 0) {
            if ((exp & 1) == 1) r *= base;
            base *= base;
            exp >>= 1;
        }
        return r;
    }

    static final double ERX = 8.45062911510467529297e-01, EFX = 1.28379167095512586316e-01, EFX8 = 1.02703333676410069053e+00,
        PP0 = 1.28379167095512558561e-01, PP1 = -3.25042107247001499370e-01, PP2 = -2.84817495755985104766e-02,
        PP3 = -5.77027029648944159157e-03, PP4 = -2.37630166566501626084e-05,
        QQ1 = 3.97917223959155352819e-01, QQ2 = 6.50222499887672944485e-02, QQ3 = 5.08130628187576562776e-03,
        QQ4 = 1.32494738004321644526e-04, QQ5 = -3.96022827877536812320e-06,
        PA0 = -2.36211856075265944077e-03, PA1 = 4.14856118683748331666e-01, PA2 = -3.72207876035701323847e-01,
        PA3 = 3.18346619901161753674e-01, PA4 = -1.10894694282396677476e-01, PA5 = 3.54783043256182359371e-02,
        PA6 = -2.16637559486879084300e-03,
        QA1 = 1.06420880400844228286e-01, QA2 = 5.40397917702171048937e-01, QA3 = 7.18286544141962662868e-02,
        QA4 = 1.26171219808761642112e-01, QA5 = 1.36370839120290507362e-02, QA6 = 1.19844998467991074170e-02,
        RA0 = -9.86494403484714822705e-03, RA1 = -6.93858572707181764372e-01, RA2 = -1.05586262253232909814e+01,
        RA3 = -6.23753324503260060396e+01, RA4 = -1.62396669462573470355e+02, RA5 = -1.84605092906711035994e+02,
        RA6 = -8.12874355063065934246e+01, RA7 = -9.81432934416914548592e+00,
        SA1 = 1.96512716674392571292e+01, SA2 = 1.37657754143519042600e+02, SA3 = 4.34565877475229228821e+02,
        SA4 = 6.45387271733267880336e+02, SA5 = 4.29008140027567833386e+02, SA6 = 1.08635005541779435134e+02,
        SA7 = 6.57024977031928170135e+00, SA8 = -6.04244152148580987438e-02,
        RB0 = -9.86494292470009928597e-03, RB1 = -7.99283237680523006574e-01, RB2 = -1.77579549177547519889e+01,
        RB3 = -1.60636384855821916062e+02, RB4 = -6.37566443368389627722e+02, RB5 = -1.02509513161107724954e+03,
        RB6 = -4.83519191608651397019e+02,
        SB1 = 3.03380607434824582924e+01, SB2 = 3.25792512996573918826e+02, SB3 = 1.53672958608443695994e+03,
        SB4 = 3.19985821950859553908e+03, SB5 = 2.55305040643316442583e+03, SB6 = 4.74528541206955367215e+02,
        SB7 = -2.24409524465858183362e+01;


    /**
     * erf within 1 ulp of double precision: fdlibm's s_erf.c (the C library's erf on most systems), rational
     * approximations on [0, 0.84375), [0.84375, 1.25) and erfc's on [1.25, 1/0.35) and [1/0.35, 6), where
     * {@code erfc(x) = exp(-x^2 - 0.5625 + R/S) / x} with {@code x^2} split so that its rounding error is exact;
     * ±1 from 6 up. Checked against Python's math.erf over 200,000 points (at most 1 ulp apart). A series before
     * took up to 500 terms an element: GELU over 1M floats, 116 ms (PyTorch 0.7).
     */
    static double erf(double x) {
        if (x != x) return x;
        double ax = Math.abs(x);
        if (ax < 0.84375) {
            if (ax < 0x1p-28) return ax < 0x1p-1020 ? 0.125 * (8.0 * x + EFX8 * x) : x + EFX * x;
            double z = x * x;
            double r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
            double s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
            return x + x * (r / s);
        }
        if (ax < 1.25) {
            double s = ax - 1.0;
            double p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
            double q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
            return x >= 0 ? ERX + p / q : -ERX - p / q;
        }
        if (ax >= 6) return x > 0 ? 1.0 : -1.0;
        double s = 1.0 / (ax * ax), r, q;
        if (ax < 1 / 0.35) {
            r = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
            q = 1.0 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
        } else {
            r = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
            q = 1.0 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
        }
        double z = Double.longBitsToDouble(Double.doubleToRawLongBits(ax) & 0xffffffff00000000L);
        double e = Math.exp(-z * z - 0.5625) * Math.exp((z - ax) * (z + ax) + r / q);
        return x > 0 ? 1.0 - e / ax : e / ax - 1.0;
    }
}
