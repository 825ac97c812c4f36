package dev.kindling;

/** Thread-local switch for recording the autograd tape ({@code torch.is_grad_enabled}). */
final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});
    private static final ThreadLocal<boolean[]> ANOMALY = ThreadLocal.withInitial(() -> new boolean[]{false});

    private GradMode() {}

    static boolean isEnabled() { return ENABLED.get()[0]; }

    static boolean anomalyEnabled() { return ANOMALY.get()[0]; }

    /** Sets the mode and returns a guard that restores the previous one; guards nest. */
    static Kindling.Guard set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }

    static Kindling.Guard setAnomaly(boolean enabled) {
        boolean[] cell = ANOMALY.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return () -> cell[0] = previous;
    }
}
