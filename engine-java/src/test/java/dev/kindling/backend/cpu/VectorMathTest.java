package dev.kindling.backend.cpu;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Vector API kernels give the scalar kernels' bits. They run only in a JVM started with
 * {@code --add-modules jdk.incubator.vector}: Maven's {@code vector} test execution does that; in the default one
 * these tests are skipped and the off switch is checked instead.
 */
class VectorMathTest {
    private static void requireVectors() {
        assumeTrue(Simd.AVAILABLE, "Vector API kernels off here: " + CpuBackend.vectorKernels());
    }

    /** About a million floats spread over every bit pattern, then the edges of exp's range and the specials. */
    private static float[] everyKindOfFloat() {
        int stride = 4099;
        float[] x = new float[(int) ((1L << 32) / stride) + 64];
        int n = 0;
        for (long bits = 0; bits < (1L << 32); bits += stride) x[n++] = Float.intBitsToFloat((int) bits);
        float[] edges = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, FastExp.HI, Math.nextUp(FastExp.HI),
            FastExp.LO, Math.nextDown(FastExp.LO), 88.72f, 88.73f, -103.9f, -104f, -150f, Float.MIN_VALUE, Float.MAX_VALUE,
            -Float.MAX_VALUE, 1e-30f, -1e-30f};
        for (float e : edges) {
            x[n++] = e;
            x[n++] = -e;
        }
        return java.util.Arrays.copyOf(x, n);
    }

    @Test
    void expIsTheScalarExpBitForBit() {
        requireVectors();
        float[] x = everyKindOfFloat(), o = new float[x.length];
        for (int n : new int[]{x.length, x.length - 5, 17, 3}) {
            VectorMath.exp(x, o, n);
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(FastExp.expf(x[i])), Float.floatToIntBits(o[i]), "exp(" + x[i] + ")");
            }
        }
    }

    @Test
    void sigmoidIsTheScalarSigmoidBitForBit() {
        requireVectors();
        float[] x = everyKindOfFloat(), o = new float[x.length];
        VectorMath.sigmoid(x, o, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(1f / (1f + FastExp.expf(-x[i]))), Float.floatToIntBits(o[i]), "sigmoid(" + x[i] + ")");
        }
    }

    @Test
    void softmaxRowsAreTheScalarRowsBitForBit() throws Exception {
        requireVectors();
        Method scalar = SoftmaxKernel.class.getDeclaredMethod("row", float[].class, float[].class, float[].class, float[].class,
                int.class, boolean.class);
        scalar.setAccessible(true);
        SplittableRandom r = new SplittableRandom(11);
        int checked = 0;
        for (int len : new int[]{1, 2, 7, 15, 16, 17, 31, 100, 1000, 1003}) {
            float[] x = new float[len], want = new float[len], got = new float[len], sh = new float[len], t = new float[len];
            for (int trial = 0; trial < 300; trial++) {
                double scale = Math.pow(10, r.nextInt(-2, 3));
                for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble(-3, 3) * scale);
                switch (trial % 10) {
                    case 1 -> x[r.nextInt(len)] = Float.NaN;
                    case 2 -> x[r.nextInt(len)] = Float.POSITIVE_INFINITY;
                    case 3 -> x[r.nextInt(len)] = Float.NEGATIVE_INFINITY;
                    case 4 -> java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
                    case 5 -> x[r.nextInt(len)] = 200f;   // every other element lands below exp's range
                    case 6 -> java.util.Arrays.fill(x, -0f);
                    default -> { }
                }
                for (boolean log : new boolean[]{false, true}) {
                    scalar.invoke(null, x, want, sh, t, len, log);
                    VectorMath.softmaxRow(x, got, len, log);
                    for (int i = 0; i < len; i++) {
                        assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                                (log ? "log_softmax" : "softmax") + " of a row of " + len + ", trial " + trial + ", element " + i);
                    }
                    checked++;
                }
            }
        }
        assertEquals(6000, checked);
    }

    @Test
    void tensorOpsRunOnTheVectorKernels() throws InterruptedException {
        requireVectors();
        // they switch on once the background warm-up has seen C2's code beat the scalar kernels
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Simd.on() && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(Simd.on(), CpuBackend.vectorKernels());
        assertEquals(CpuBackend.vectorKernels(), "Vector API kernels on (" + VectorMath.lanes() + " floats per vector): exp, sigmoid, softmax");
        // below the size that goes to oneDNN: the chunked Java kernels, now on vectors, must give expf's bits
        Tensor x = Tensor.randn((int) OneDnnPointwise.MIN_ELEMENTS - 3).mul(20);
        float[] in = x.toFloatArray(), exp = x.exp().toFloatArray(), sigmoid = x.sigmoid().toFloatArray();
        for (int i = 0; i < in.length; i++) {
            assertEquals(Float.floatToIntBits(FastExp.expf(in[i])), Float.floatToIntBits(exp[i]), "exp(" + in[i] + ")");
            assertEquals(Float.floatToIntBits(1f / (1f + FastExp.expf(-in[i]))), Float.floatToIntBits(sigmoid[i]), "sigmoid(" + in[i] + ")");
        }
    }

    @Test
    void withoutTheModuleTheReportSaysHowToTurnThemOn() {
        assumeTrue(!Simd.AVAILABLE, "Vector API kernels are on in this JVM");
        assertFalse(CpuBackend.vectorKernels().startsWith("Vector API kernels on"));
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            assertTrue(CpuBackend.vectorKernels().contains("--add-modules jdk.incubator.vector"), CpuBackend.vectorKernels());
        } else if (FloatBits.ON) {
            // the module is there (the vector-beside-unsafe execution), but the scalar kernels are as fast
            assertTrue(CpuBackend.vectorKernels().contains("the scalar kernels vectorise their float bit moves"), CpuBackend.vectorKernels());
        }
    }
}
