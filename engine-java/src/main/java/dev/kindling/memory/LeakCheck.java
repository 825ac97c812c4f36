package dev.kindling.memory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code -Dkindling.leakCheck=true} records where each buffer was allocated and reports buffers that were
 * never closed and had to be reclaimed by the garbage collector. Off by default: recording a stack trace
 * per allocation is expensive.
 */
public final class LeakCheck {
    private static final boolean ENABLED = Boolean.getBoolean("kindling.leakCheck");
    private static final Logger LOG = Logger.getLogger("dev.kindling.memory");
    private static final AtomicLong RECLAIMED = new AtomicLong();

    private LeakCheck() {}

    static Throwable site() {
        return ENABLED ? new Throwable("tensor allocated here") : null;
    }

    static void reclaimed(long bytes, Throwable site) {
        RECLAIMED.incrementAndGet();
        if (site != null) {
            var sw = new java.io.StringWriter();
            site.printStackTrace(new java.io.PrintWriter(sw));
            LOG.warning("kindling: reclaimed " + bytes + " bytes of an unclosed tensor; " + sw);
        }
    }

    /** How many buffers the garbage collector had to reclaim because nothing closed them. */
    public static long reclaimedCount() { return RECLAIMED.get(); }
}
