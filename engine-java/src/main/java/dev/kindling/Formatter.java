package dev.kindling;

import java.util.Locale;

/**
 * PyTorch's tensor repr: a shared width per tensor, 4 decimals for floats (scientific notation when the
 * range demands it), "..." summarisation past 1000 elements, and the suffixes PyTorch prints
 * ({@code dtype=} when not the default, {@code grad_fn=} or {@code requires_grad=True}).
 */
final class Formatter {
    private static final int THRESHOLD = 1000, EDGE = 3, PRECISION = 4;

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
        ElementFormat fmt = new ElementFormat(t.dtype(), values, longs, summarize, t.shapeInternal());
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            body(sb, t.shapeInternal(), 0, 0, values, longs, fmt, summarize, 7);
        }
        boolean defaultType = t.dtype() == DType.FLOAT32 || t.dtype() == DType.INT64 || t.dtype() == DType.BOOL;
        if (t.numel() == 0 && t.dim() != 1) sb.append(", size=").append(shapeString(t.shapeInternal()));
        if (!defaultType) sb.append(", dtype=").append(t.dtype().torchName());
        if (t.gradFn() != null) sb.append(", grad_fn=<").append(t.gradFn().name()).append(">");
        else if (t.requiresGrad()) sb.append(", requires_grad=True");
        return sb.append(")").toString();
    }

    private static String shapeString(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
        return b.append(s.length == 1 ? ",)" : ")").toString();
    }

    private static void body(StringBuilder sb, int[] shape, int depth, long base, double[] v, long[] l,
                             ElementFormat fmt, boolean summarize, int indent) {
        if (shape.length == 0) {
            sb.append(fmt.format(v, l, 0));
            return;
        }
        long stride = 1;
        for (int i = depth + 1; i < shape.length; i++) stride *= shape[i];
        int n = shape[depth];
        sb.append('[');
        boolean last = depth == shape.length - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..., " : "...,\n" + " ".repeat(indent + depth + 1).repeat(1));
                if (!last) sb.append("\n".repeat(Math.max(0, shape.length - depth - 2))).append(" ".repeat(0));
                i = n - EDGE - 1;
                continue;
            }
            if (last) {
                sb.append(fmt.format(v, l, base + i));
                if (i < n - 1) sb.append(", ");
            } else {
                body(sb, shape, depth + 1, base + i * stride, v, l, fmt, summarize, indent);
                if (i < n - 1) {
                    sb.append(",").append("\n".repeat(shape.length - depth - 1)).append(" ".repeat(indent + depth + 1));
                }
            }
        }
        sb.append(']');
    }

    /** Decides, from all values, how each one is written, as torch._tensor_str._Formatter does. */
    private static final class ElementFormat {
        final DType dtype;
        boolean intMode, sciMode;
        int width;

        ElementFormat(DType dtype, double[] values, long[] longs, boolean summarize, int[] shape) {
            this.dtype = dtype;
            if (dtype == DType.BOOL) {
                width = 5;
                return;
            }
            if (longs != null || dtype == DType.INT32) {
                width = 1;
                if (longs != null) for (long x : longs) width = Math.max(width, Long.toString(x).length());
                else for (double x : values) width = Math.max(width, Long.toString((long) x).length());
                return;
            }
            double maxAbs = 0, minAbs = Double.MAX_VALUE;
            boolean anyFinite = false;
            intMode = true;
            for (double x : values) {
                if (!Double.isFinite(x)) continue;
                anyFinite = true;
                if (x != Math.ceil(x)) intMode = false;
                double a = Math.abs(x);
                maxAbs = Math.max(maxAbs, a);
                if (a != 0) minAbs = Math.min(minAbs, a);
            }
            if (!anyFinite) {
                intMode = false;
                width = 0;
                for (double x : values) width = Math.max(width, format(x).length());
                return;
            }
            if (minAbs == Double.MAX_VALUE) minAbs = 0;
            if (intMode) {
                sciMode = maxAbs > 1e8;
            } else {
                sciMode = maxAbs / Math.max(minAbs, Double.MIN_VALUE) > 1000 || maxAbs > 1e8 || (minAbs != 0 && minAbs < 1e-4);
            }
            width = 0;
            for (double x : values) width = Math.max(width, format(x).length());
        }

        String format(double x) {
            if (Double.isNaN(x)) return "nan";
            if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
            if (sciMode) return String.format(Locale.ROOT, "%." + PRECISION + "e", x).replace("e+0", "e+0");
            if (intMode) return String.format(Locale.ROOT, "%.0f", x) + ".";
            return String.format(Locale.ROOT, "%." + PRECISION + "f", x);
        }

        String format(double[] v, long[] l, long i) {
            String s;
            if (dtype == DType.BOOL) s = v[(int) i] != 0 ? "True" : "False";
            else if (l != null) s = Long.toString(l[(int) i]);
            else if (dtype == DType.INT32) s = Long.toString((long) v[(int) i]);
            else s = format(v[(int) i]);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
