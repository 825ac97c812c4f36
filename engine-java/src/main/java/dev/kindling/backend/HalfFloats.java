package dev.kindling.backend;

/**
 * Conversions between float and the two 16-bit float formats, bit for bit as PyTorch's {@code c10::Half} and
 * {@code c10::BFloat16} do them: widening is exact (every half and bfloat16 value is a float); narrowing
 * rounds to nearest, ties to even, overflows to infinity, keeps subnormals, and turns NaN into the canonical
 * quiet NaN ({@code 0x7e00} for half, {@code 0xffff} for bfloat16: what PyTorch 1.13 writes when converting tensors).
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** The float a bfloat16 holds (exact). */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** {@code f} as bfloat16 bits, rounded to nearest even. */
    public static short floatToBf16(float f) {
        if (f != f) return (short) 0xffff;
        int x = Float.floatToRawIntBits(f);
        // adding 0x7fff, plus the lowest kept bit, carries exactly when the dropped half rounds up
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }

    /** The float an IEEE half holds (exact). */
    public static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf, NaN (payload kept)
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        // zero or subnormal half: mant * 2^-24, exact in float
        return Float.intBitsToFloat(sign | Float.floatToRawIntBits(mant * 0x1p-24f));
    }

    /** {@code f} as IEEE half bits, rounded to nearest even. */
    public static short floatToF16(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs >= 0x7f800000) return (short) (sign | (abs > 0x7f800000 ? 0x7e00 : 0x7c00));
        // from 65520 (halfway between 65504, the largest half, and 2^16) on, ties to even round to infinity
        if (abs >= 0x477ff000) return (short) (sign | 0x7c00);
        if (abs < 0x38800000) {
            // below 2^-14 the result is subnormal, in units of 2^-24: scaling by 2^24 is exact, rint rounds to even
            return (short) (sign | (int) Math.rint(Float.intBitsToFloat(abs) * 0x1p24f));
        }
        int h = ((abs >>> 23) - 112) << 10 | (abs >>> 13) & 0x3ff;
        int rest = abs & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0)) h++;   // a carry into the exponent is right too
        return (short) (sign | h);
    }

    /** {@code f} rounded to {@code half}'s precision and back: the value a FLOAT16 or BFLOAT16 element holds. */
    public static float round(float f, boolean bf16) {
        return bf16 ? bf16ToFloat(floatToBf16(f)) : f16ToFloat(floatToF16(f));
    }
}
