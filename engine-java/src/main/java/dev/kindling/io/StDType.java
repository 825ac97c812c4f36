package dev.kindling.io;

import dev.kindling.DType;

/**
 * The safetensors dtype names, declared in the reference implementation's order (increasing alignment),
 * which is also the order its writer sorts by (descending). {@code loadAs} is the Kindling dtype a tensor
 * of this type loads as, or null when Kindling cannot represent it.
 */
enum StDType {
    BOOL(1, DType.BOOL),
    U8(1, null),
    I8(1, null),
    F8_E5M2(1, null),
    F8_E4M3(1, null),
    I16(2, null),
    U16(2, null),
    F16(2, DType.FLOAT16),
    BF16(2, DType.BFLOAT16),
    I32(4, DType.INT32),
    U32(4, null),
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I64(8, DType.INT64),
    U64(8, null);

    final int size;
    final DType loadAs;

    StDType(int size, DType loadAs) {
        this.size = size;
        this.loadAs = loadAs;
    }

    /** The name Kindling writes for {@code dtype}. */
    static StDType of(DType dtype) {
        return switch (dtype) {
            case BOOL -> BOOL;
            case INT32 -> I32;
            case INT64 -> I64;
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            case FLOAT16 -> F16;
            case BFLOAT16 -> BF16;
        };
    }

    /** The constant named {@code name}, or null for a name the format does not define. */
    static StDType parse(String name) {
        for (StDType t : values()) {
            if (t.name().equals(name)) return t;
        }
        return null;
    }
}
