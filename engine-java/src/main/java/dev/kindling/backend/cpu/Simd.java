package dev.kindling.backend.cpu;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the Vector API kernels ({@link VectorMath}) run: only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, vectors hold at least 8 floats (AVX2 or wider, where the API
 * compiles to vector instructions rather than a slow fallback), {@code -Dkindling.vector=false} is not set, and
 * the kernels give the scalar kernels' bits on a self-test. Otherwise the scalar kernels run and nothing of
 * the incubator module is touched. The decision is made once, when the first kernel needs it.
 */
final class Simd {
    private Simd() {}

    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    private static final String WHY_NOT = probe();

    /** True when {@link VectorMath} runs. */
    static final boolean ON = WHY_NOT == null;

    /** One line for {@code Kindling.doctor()}. */
    static String describe() {
        return ON ? "Vector API kernels on (" + VectorMath.lanes() + " floats per vector): exp, sigmoid, softmax"
                : "Vector API kernels off: " + WHY_NOT;
    }

    private static String probe() {
        if (!Boolean.parseBoolean(System.getProperty("kindling.vector", "true"))) return "-Dkindling.vector=false";
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "start the JVM with --add-modules jdk.incubator.vector to use them";
        }
        try {
            if (VectorMath.lanes() < 8) return "vectors of " + VectorMath.lanes() + " floats only (no AVX2)";
            String wrong = selfTest();
            if (wrong != null) {
                LOG.warning("Vector API kernels disagree with the scalar ones (" + wrong + "); using the scalar ones");
                return "self-test failed: " + wrong;
            }
            return null;
        } catch (LinkageError | RuntimeException e) {
            // an incubator API that changed shape in a later JDK
            LOG.log(Level.FINE, "Vector API kernels unavailable", e);
            return "the Vector API of this JDK differs (" + e + ")";
        }
    }

    /** Compares {@link VectorMath#exp} and {@link VectorMath#sigmoid} with the scalar kernels on edges and ordinary values. */
    private static String selfTest() {
        float[] x = {0f, -0f, 1f, -1f, 0.5f, 10f, -10f, 80f, -80f, 88.3f, 88.5f, -87.3f, -87.4f, -100f, 100f,
            Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-8f, -3.25f, 2.71828f, 42f, -42f, 7.5f};
        float[] e = new float[x.length], s = new float[x.length];
        VectorMath.exp(x, e, x.length);
        VectorMath.sigmoid(x, s, x.length);
        for (int i = 0; i < x.length; i++) {
            float want = FastExp.expf(x[i]), wantS = 1f / (1f + FastExp.expf(-x[i]));
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(want)) return "exp(" + x[i] + ") = " + e[i] + ", not " + want;
            if (Float.floatToIntBits(s[i]) != Float.floatToIntBits(wantS)) return "sigmoid(" + x[i] + ") = " + s[i] + ", not " + wantS;
        }
        return null;
    }
}
