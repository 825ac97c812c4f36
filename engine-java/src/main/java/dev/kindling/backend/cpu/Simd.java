package dev.kindling.backend.cpu;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Whether the Vector API kernels ({@link VectorMath}) run: only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, the scalar kernels do not move float bits through {@code sun.misc.Unsafe}
 * ({@link FloatBits#UNSAFE} false: JDK 24 and later, or {@code -Dkindling.unsafe=false}), vectors hold at least 8 floats
 * (AVX2 or wider, where the API compiles to vector instructions rather than a slow fallback),
 * {@code -Dkindling.vector=false} is not set, and the kernels give the scalar kernels' bits on a self-test.
 * Otherwise the scalar kernels run and nothing of the incubator module is touched. The decision is made once, when
 * the CPU backend starts ({@link #start}).
 *
 * <p>Even then they switch on only once C2 has compiled them, which a background thread started with the backend
 * brings about in about a second: until then the API runs through its Java fallback, 100x slower than the scalar
 * kernels (measured: exp of 640 floats 290 us instead of 1 us; a kernel called once per op took seconds of a
 * program to reach C2, and in the op benchmark softmax took 21 ms instead of 0.2).
 */
final class Simd {
    private Simd() {}

    private static final Logger LOG = Logger.getLogger("dev.kindling.backend");
    private static final String WHY_NOT = probe();

    /** True when {@link VectorMath} can run here; {@link #on()} says whether it is warm yet. */
    static final boolean AVAILABLE = WHY_NOT == null;
    private static final int LANES = AVAILABLE ? VectorMath.lanes() : Integer.MAX_VALUE;
    private static volatile boolean warm;
    /** Why the warm-up gave up, or null while it runs or once it succeeded. */
    private static volatile String gaveUp;

    static {
        if (AVAILABLE) {
            Thread t = new Thread(Simd::warmUpOrGiveUp, "kindling-vector-warmup");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Loads this class, which starts the warm-up where the kernels are available. */
    static void start() { }

    /** True when the kernels should take {@link VectorMath}: available and compiled. */
    static boolean on() { return warm; }

    /** {@link #on()} for {@code n} elements: shorter than one vector, the scalar kernels have less to set up. */
    static boolean on(int n) { return warm && n >= LANES; }

    /** One line for {@code Kindling.doctor()}. */
    static String describe() {
        if (!AVAILABLE) return "Vector API kernels off: " + WHY_NOT;
        String failed = gaveUp;
        if (failed != null) return "Vector API kernels off: " + failed;
        return "Vector API kernels on (" + VectorMath.lanes() + " floats per vector): exp, sigmoid, softmax"
                + (warm ? "" : "; still compiling, the scalar kernels run meanwhile");
    }

    private static String probe() {
        if (!Boolean.parseBoolean(System.getProperty("kindling.vector", "true"))) return "-Dkindling.vector=false";
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return "start the JVM with --add-modules jdk.incubator.vector to use them";
        }
        if (FloatBits.UNSAFE) {
            // measured on JDK 17: softmax 64x1000 67 against 79 us, exp of 640 floats 0.9 against 0.8 us; but the API's
            // kernels, once deoptimised, run through its Java fallback for seconds (sigmoid of 640 floats 100-430 us,
            // softmax 7-24 ms in one benchmark process out of three), which the scalar kernels never do. Through memory
            // segments (JDK 24 and later) the scalar softmax stayed behind: 83 against 59 us on JDK 25, so there the
            // flag still brings the API's kernels
            return "not used on JDK " + Runtime.version().feature() + ", where the scalar kernels vectorise their float bit moves"
                    + " and are as fast";
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

    /**
     * Calls the vector kernels on one vector's worth of floats (with out-of-range inputs, so that C2 compiles their
     * rare paths too) until C2 has compiled them, then switches them on once a row of 1024 runs faster through them
     * than through the scalar kernels. Short calls because every call before C2 runs through the API's fallback,
     * which allocates for each operation: at 1024 floats per call the warm-up took 1.8 s, churned through 1.3 GB of
     * garbage and grew the heap by 100 MB; at 16 floats, 0.8-1.1 s, half the garbage, and the heap keeps its initial
     * size. Gives up after 10 s.
     */
    private static void warmUpOrGiveUp() {
        try {
            if (warmUp()) warm = true;
            else gaveUp = "they did not get faster than the scalar ones within 10 s of warm-up";
        } catch (LinkageError | RuntimeException e) {
            gaveUp = "the warm-up failed (" + e + ")";
        }
        if (gaveUp != null) LOG.info("Vector API kernels off, the scalar ones stay: " + gaveUp);
    }

    /** True once the kernels beat the scalar ones (see {@link #warmUpOrGiveUp}); false after 10 s without. */
    private static boolean warmUp() {
        int lanes = VectorMath.lanes(), n = 1024;
        float[] small = new float[lanes], out = new float[lanes];
        float[] x = new float[n], y = new float[n], sh = new float[n], t = new float[n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-10, 10);
        x[5] = Float.NaN;
        x[77] = 100f;
        x[300] = -100f;
        System.arraycopy(x, 0, small, 0, lanes);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (int k = 0; k < 4000; k++) {
                VectorMath.exp(small, out, lanes);
                VectorMath.sigmoid(small, out, lanes);
                VectorMath.softmaxRow(small, out, lanes, (k & 1) == 0);
            }
            long t0 = System.nanoTime();
            VectorMath.exp(x, y, n);
            VectorMath.sigmoid(x, y, n);
            VectorMath.softmaxRow(x, y, n, true);
            long t1 = System.nanoTime();
            FastExp.scalarExp(x, y, t, n);
            FastExp.scalarSigmoid(x, y, t, n);
            SoftmaxKernel.row(x, y, sh, t, n, true);
            if (t1 - t0 < System.nanoTime() - t1) return true;
        }
        return false;
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
