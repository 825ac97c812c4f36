package dev.kindling.data;

import dev.kindling.DType;
import dev.kindling.Tensor;

import java.util.Arrays;

/** Shared helpers of {@link Sample} and {@link Batch}: both are small tuples of tensors and numbers. */
final class Items {
    private Items() { }

    static Object[] check(String what, Object[] items) {
        if (items == null) throw new IllegalArgumentException(what + ": items must not be null");
        for (int i = 0; i < items.length; i++) {
            if (items[i] == null) throw new IllegalArgumentException(what + ": item " + i + " is null");
        }
        return items.clone();
    }

    static Object item(String what, Object[] items, int i) {
        if (i < 0 || i >= items.length) {
            throw new IndexOutOfBoundsException(what + ".get(" + i + "): index out of range for a " + what
                    + " of " + items.length + " items");
        }
        return items[i];
    }

    /** The item as a tensor; a boxed number becomes a 0-dimensional tensor, as PyTorch's collate does. */
    static Tensor tensor(String what, Object[] items, int i) {
        Object o = item(what, items, i);
        if (o instanceof Tensor t) return t;
        if (o instanceof Number || o instanceof Boolean) return scalar(o);
        throw new ClassCastException(what + ".get(" + i + "): item " + i + " is a " + o.getClass().getSimpleName()
                + ", not a Tensor; use item(" + i + ") to read it as it is");
    }

    /** Integer types become INT64, Float FLOAT32, Double FLOAT64 and Boolean BOOL. */
    static Tensor scalar(Object o) {
        if (o instanceof Boolean b) return Tensor.of(b.booleanValue()).reshape();
        if (o instanceof Float f) return Tensor.scalar(f, DType.FLOAT32);
        if (o instanceof Double d) return Tensor.scalar(d, DType.FLOAT64);
        return Tensor.scalar(((Number) o).longValue(), DType.INT64);
    }

    static String describe(Object o) {
        if (o instanceof Tensor t) return "Tensor" + t.dtype() + Arrays.toString(t.shape());
        if (o instanceof Image im) return im.toString();
        return o.getClass().getSimpleName() + "(" + o + ")";
    }

    static String toString(String what, Object[] items) {
        StringBuilder sb = new StringBuilder(what).append('(');
        for (int i = 0; i < items.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(describe(items[i]));
        }
        return sb.append(')').toString();
    }
}
