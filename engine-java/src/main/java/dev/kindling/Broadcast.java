package dev.kindling;

import java.util.Arrays;

/** NumPy broadcasting: the shape two operands meet in, and the gradient's way back to each operand. */
final class Broadcast {
    private Broadcast() {}

    static int[] shape(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (size " + da + " vs " + db + " at dimension " + i + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read {@code t} as if it had shape {@code target} (stride 0 on broadcast dims). */
    static int[] strides(Tensor t, int[] target) {
        int[] s = t.shapeInternal(), st = t.stridesInternal();
        int n = target.length, off = n - s.length;
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            if (i < off) continue;
            out[i] = s[i - off] == 1 && target[i] != 1 ? 0 : st[i - off];
        }
        return out;
    }

    /** Sums a gradient of a broadcast result back to the operand's {@code shape}. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shapeInternal();
        int lead = gs.length - shape.length;
        if (lead < 0) return g.reshape(shape);
        int count = 0;
        int[] dims = new int[gs.length];
        // two loops, not one with i - lead: C2 hoisted that index's range check on the profile's lead and fell back
        // to the interpreter whenever another came (four deoptimisations, three compiles of the backward's Engine.fit)
        for (int i = 0; i < lead; i++) dims[count++] = i;
        for (int j = 0; j < shape.length; j++) {
            if (shape[j] == 1 && gs[j + lead] != 1) dims[count++] = j + lead;
        }
        Tensor r = count == 0 ? g : g.sum(Arrays.copyOf(dims, count), true);
        return Arrays.equals(r.shapeInternal(), shape) ? r : r.reshape(shape);
    }
}
