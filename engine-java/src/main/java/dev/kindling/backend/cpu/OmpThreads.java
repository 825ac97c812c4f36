package dev.kindling.backend.cpu;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * oneDNN runs on OpenMP, whose thread count and idle behaviour no preset exposes. Two C calls through JNA
 * give Kindling one thread story: before the OpenMP runtime loads, {@code OMP_WAIT_POLICY=PASSIVE} (unless the
 * user set it) so that its idle workers sleep instead of spinning against our pool on small machines; and
 * before each oneDNN call, {@code omp_set_num_threads} on the calling thread: {@code Kindling.getNumThreads()} for
 * primitives, 1 for a piece of a product that Kindling's pool already split (an OpenMP setting is per thread, so each
 * thread is set once and again after a change).
 */
final class OmpThreads {
    private static Function setNumThreads;
    private static final ThreadLocal<int[]> MATCHED = ThreadLocal.withInitial(() -> new int[]{-1});

    private OmpThreads() {}

    static void beforeLoad() {
        if (System.getenv("OMP_WAIT_POLICY") != null) return;
        try {
            if (Platform.isWindows()) {
                NativeLibrary.getInstance("msvcrt").getFunction("_putenv").invokeInt(new Object[]{"OMP_WAIT_POLICY=PASSIVE"});
            } else {
                NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv")
                        .invokeInt(new Object[]{"OMP_WAIT_POLICY", "PASSIVE", 0});
            }
        } catch (Throwable ignored) {
            // without it OpenMP spins a little after each call: slower next to our pool, still correct
        }
    }

    /** Finds omp_set_num_threads in the loaded OpenMP runtime; says what governs oneDNN's threads. */
    static String bind() {
        try {
            org.bytedeco.javacpp.Pointer f = org.bytedeco.javacpp.Loader.addressof("omp_set_num_threads");
            if (f != null && !f.isNull()) {
                setNumThreads = Function.getFunction(new com.sun.jna.Pointer(f.address()));
                return "OpenMP threads follow Kindling.setNumThreads";
            }
        } catch (Throwable ignored) {
            // fall through
        }
        return "OpenMP threads from OMP_NUM_THREADS";
    }

    static void matchKindling() { match(Parallel.threads()); }

    /** Whether {@link #match} reaches OpenMP (else its thread count is whatever OMP_NUM_THREADS says). */
    static boolean bound() { return setNumThreads != null; }

    /** Sets the calling thread's OpenMP thread count to {@code want}, if it is not that already. */
    static void match(int want) {
        if (setNumThreads == null) return;
        int[] matched = MATCHED.get();
        if (matched[0] != want) {
            setNumThreads.invokeVoid(new Object[]{want});
            matched[0] = want;
        }
    }
}
