package dev.kindling;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit-for-bit comparison of float32 results, for the fused kernels' tests against the ops they replace. */
public final class SameBits {
    private SameBits() {}

    /** Every element of {@code got} has the bits of {@code want}'s (NaN payloads and zeros' signs included). */
    public static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToIntBits(want[i]) != Float.floatToIntBits(got[i])) {
                throw new AssertionError(what + ", element " + i + ": " + got[i] + " where the ops give " + want[i]);
            }
        }
    }
}
