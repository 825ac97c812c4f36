package dev.kindling;

import java.lang.ref.Reference;
import java.util.Arrays;

/** Creation of tensors from Java arrays, constants, ranges and random draws. */
final class Factory {
    private Factory() {}

    static int[] checkSize(String op, int length, int[] shape) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
        int[] s = Shapes.infer(op, shape, length);
        if (Shapes.numel(s) != length) {
            throw new IllegalArgumentException(op + ": " + length + " values do not fill shape " + Arrays.toString(shape));
        }
        return s;
    }

    /** Copies {@code data} into a new tensor right away, so the caller's array is neither kept nor cloned. */
    static Tensor fromArray(Object data, int[] shape) {
        DType dt = data instanceof float[] ? DType.FLOAT32 : data instanceof double[] ? DType.FLOAT64
                : data instanceof long[] ? DType.INT64 : data instanceof int[] ? DType.INT32 : DType.BOOL;
        Tensor t = Tensor.empty(dt, Device.CPU, shape);
        if (Shapes.numel(shape) > 0) t.backend().write(t.view(), data);
        return t;
    }

    static Tensor nested(Object rows) {
        // flatten a rectangular nested primitive array, checking every row's length
        java.util.List<Integer> shape = new java.util.ArrayList<>();
        Object cur = Args.notNull("Tensor.of", "values", rows);
        while (cur.getClass().isArray() && cur.getClass().getComponentType().isArray()) {
            int n = java.lang.reflect.Array.getLength(cur);
            shape.add(n);
            if (n == 0) break;
            cur = java.lang.reflect.Array.get(cur, 0);
        }
        if (cur.getClass().isArray()) shape.add(java.lang.reflect.Array.getLength(cur));
        int[] s = shape.stream().mapToInt(Integer::intValue).toArray();
        Class<?> leaf = rows.getClass();
        while (leaf.isArray()) leaf = leaf.getComponentType();
        // rows may share one array, so the product can pass what the tensor (or a Java array) can hold
        int total = (int) (Shapes.storageBytes("Tensor.of", s, leafType(leaf)) / leafType(leaf).byteSize());
        Object flat = java.lang.reflect.Array.newInstance(leaf, total);
        int[] pos = {0};
        copyNested(rows, 0, s, flat, pos);
        if (flat instanceof int[] ints) {
            long[] l = new long[ints.length];
            for (int i = 0; i < l.length; i++) l[i] = ints[i];
            flat = l;
        }
        return fromArray(flat, s);
    }

    private static DType leafType(Class<?> leaf) {
        return leaf == float.class ? DType.FLOAT32 : leaf == double.class ? DType.FLOAT64
                : leaf == long.class || leaf == int.class ? DType.INT64 : DType.BOOL; // int rows become INT64
    }

    private static void copyNested(Object arr, int depth, int[] shape, Object flat, int[] pos) {
        if (arr == null) throw new IllegalArgumentException("Tensor.of: a row at dim " + depth + " is null");
        int n = java.lang.reflect.Array.getLength(arr);
        if (n != shape[depth]) {
            throw new IllegalArgumentException("Tensor.of: expected sequence of length " + shape[depth] + " at dim "
                    + depth + " (got " + n + ")");
        }
        if (depth == shape.length - 1) {
            System.arraycopy(arr, 0, flat, pos[0], n);
            pos[0] += n;
            return;
        }
        for (int i = 0; i < n; i++) copyNested(java.lang.reflect.Array.get(arr, i), depth + 1, shape, flat, pos);
    }

    static Tensor full(int[] shape, double value, DType dtype, Device device) {
        return full("full", shape, value, dtype, device);
    }

    /** {@link #full} for a public creation op, so a negative or impossible size names the op the user called. */
    static Tensor full(String op, int[] shape, double value, DType dtype, Device device) {
        Tensor t = Tensor.empty(op, dtype, device, checkShape(op, shape));
        if (t.numel() > 0) {
            if (dtype.isIntegral() && value == Math.rint(value) && Math.abs(value) < 0x1p62) {
                t.backend().fillLong(t.view(), (long) value);
            } else {
                t.backend().fill(t.view(), value);
            }
        }
        return t;
    }

    /** The dtype of {@code t} when it is floating; random floats cannot take an integer dtype, as in PyTorch. */
    static DType floatingLike(String op, Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point tensor, got " + t.dtype()
                    + " (use randint for integers)");
        }
        return t.dtype();
    }

    // The random factories allocate their result first: that checks the size (naming the op, the shape and
    // the bytes) before any Java array of that size is made.

    static Tensor rand(Generator g, int[] shape, DType dtype) {
        Tensor out = Tensor.empty("rand", dtype, Device.CPU, checkShape("rand", shape));
        int n = (int) out.numel();
        if (dtype == DType.FLOAT64) {
            double[] d = new double[n];
            g.fillUniform(d);
            return written(out, d);
        }
        float[] f = new float[n];
        g.fillUniform(f);
        if (dtype == DType.FLOAT32) return written(out, f);
        out.close();
        return fromArray(f, shape.clone()).to(dtype);
    }

    static Tensor randn(Generator g, int[] shape, DType dtype) {
        Tensor out = Tensor.empty("randn", dtype, Device.CPU, checkShape("randn", shape));
        double[] d = new double[(int) out.numel()];
        g.fillGaussian(d);
        if (dtype == DType.FLOAT64) return written(out, d);
        if (dtype == DType.FLOAT32) {
            float[] f = new float[d.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
            return written(out, f);
        }
        out.close();
        return fromArray(d, shape.clone()).to(dtype);
    }

    static Tensor randint(Generator g, long low, long high, int[] shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expects low < high, got low=" + low + ", high=" + high);
        long range = high - low;
        if (range <= 0) { // wrapped: the span does not fit a long
            throw new IllegalArgumentException("randint: the range [" + low + ", " + high + ") is wider than a long can count");
        }
        Tensor out = Tensor.empty("randint", DType.INT64, Device.CPU, checkShape("randint", shape));
        long[] l = new long[(int) out.numel()];
        for (int i = 0; i < l.length; i++) l[i] = low + g.nextLong(range);
        return written(out, l);
    }

    private static Tensor written(Tensor out, Object values) {
        if (out.numel() > 0) out.backend().write(out.view(), values);
        return out;
    }

    /** The element count of {@code t} as a Java array length, or an error naming {@code op}. */
    static int hostCount(String op, Tensor t) {
        long n = t.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(op + ": tensor of shape " + Arrays.toString(t.shapeInternal()) + " has " + n
                    + " elements, more than a Java array can hold");
        }
        return (int) n;
    }

    static Tensor randperm(Generator g, int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            long tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return fromArray(p, new int[]{n});
    }

    static Tensor bernoulli(Generator g, Tensor p) {
        double[] probs = p.toDoubleArray();
        for (double q : probs) {
            if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("bernoulli: expected all probabilities in [0, 1], got " + q);
        }
        double[] out = new double[probs.length];
        g.fillUniform(out);  // the draws nextDouble would give, under one lock
        for (int i = 0; i < probs.length; i++) out[i] = out[i] < probs[i] ? 1 : 0;
        DType dt = p.dtype().isFloatingPoint() ? p.dtype() : Kindling.defaultDType();
        return fromArray(out, p.shape()).to(dt);
    }

    static Tensor bernoulliFill(Generator g, Tensor t, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli_: expected p in [0, 1], got " + p);
        double[] out = new double[hostCount("bernoulli_", t)];
        g.fillBernoulli(out, p);
        return writeInto(t, out);
    }

    static Tensor uniformFill(Generator g, Tensor t, double from, double to) {
        if (from > to) throw new IllegalArgumentException("uniform_: expects from <= to, got from=" + from + ", to=" + to);
        double[] out = new double[hostCount("uniform_", t)];
        g.fillUniform(out);
        for (int i = 0; i < out.length; i++) out[i] = from + out[i] * (to - from);
        return writeInto(t, out);
    }

    static Tensor normalFill(Generator g, Tensor t, double mean, double std) {
        if (std < 0) throw new IllegalArgumentException("normal_: expects std >= 0, got " + std);
        double[] out = new double[hostCount("normal_", t)];
        g.fillGaussian(out);
        for (int i = 0; i < out.length; i++) out[i] = mean + out[i] * std;
        return writeInto(t, out);
    }

    /** In-place fill from host values; like every init op it runs outside autograd. */
    private static Tensor writeInto(Tensor t, double[] values) {
        Tensor src = fromArray(values, t.shape());
        try (var off = GradMode.set(false)) {
            t.backend().copy(src.view(), t.view());
            Reference.reachabilityFence(src);
        }
        src.close();
        t.bumpVersion();
        return t;
    }

    static Tensor eye(int n, int m) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("eye: sizes must be non-negative, got " + n + ", " + m);
        Tensor out = Tensor.empty("eye", DType.FLOAT32, Device.CPU, new int[]{n, m});
        float[] d = new float[(int) out.numel()];
        for (int i = 0; i < Math.min(n, m); i++) d[i * m + i] = 1;
        return written(out, d);
    }

    static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign");
        }
        int n = arangeCount((end - start + step - Long.signum(step)) / step, start, end, step);
        long[] d = new long[Math.max(0, n)];
        for (int i = 0; i < d.length; i++) d[i] = start + i * step;
        return fromArray(d, new int[]{d.length});
    }

    /** The element count as an int; the (int) cast used to wrap arange(0, 2^40) to an empty tensor. */
    private static int arangeCount(long count, long start, long end, long step) {
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: start " + start + ", end " + end + ", step " + step
                    + " would give " + count + " elements, more than a tensor can hold");
        }
        return (int) count;
    }

    static Tensor arangeFloat(double start, double end, double step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be nonzero");
        if ((step > 0 && end < start) || (step < 0 && end > start)) {
            throw new IllegalArgumentException("arange: upper bound and larger bound inconsistent with step sign");
        }
        double count = Math.ceil((end - start) / step);
        if (!(count < Integer.MAX_VALUE)) { // also catches NaN and infinite bounds
            throw new IllegalArgumentException("arange: start " + start + ", end " + end + ", step " + step
                    + " would give " + count + " elements, more than a tensor can hold");
        }
        int n = (int) count;
        float[] d = new float[Math.max(0, n)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (start + i * step);
        return fromArray(d, new int[]{d.length});
    }

    static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        float[] d = new float[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // like PyTorch, fill the second half from the end so the last value is exactly `end`
        int half = steps / 2;
        for (int i = 0; i < steps; i++) d[i] = (float) (i < half ? start + step * i : end - step * (steps - 1 - i));
        if (steps == 1) d[0] = (float) start; // torch.linspace(a, b, 1) is [a]
        return fromArray(d, new int[]{steps});
    }

    static int[] checkShape(String op, int[] shape) {
        if (shape == null) throw new IllegalArgumentException(op + ": shape is null");
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(shape));
        }
        return shape;
    }
}
