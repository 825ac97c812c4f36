package dev.kindling.data;

import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The default collate; errors name the dataset indices of the offending samples when they are known. */
final class DefaultCollate {
    private DefaultCollate() { }

    /** {@code indices} are the data set indices of the samples, or null when unknown. */
    static Batch collate(List<Sample> samples, int[] indices) {
        if (samples.isEmpty()) throw new IllegalArgumentException("default collate: the batch has no samples");
        Sample first = samples.get(0);
        int width = first.size();
        for (int k = 1; k < samples.size(); k++) {
            if (samples.get(k).size() != width) {
                throw new IllegalArgumentException("default collate: samples have different numbers of items: " + name(indices, 0)
                        + " has " + width + " and " + name(indices, k) + " has " + samples.get(k).size());
            }
        }
        Object[] out = new Object[width];
        try {
            for (int pos = 0; pos < width; pos++) out[pos] = column(samples, indices, pos);
        } catch (RuntimeException e) {
            for (Object o : out) if (o instanceof Tensor t) t.close();
            throw e;
        }
        return Batch.of(out);
    }

    private static Object column(List<Sample> samples, int[] indices, int pos) {
        Object head = samples.get(0).item(pos);
        if (head instanceof Tensor t0) {
            List<Tensor> ts = new ArrayList<>(samples.size());
            for (int k = 0; k < samples.size(); k++) {
                Object o = samples.get(k).item(pos);
                if (!(o instanceof Tensor t)) throw mixed(indices, pos, 0, head, k, o);
                if (!Arrays.equals(t.shape(), t0.shape()) || t.dtype() != t0.dtype()) {
                    throw new IllegalArgumentException("default collate: cannot stack item " + pos + " of the samples: "
                            + name(indices, 0) + " has " + t0.dtype() + Arrays.toString(t0.shape()) + " but "
                            + name(indices, k) + " has " + t.dtype() + Arrays.toString(t.shape())
                            + "; make the samples the same shape (e.g. Transforms.resize) or pass a custom collate");
                }
                ts.add(t);
            }
            return Tensor.stack(ts, 0);
        }
        if (head instanceof Number || head instanceof Boolean) return numbers(samples, indices, pos, head);
        throw new IllegalArgumentException("default collate: item " + pos + " of " + name(indices, 0) + " is a "
                + head.getClass().getSimpleName() + "; it can only batch tensors and numbers"
                + (head instanceof Image ? " (add Transforms.toTensor() to the data set's transform)" : "")
                + ", or pass a custom collate");
    }

    private static Tensor numbers(List<Sample> samples, int[] indices, int pos, Object head) {
        int n = samples.size();
        Class<?> kind = kind(head);
        for (int k = 0; k < n; k++) {
            Object o = samples.get(k).item(pos);
            if (!(o instanceof Number || o instanceof Boolean) || kind(o) != kind) throw mixed(indices, pos, 0, head, k, o);
        }
        if (kind == Long.class) {
            long[] v = new long[n];
            for (int k = 0; k < n; k++) v[k] = ((Number) samples.get(k).item(pos)).longValue();
            return Tensor.fromArray(v, n);
        }
        if (kind == Boolean.class) {
            boolean[] v = new boolean[n];
            for (int k = 0; k < n; k++) v[k] = (Boolean) samples.get(k).item(pos);
            return Tensor.fromArray(v, n);
        }
        if (kind == Float.class) {
            float[] v = new float[n];
            for (int k = 0; k < n; k++) v[k] = ((Number) samples.get(k).item(pos)).floatValue();
            return Tensor.fromArray(v, n);
        }
        double[] v = new double[n];
        for (int k = 0; k < n; k++) v[k] = ((Number) samples.get(k).item(pos)).doubleValue();
        return Tensor.fromArray(v, n);
    }

    /** Integral boxed types collate together (as INT64), like Python ints. */
    private static Class<?> kind(Object o) {
        if (o instanceof Boolean) return Boolean.class;
        if (o instanceof Float) return Float.class;
        if (o instanceof Double || !(o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte)) return Double.class;
        return Long.class;
    }

    private static IllegalArgumentException mixed(int[] indices, int pos, int a, Object oa, int b, Object ob) {
        return new IllegalArgumentException("default collate: item " + pos + " has different kinds in one batch: "
                + name(indices, a) + " has " + Items.describe(oa) + " but " + name(indices, b) + " has " + Items.describe(ob));
    }

    private static String name(int[] indices, int k) {
        return indices == null ? "sample " + k + " of the batch" : "sample index " + indices[k];
    }
}
