package dev.kindling.samples.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a sample's source into named cells. A cell starts at a {@code // cell: name} comment and ends at the next
 * such comment, at {@code // end cell}, or at the first line indented less than the comment (the closing brace
 * of the enclosing method). {@code Cells.cell(...)} lines are left out: they only mark the output.
 */
public final class SourceCells {
    private static final String START = "// cell: ";
    private static final String END = "// end cell";

    private SourceCells() {}

    /** The cells of {@code source}, by name, in order, dedented, without trailing blank lines. */
    public static Map<String, String> parse(String source) {
        Map<String, String> cells = new LinkedHashMap<>();
        String[] lines = source.split("\n", -1);
        String name = null;
        int indent = 0;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            String trimmed = line.strip();
            int lineIndent = line.length() - line.stripLeading().length();
            boolean closes = name != null && (trimmed.startsWith(START) || trimmed.equals(END)
                    || (!trimmed.isEmpty() && lineIndent < indent));
            if (closes) {
                put(cells, name, body, indent);
                name = null;
            }
            if (trimmed.startsWith(START)) {
                name = trimmed.substring(START.length()).strip();
                indent = lineIndent;
                body = new ArrayList<>();
            } else if (name != null && !trimmed.startsWith("Cells.cell(")) {
                body.add(line);
            }
        }
        if (name != null) put(cells, name, body, indent);
        return cells;
    }

    private static void put(Map<String, String> cells, String name, List<String> body, int indent) {
        if (cells.containsKey(name)) throw new IllegalArgumentException("SourceCells: cell '" + name + "' appears twice");
        while (!body.isEmpty() && body.get(body.size() - 1).isBlank()) body.remove(body.size() - 1);
        while (!body.isEmpty() && body.get(0).isBlank()) body.remove(0);
        StringBuilder sb = new StringBuilder();
        for (String l : body) {
            sb.append(l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l.strip()).append('\n');
        }
        cells.put(name, sb.toString());
    }
}
