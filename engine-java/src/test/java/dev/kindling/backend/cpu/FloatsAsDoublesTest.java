package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * float32 tanh, expm1 and log1p give {@code (float) StrictMath.f(x)} bit for bit, and erf {@code (float)
 * PointwiseMath.erf(x)} (fdlibm's), checked over all 2^32 float bit patterns when this was written (log1p(2^53) was
 * the one input that check caught): over every 127th float bit pattern
 * (34 million, both signs, every exponent, zeros, subnormals, infinities and NaNs among them), special inputs beside
 * ordinary ones at every position of a pair and in odd tails, every block boundary, and through the tensor ops on
 * contiguous and strided floats. {@code -Dkindling.exhaustive=true} checks all 2^32 bit patterns (minutes: the
 * reference is a JNI call per element on JDK 17).
 */
class FloatsAsDoublesTest {
    private record Fn(String name, FloatsAsDoubles.Kernel kernel, DoubleUnaryOperator strict) {}

    private static final Fn[] FNS = {
            new Fn("tanh", Expm1Log1p.TANH, StrictMath::tanh),
            new Fn("expm1", Expm1Log1p.EXPM1, StrictMath::expm1),
            new Fn("log1p", Expm1Log1p.LOG1P, StrictMath::log1p),
            new Fn("erf", ErfKernel.ERF, PointwiseMath::erf)};

    private static void assertStrict(Fn f, float[] a, float[] o, int n) {
        for (int i = 0; i < n; i++) {
            float want = (float) f.strict.applyAsDouble(a[i]);
            if (Float.floatToIntBits(want) != Float.floatToIntBits(o[i])) {
                assertEquals(want, o[i], f.name + "(" + a[i] + ") (bits " + Integer.toHexString(Float.floatToRawIntBits(a[i])) + ") at " + i + " of " + n);
            }
        }
    }

    @Test
    void floatBitPatternsGiveStrictMathsBits() {
        long step = Boolean.getBoolean("kindling.exhaustive") ? 1 : 127;
        float[] a = new float[Chunks.SIZE], o = new float[Chunks.SIZE];
        for (Fn f : FNS) {
            for (long bits = 0; bits < 0x100000000L; ) {
                int n = 0;
                for (; n < a.length && bits < 0x100000000L; bits += step) a[n++] = Float.intBitsToFloat((int) bits);
                FloatsAsDoubles.apply(f.kernel, a, o, n);
                assertStrict(f, a, o, n);
            }
        }
    }

    @Test
    void specialInputsBesideOrdinaryOnes() {
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00000),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
                -Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL), 1e-30f, -1e-30f, 0x1p-100f, -0x1p-100f, Math.nextDown(0x1p-100f),
                Float.MAX_VALUE, -Float.MAX_VALUE, 88f, Math.nextUp(88f), 88.73f, 89f, -60f, -61f, -100f, 9.01f, -9.01f, 20f, 21f, 22f,
                Math.nextDown(-1f), Math.nextUp(-1f), -0.99999994f, 0.5f, -0.5f, 0.34657359f, 1e-8f, 3e38f,
                0x1p52f, 0x1p53f, Math.nextUp(0x1p53f), 0x1p54f, 0x1p-29f, 0x1p-30f,
                0.84375f, Math.nextDown(0.84375f), 1.25f, Math.nextDown(1.25f), 1 / 0.35f, Math.nextUp(1 / 0.35f), 6f, Math.nextDown(6f), 3.9f,
                Math.nextDown(1f), 4f, Math.nextDown(4f), Math.nextUp(4f), 3.92f, -3.92f, 0x1p-28f, -0x1p-28f};
        for (Fn f : FNS) {
            for (float v : special) {
                for (int at : new int[]{0, 1, 6, 7, 8}) {
                    float[] a = new float[9], o = new float[9];
                    java.util.Arrays.fill(a, 0.731f);
                    a[at] = v;
                    FloatsAsDoubles.apply(f.kernel, a, o, a.length);
                    assertStrict(f, a, o, a.length);
                }
            }
            float[] a = new float[special.length + 3], o = new float[a.length];
            java.util.Arrays.fill(a, -2.5f);
            System.arraycopy(special, 0, a, 1, special.length);
            FloatsAsDoubles.apply(f.kernel, a, o, a.length);
            assertStrict(f, a, o, a.length);
        }
    }

    @Test
    void zerosAndRandomValuesMixed() {
        // ELU's expm1 runs over clamped inputs, half of them zeros of either sign
        SplittableRandom r = new SplittableRandom(3);
        float[] a = new float[Chunks.SIZE], o = new float[Chunks.SIZE];
        for (Fn f : FNS) {
            for (int round = 0; round < 50; round++) {
                for (int i = 0; i < a.length; i++) {
                    int kind = r.nextInt(8);
                    a[i] = kind == 0 ? 0f : kind == 1 ? -0f : kind == 2 ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian() * 4;
                }
                FloatsAsDoubles.apply(f.kernel, a, o, a.length);
                assertStrict(f, a, o, a.length);
            }
        }
    }

    @Test
    void everyLengthAndBlockBoundary() {
        SplittableRandom r = new SplittableRandom(11);
        float[] a = new float[3000], o = new float[3000];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-0.99, 30);
        for (Fn f : FNS) {
            for (int n : new int[]{0, 1, 2, 3, 15, 16, 17, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 3000}) {
                java.util.Arrays.fill(o, -7f);
                FloatsAsDoubles.apply(f.kernel, a, o, n);
                assertStrict(f, a, o, n);
                for (int i = n; i < o.length; i++) assertEquals(-7f, o[i], f.name + " wrote past " + n);
            }
        }
    }

    @Test
    void tensorOpsTakeItOnContiguousAndStridedFloats() {
        SplittableRandom r = new SplittableRandom(5);
        float[] data = new float[64 * 130];
        for (int i = 0; i < data.length; i++) data[i] = i % 97 == 0 ? -0f : i % 89 == 0 ? Float.NaN : (float) r.nextDouble(-0.999, 12);
        try (Tensor x = Tensor.fromArray(data, 64, 130); Tensor t = x.t(); Tensor tc = t.contiguous()) {
            float[] tData = tc.toFloatArray();
            for (Fn f : FNS) {
                try (Tensor y = op(f, x); Tensor yt = op(f, t)) {
                    assertStrict(f, data, y.toFloatArray(), data.length);
                    assertStrict(f, tData, yt.toFloatArray(), tData.length);
                }
            }
        }
    }

    private static Tensor op(Fn f, Tensor x) {
        return switch (f.name) {
            case "tanh" -> x.tanh();
            case "expm1" -> x.expm1();
            case "erf" -> x.erf();
            default -> x.log1p();
        };
    }
}
