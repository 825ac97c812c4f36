package dev.kindling.samples.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares two printouts of a sample: the text must be the same (runs of spaces count as one), the numbers
 * may differ by a relative 1e-3, by 1e-6, or by one unit of their last printed digit, because BLAS kernels round
 * differently from one CPU to the next. A number followed by a unit of time ({@code 101.2 ms/epoch}) is a measured
 * duration and may differ freely: no two runs take the same time.
 */
public final class OutputMatch {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.(\\d+))?(?:[eE][-+]?\\d+)?");
    /** Relative tolerance on numbers. */
    public static final double RELATIVE = 1e-3;
    /** Absolute tolerance, for losses printed near zero (1e-12 and 9e-13 are both "converged"). */
    public static final double ABSOLUTE = 1e-6;
    /** The text after a number, when it starts with a unit of time: {@code " ms/epoch, ..."}, {@code " s."}. */
    private static final Pattern TIME_UNIT = Pattern.compile("\\s*(ms|us|µs|s)(/|\\b).*", Pattern.DOTALL);

    private OutputMatch() {}

    /** Null when {@code expected} and {@code actual} match, otherwise a description of the first difference. */
    public static String difference(String expected, String actual) {
        List<String> e = tokens(expected), a = tokens(actual);
        for (int i = 0; i < Math.max(e.size(), a.size()); i++) {
            String x = i < e.size() ? e.get(i) : "<end>", y = i < a.size() ? a.get(i) : "<end>";
            if (x.equals(y)) continue;
            Matcher mx = NUMBER.matcher(x), my = NUMBER.matcher(y);
            if (mx.matches() && my.matches()) {
                double dx = Double.parseDouble(x), dy = Double.parseDouble(y);
                int decimals = Math.max(mx.group(1) == null ? 0 : mx.group(1).length(), my.group(1) == null ? 0 : my.group(1).length());
                double unit = decimals > 0 && !x.contains("e") && !x.contains("E") ? Math.pow(10, -decimals) * 1.01 : 0;
                if (Math.abs(dx - dy) <= RELATIVE * Math.max(Math.abs(dx), Math.abs(dy)) + Math.max(unit, ABSOLUTE)) continue;
                if (i + 1 < e.size() && i + 1 < a.size() && e.get(i + 1).equals(a.get(i + 1))
                        && TIME_UNIT.matcher(e.get(i + 1)).matches()) continue;
            }
            return "expected '" + x + "' but got '" + y + "' at token " + i + " near: " + context(a, i);
        }
        return null;
    }

    private static String context(List<String> tokens, int i) {
        return String.join("", tokens.subList(Math.max(0, i - 8), Math.min(tokens.size(), i + 4))).strip();
    }

    /** Numbers, and the text between them with whitespace runs collapsed. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = NUMBER.matcher(s);
        int last = 0;
        while (m.find()) {
            // a digit glued to a letter (float32, ch01, 1e) is text, not a number
            if (m.start() > 0 && Character.isLetter(s.charAt(m.start() - 1))) continue;
            addText(out, s.substring(last, m.start()));
            out.add(m.group());
            last = m.end();
        }
        addText(out, s.substring(last));
        return out;
    }

    private static void addText(List<String> out, String text) {
        String t = text.replaceAll("\\s+", " ");
        if (!t.isEmpty()) out.add(t);
    }
}
