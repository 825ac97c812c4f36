package dev.kindling.samples.support;

/**
 * A text progress bar for training loops ({@code tqdm}): redraws one line on a terminal, prints a line at
 * every tenth otherwise (logs, captured output).
 *
 * <pre>{@code
 * var bar = new Progress("epoch 1/2", loader.size());
 * for (...) { ...; bar.step("loss " + loss); }
 * bar.done();
 * }</pre>
 */
public final class Progress {
    private final String label;
    private final int total;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private int done;
    private int lastTenth = -1;

    /** A bar for {@code total} steps. */
    public Progress(String label, int total) {
        this.label = label;
        this.total = Math.max(total, 1);
    }

    /** Advances one step and shows {@code info} beside the bar. */
    public void step(String info) {
        done++;
        int tenth = done * 10 / total;
        if (terminal) {
            System.out.print("\r" + line(info));
            System.out.flush();
        } else if (tenth != lastTenth) {
            lastTenth = tenth;
            System.out.println(line(info));
        }
    }

    /** Ends the bar's line on a terminal. */
    public void done() {
        if (terminal) System.out.println();
    }

    private String line(String info) {
        int width = 30;
        int fill = done * width / total;
        double secs = (System.nanoTime() - start) / 1e9;
        return String.format("%s [%s%s] %d/%d %.0fs %s", label, "=".repeat(fill), " ".repeat(width - fill), done, total, secs, info);
    }
}
