package dev.kindling.io;

/** IEEE half (F16) and bfloat16 (BF16) to float, exactly (every value of either is a float). */
final class HalfFloats {
    private HalfFloats() {}

    static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    static float f16ToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));   // inf, NaN (payload kept)
        if (exp != 0) return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        if (mant == 0) return Float.intBitsToFloat(sign);                                    // signed zero
        // subnormal half: mant * 2^-24, exact in float
        float v = mant * 0x1p-24f;
        return sign != 0 ? -v : v;
    }
}
