package dev.kindling.samples.support;

/**
 * Marks where a notebook cell's output starts. A sample calls {@code Cells.cell("train")} right under its
 * {@code // cell: train} comment; when the notebook generator runs the sample it sees a marker line and files
 * what follows under that cell. Outside the generator it prints nothing.
 */
public final class Cells {
    /** Prefix of the marker line; the cell's name follows it. */
    public static final String MARKER = "\u001e%% cell: ";
    /** System property the generator sets while it captures a sample's output. */
    public static final String PROPERTY = "kindling.notebook";

    private Cells() {}

    /** Starts the output of cell {@code name} (prints a marker line only under the notebook generator). */
    public static void cell(String name) {
        if (Boolean.getBoolean(PROPERTY)) {
            System.out.flush();
            System.out.println(MARKER + name);
        }
    }
}
