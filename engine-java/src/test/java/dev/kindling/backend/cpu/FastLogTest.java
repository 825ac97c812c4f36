package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The array log gives {@code (float) Math.log(x)} bit for bit: over every 61st positive float (35 million, every
 * exponent and every mantissa residue), all special inputs, every block boundary, and through {@code Tensor.log}.
 * {@code -Dkindling.exhaustive=true} checks all 2^31 positive floats instead (about a minute).
 */
class FastLogTest {
    private static void assertSameAsMathLog(float[] a, float[] o, int n) {
        for (int i = 0; i < n; i++) {
            float want = (float) Math.log(a[i]);
            if (Float.floatToIntBits(want) != Float.floatToIntBits(o[i])) {
                assertEquals(want, o[i], "log(" + a[i] + ") (bits " + Integer.toHexString(Float.floatToRawIntBits(a[i])) + ") at " + i + " of " + n);
            }
        }
    }

    @Test
    void positiveFloatsGiveMathLogsBits() {
        long step = Boolean.getBoolean("kindling.exhaustive") ? 1 : 61;
        float[] a = new float[Chunks.SIZE], o = new float[Chunks.SIZE];
        for (long bits = 0; bits < 0x80000000L; ) {
            int n = 0;
            for (; n < a.length && bits < 0x80000000L; bits += step) a[n++] = Float.intBitsToFloat((int) bits);
            FastLog.log(a, o, n);
            assertSameAsMathLog(a, o, n);
        }
    }

    @Test
    void specialInputsGiveMathLogsValues() {
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00000),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                Math.nextDown(Float.MIN_NORMAL), Float.MAX_VALUE, -Float.MAX_VALUE, Math.nextUp(1f), Math.nextDown(1f), 2f, 0.5f,
                (float) Math.sqrt(0.5), Math.nextUp((float) Math.sqrt(0.5)), Math.nextDown((float) Math.sqrt(0.5)),
                (float) Math.sqrt(2), Math.nextUp((float) Math.sqrt(2)), (float) Math.E, -3.5f, 1e-45f, 3e-39f};
        // each special value alone among ordinary ones, at both positions of a pair (its neighbour in the pair is computed
        // by the fast path while it is replaced), in an odd tail, and all of them side by side
        for (float v : special) {
            for (int at : new int[]{0, 1, 6, 7, 8}) {
                float[] a = new float[9], o = new float[9];
                java.util.Arrays.fill(a, 252.1757f);
                a[at] = v;
                FastLog.log(a, o, a.length);
                assertSameAsMathLog(a, o, a.length);
            }
        }
        for (int at = 0; at < 3; at++) {
            float[] a = new float[special.length + 3], o = new float[a.length];
            java.util.Arrays.fill(a, 3.25f);
            System.arraycopy(special, 0, a, at, special.length);
            FastLog.log(a, o, a.length);
            assertSameAsMathLog(a, o, a.length);
        }
    }

    @Test
    void specialInputsScatteredThroughRandomOnes() {
        SplittableRandom r = new SplittableRandom(3);
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, 1e-40f};
        float[] a = new float[Chunks.SIZE], o = new float[Chunks.SIZE];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < a.length; i++) {
                a[i] = r.nextInt(40) == 0 ? special[r.nextInt(special.length)] : (float) Math.exp(r.nextDouble(-40, 40));
            }
            FastLog.log(a, o, a.length);
            assertSameAsMathLog(a, o, a.length);
        }
    }

    @Test
    void everyLengthAndBlockBoundary() {
        SplittableRandom r = new SplittableRandom(11);
        float[] a = new float[3000], o = new float[3000];
        for (int i = 0; i < a.length; i++) a[i] = (float) Math.exp(r.nextDouble(-80, 80));
        for (int n : new int[]{0, 1, 2, 3, 15, 16, 17, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 3000}) {
            java.util.Arrays.fill(o, -7f);
            FastLog.log(a, o, n);
            assertSameAsMathLog(a, o, n);
            for (int i = n; i < o.length; i++) assertEquals(-7f, o[i], "wrote past " + n);
        }
    }

    @Test
    void tensorLogTakesItOnContiguousAndStridedFloats() {
        SplittableRandom r = new SplittableRandom(5);
        float[] data = new float[64 * 130];
        for (int i = 0; i < data.length; i++) data[i] = i % 97 == 0 ? 0f : i % 89 == 0 ? -1f : (float) Math.exp(r.nextDouble(-30, 30));
        try (Tensor x = Tensor.fromArray(data, 64, 130); Tensor y = x.log(); Tensor t = x.t(); Tensor yt = t.log()) {
            float[] got = y.toFloatArray();
            assertSameAsMathLog(data, got, data.length);
            float[] gotT = yt.toFloatArray(), tData = t.contiguous().toFloatArray();
            assertSameAsMathLog(tData, gotT, tData.length);
        }
    }
}
