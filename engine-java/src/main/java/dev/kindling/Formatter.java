package dev.kindling;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's tensor repr: a shared width per tensor, 4 decimals for floats (scientific notation when the
 * range demands it), "..." summarisation past 1000 elements, and the suffixes PyTorch prints
 * ({@code dtype=} when not the default, {@code grad_fn=} or {@code requires_grad=True}).
 */
final class Formatter {
    private static final int THRESHOLD = 1000, EDGE = 3, PRECISION = 4, LINE_WIDTH = 80;

    private Formatter() {}

    static String format(Tensor t) {
        if (t.isClosed()) return "tensor(<released>)";
        StringBuilder sb = new StringBuilder("tensor(");
        double[] values;
        try (var off = GradMode.set(false)) {
            values = t.dtype() == DType.INT64 ? null : t.toDoubleArray();
        }
        long[] longs = t.dtype() == DType.INT64 ? t.toLongArray() : null;
        boolean summarize = t.numel() > THRESHOLD;
        int[] shape = t.shapeInternal();
        // like PyTorch, a summarised tensor's format (width, sci mode) is decided by the elements shown only
        long[] shown = summarize ? shownIndices(shape) : null;
        ElementFormat fmt = new ElementFormat(t.dtype(), values, longs, shown);
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            sb.append(tensorStr(shape, 0, 0, fmt, summarize, 7));
        }
        List<String> suffixes = new ArrayList<>();
        if (t.numel() == 0) {
            if (t.dim() != 1) suffixes.add("size=" + shapeString(t.shapeInternal()));
            // an empty tensor has no elements to show its type, so PyTorch names any non-default dtype
            if (t.dtype() != Kindling.defaultDType()) suffixes.add("dtype=" + t.dtype().torchName());
        } else if (t.dtype() != Kindling.defaultDType() && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL) {
            suffixes.add("dtype=" + t.dtype().torchName());
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(sb.toString(), suffixes, 7);
    }

    /** torch._tensor_str._add_suffixes: a suffix that would pass 80 columns goes on its own line. */
    private static String addSuffixes(String tensorStr, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(tensorStr);
        int lastLineLen = tensorStr.length() - tensorStr.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String shapeString(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    /** torch._tensor_str._tensor_str_with_formatter: nested brackets, blank lines between blocks. */
    private static String tensorStr(int[] shape, int depth, long base, ElementFormat fmt, boolean summarize, int indent) {
        int dims = shape.length - depth;
        if (dims == 0) return fmt.format(base);
        int n = shape[depth];
        if (dims == 1) return vectorStr(n, base, fmt, summarize, indent);
        long stride = 1;
        for (int i = depth + 1; i < shape.length; i++) stride *= shape[i];
        List<String> slices = new ArrayList<>();
        for (int i : rows(n, summarize)) {
            slices.add(i < 0 ? "..." : tensorStr(shape, depth + 1, base + i * stride, fmt, summarize, indent + 1));
        }
        return "[" + String.join("," + "\n".repeat(dims - 1) + " ".repeat(indent + 1), slices) + "]";
    }

    /** torch._tensor_str._vector_str: elements wrapped so a line stays within 80 characters. */
    private static String vectorStr(int n, long base, ElementFormat fmt, boolean summarize, int indent) {
        int elementLength = fmt.width + 2;
        int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
        List<String> data = new ArrayList<>();
        for (int i : rows(n, summarize)) data.add(i < 0 ? " ..." : fmt.format(base + i));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** Indices printed along a dimension of size n; -1 marks the "..." gap. */
    private static int[] rows(int n, boolean summarize) {
        if (!summarize || n <= 2 * EDGE) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) r[i] = i;
            return r;
        }
        int[] r = new int[2 * EDGE + 1];
        for (int i = 0; i < EDGE; i++) {
            r[i] = i;
            r[EDGE + 1 + i] = n - EDGE + i;
        }
        r[EDGE] = -1;
        return r;
    }

    /** Flat indices of the elements a summarised print shows (torch's get_summarized_data). */
    private static long[] shownIndices(int[] shape) {
        List<Long> out = new ArrayList<>();
        collect(shape, 0, 0, out);
        long[] r = new long[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = out.get(i);
        return r;
    }

    private static void collect(int[] shape, int depth, long base, List<Long> out) {
        if (depth == shape.length) {
            out.add(base);
            return;
        }
        long stride = 1;
        for (int i = depth + 1; i < shape.length; i++) stride *= shape[i];
        for (int i : rows(shape[depth], true)) {
            if (i >= 0) collect(shape, depth + 1, base + i * stride, out);
        }
    }

    /** Decides, from the shown values, how each one is written, as torch._tensor_str._Formatter does. */
    private static final class ElementFormat {
        final DType dtype;
        final double[] values;
        final long[] longs;
        boolean intMode = true, sciMode;
        int width = 1;

        ElementFormat(DType dtype, double[] values, long[] longs, long[] shown) {
            this.dtype = dtype;
            this.values = values;
            this.longs = longs;
            long n = longs != null ? longs.length : values.length;
            if (!dtype.isFloatingPoint()) {
                for (long k = 0, m = shown == null ? n : shown.length; k < m; k++) {
                    width = Math.max(width, plain(shown == null ? k : shown[(int) k]).length());
                }
                return;
            }
            // only non-zero finite values decide the mode and the width
            List<Double> vals = new ArrayList<>();
            for (long k = 0, m = shown == null ? n : shown.length; k < m; k++) {
                double x = values[(int) (shown == null ? k : shown[(int) k])];
                if (Double.isFinite(x) && x != 0) vals.add(x);
            }
            if (vals.isEmpty()) return;
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            for (double x : vals) {
                if (x != Math.ceil(x)) intMode = false;
                maxAbs = Math.max(maxAbs, Math.abs(x));
                minAbs = Math.min(minAbs, Math.abs(x));
            }
            sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!intMode && minAbs < 1e-4);
            for (double x : vals) {
                String s = sciMode ? sci(x) : intMode ? fixed(x, 0) + "." : fixed(x, PRECISION);
                width = Math.max(width, s.length());
            }
        }

        private String plain(long i) {
            if (dtype == DType.BOOL) return values[(int) i] != 0 ? "True" : "False";
            if (longs != null) return Long.toString(longs[(int) i]);
            return Long.toString((long) values[(int) i]);
        }

        String format(long i) {
            String s;
            if (!dtype.isFloatingPoint()) {
                s = plain(i);
            } else {
                double x = values[(int) i];
                if (Double.isNaN(x)) s = "nan";
                else if (Double.isInfinite(x)) s = x > 0 ? "inf" : "-inf";
                else if (sciMode) s = sci(x);
                else if (intMode) s = fixed(x, 0) + ".";
                else s = fixed(x, PRECISION);
            }
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        /** Python's '{:.Nf}': correctly rounded, half to even, on the exact binary value. */
        private static String fixed(double x, int digits) {
            String s = new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
            return (x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-") ? "-" + s : s;
        }

        /** Python's '{:.4e}'. */
        private static String sci(double x) {
            if (x == 0) return (1 / x < 0 ? "-" : "") + "0." + "0".repeat(PRECISION) + "e+00";
            BigDecimal bd = new BigDecimal(x).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            int exp = bd.precision() - bd.scale() - 1;
            String mant = bd.movePointLeft(exp).setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
            return mant + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }
    }
}
