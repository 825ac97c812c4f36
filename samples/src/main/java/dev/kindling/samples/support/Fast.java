package dev.kindling.samples.support;

/**
 * The samples' fast mode: a few batches and tiny epochs so that CI can run every sample in seconds.
 * On with {@code -Dkindling.fast=true} or the environment variable {@code KINDLING_FAST=1}.
 *
 * <pre>{@code
 * int epochs = Fast.pick(100, 3);   // 100 normally, 3 in fast mode
 * }</pre>
 */
public final class Fast {
    private Fast() {}

    /** Whether fast mode is on. */
    public static boolean enabled() {
        String p = System.getProperty("kindling.fast");
        if (p != null) return Boolean.parseBoolean(p);
        String e = System.getenv("KINDLING_FAST");
        return e != null && (e.equals("1") || e.equalsIgnoreCase("true"));
    }

    /** {@code full} normally, {@code fast} in fast mode. */
    public static int pick(int full, int fast) { return enabled() ? fast : full; }
}
