package dev.kindling.testing;

import dev.kindling.DType;
import dev.kindling.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A reference tensor for property tests: a shape and its row-major values as doubles, with the few ops the
 * properties compare against written as plain loops over Java arrays (no Kindling code), plus the builders
 * that turn a reference into a Kindling tensor through a random view (transposed, permuted, sliced with a
 * step, expanded) and the comparison with a tolerance by dtype.
 */
public final class Ref {
    public final int[] shape;
    public final double[] data;

    public Ref(int[] shape, double[] data) {
        this.shape = shape.clone();
        this.data = data;
        if (data.length != numel(shape)) throw new IllegalStateException("ref: " + data.length + " values for " + Arrays.toString(shape));
    }

    public static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public int numel() { return data.length; }

    public int rank() { return shape.length; }

    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** The multi-index of flat position {@code flat} in {@code shape}. */
    public static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = flat % shape[i];
            flat /= shape[i];
        }
        return idx;
    }

    public static int ravel(int[] idx, int[] shape) {
        int f = 0;
        for (int i = 0; i < shape.length; i++) f = f * shape[i] + idx[i];
        return f;
    }

    public double at(int... idx) { return data[ravel(idx, shape)]; }

    // ------------------------------------------------------------------------------------------ reference ops

    public Ref map(DoubleUnaryOperator f) {
        double[] out = new double[data.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(data[i]);
        return new Ref(shape, out);
    }

    /** NumPy broadcasting of two shapes, or null when they cannot be broadcast. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) return null;
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** This reference read as {@code target} (which it broadcasts to). */
    public Ref expandTo(int[] target) {
        double[] d = new double[numel(target)];
        int lead = target.length - shape.length;
        for (int f = 0; f < d.length; f++) {
            int[] t = unravel(f, target);
            int[] s = new int[shape.length];
            for (int i = 0; i < shape.length; i++) s[i] = shape[i] == 1 ? 0 : t[i + lead];
            d[f] = at(s);
        }
        return new Ref(target, d);
    }

    public static Ref zip(Ref a, Ref b, DoubleBinaryOperator f) {
        int[] s = broadcast(a.shape, b.shape);
        Ref ea = a.expandTo(s), eb = b.expandTo(s);
        double[] out = new double[ea.data.length];
        for (int i = 0; i < out.length; i++) out[i] = f.applyAsDouble(ea.data[i], eb.data[i]);
        return new Ref(s, out);
    }

    /** Reduces over {@code dims} (distinct, non-negative) with {@code init} and {@code op}. */
    public Ref reduce(int[] dims, boolean keepdim, double init, DoubleBinaryOperator op) {
        boolean[] red = new boolean[shape.length];
        for (int d : dims) red[d] = true;
        int[] kept = shape.clone();
        for (int d : dims) kept[d] = 1;
        double[] acc = new double[numel(kept)];
        Arrays.fill(acc, init);
        for (int f = 0; f < data.length; f++) {
            int[] idx = unravel(f, shape);
            for (int d : dims) idx[d] = 0;
            int o = ravel(idx, kept);
            acc[o] = op.applyAsDouble(acc[o], data[f]);
        }
        if (keepdim) return new Ref(kept, acc);
        int[] sq = new int[shape.length - dims.length];
        for (int i = 0, j = 0; i < shape.length; i++) if (!red[i]) sq[j++] = shape[i];
        return new Ref(sq, acc);
    }

    /** torch.matmul: 1-D operands get a dim prepended (a) or appended (b) that is dropped afterwards. */
    public static Ref matmul(Ref a, Ref b) {
        int[] as = a.rank() == 1 ? new int[]{1, a.shape[0]} : a.shape;
        int[] bs = b.rank() == 1 ? new int[]{b.shape[0], 1} : b.shape;
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        int[] batch = broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        Ref a2 = new Ref(as, a.data), b2 = new Ref(bs, b.data);
        int[] aFull = Arrays.copyOf(batch, batch.length + 2), bFull = Arrays.copyOf(batch, batch.length + 2);
        aFull[batch.length] = m;
        aFull[batch.length + 1] = k;
        bFull[batch.length] = k;
        bFull[batch.length + 1] = n;
        Ref ea = a2.expandTo(aFull), eb = b2.expandTo(bFull);
        int nb = numel(batch);
        double[] out = new double[nb * m * n];
        for (int bi = 0; bi < nb; bi++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += ea.data[bi * m * k + i * k + p] * eb.data[bi * k * n + p * n + j];
                    out[bi * m * n + i * n + j] = s;
                }
            }
        }
        int[] finalShape = outShape;
        if (a.rank() == 1 && b.rank() == 1) finalShape = new int[0];
        else if (a.rank() == 1) finalShape = drop(outShape, outShape.length - 2);
        else if (b.rank() == 1) finalShape = drop(outShape, outShape.length - 1);
        return new Ref(finalShape, out);
    }

    private static int[] drop(int[] s, int at) {
        int[] o = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != at) o[j++] = s[i];
        return o;
    }

    /** {@code out[i] = this[i with dim replaced by perm-mapped index]}: out dim k is this dim {@code dims[k]}. */
    public Ref permute(int[] dims) {
        int[] os = new int[dims.length];
        for (int k = 0; k < dims.length; k++) os[k] = shape[dims[k]];
        double[] out = new double[data.length];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, os);
            int[] src = new int[shape.length];
            for (int k = 0; k < dims.length; k++) src[dims[k]] = o[k];
            out[f] = at(src);
        }
        return new Ref(os, out);
    }

    /** Elements {@code start, start + step, ...} below {@code end} of dim {@code dim} (already clamped). */
    public Ref slice(int dim, int start, int end, int step) {
        int len = end > start ? (end - start + step - 1) / step : 0;
        int[] os = shape.clone();
        os[dim] = len;
        double[] out = new double[numel(os)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, os);
            o[dim] = start + o[dim] * step;
            out[f] = at(o);
        }
        return new Ref(os, out);
    }

    public Ref indexSelect(int dim, long[] index) {
        int[] os = shape.clone();
        os[dim] = index.length;
        double[] out = new double[numel(os)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, os);
            o[dim] = (int) index[o[dim]];
            out[f] = at(o);
        }
        return new Ref(os, out);
    }

    public Ref gather(int dim, Ref index) {
        double[] out = new double[index.numel()];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, index.shape);
            o[dim] = (int) index.data[f];
            out[f] = at(o);
        }
        return new Ref(index.shape, out);
    }

    public static Ref cat(List<Ref> parts, int dim) {
        int[] os = parts.get(0).shape.clone();
        os[dim] = 0;
        for (Ref p : parts) os[dim] += p.shape[dim];
        double[] out = new double[numel(os)];
        for (int f = 0; f < out.length; f++) {
            int[] o = unravel(f, os);
            int at = o[dim];
            for (Ref p : parts) {
                if (at < p.shape[dim]) {
                    o[dim] = at;
                    out[f] = p.at(o);
                    break;
                }
                at -= p.shape[dim];
            }
        }
        return new Ref(os, out);
    }

    public Ref reshape(int[] newShape) { return new Ref(newShape, data); }

    // ------------------------------------------------------------------------------------ random inputs

    /** A random value for {@code dt}: small integers, or floats on a coarse grid or anywhere in [-3, 3). */
    public static double value(Prop.Gen g, DType dt) {
        if (dt == DType.INT64 || dt == DType.INT32) return g.intIn(-5, 5);
        double v = g.chance(0.5) ? g.intIn(-12, 12) / 4.0 : g.doubleIn(-3, 3);
        return dt == DType.FLOAT32 ? (float) v : v;
    }

    public static Ref random(Prop.Gen g, int[] shape, DType dt) {
        double[] d = new double[numel(shape)];
        for (int i = 0; i < d.length; i++) d[i] = value(g, dt);
        return new Ref(shape, d);
    }

    /** A random shape: rank 0 to {@code maxRank}, sizes 1 to 4, with a zero-size dim now and then. */
    public static int[] shape(Prop.Gen g, int maxRank) {
        int[] s = new int[g.intIn(0, maxRank)];
        for (int i = 0; i < s.length; i++) s[i] = g.chance(0.08) ? 0 : g.intIn(1, 4);
        return s;
    }

    /** A contiguous tensor holding {@code r}'s values as {@code dt}. */
    public static Tensor tensor(Ref r, DType dt) {
        return switch (dt) {
            case FLOAT32 -> {
                float[] f = new float[r.numel()];
                for (int i = 0; i < f.length; i++) f[i] = (float) r.data[i];
                yield Tensor.fromArray(f, r.shape);
            }
            case FLOAT64 -> Tensor.fromArray(r.data.clone(), r.shape);
            case INT64 -> {
                long[] l = new long[r.numel()];
                for (int i = 0; i < l.length; i++) l[i] = (long) r.data[i];
                yield Tensor.fromArray(l, r.shape);
            }
            default -> throw new IllegalArgumentException("ref: no builder for " + dt);
        };
    }

    /** A tensor and the reference it must equal, with how its view was made (for failure messages). */
    public record Operand(Tensor t, Ref ref, DType dtype, String how, Tensor base) {
        @Override public String toString() { return how + " " + Arrays.toString(ref.shape) + " " + dtype; }
    }

    /**
     * A tensor equal to {@code r} reached through a random layout: contiguous, transposed, permuted or sliced
     * with a step out of a larger tensor whose other elements hold a sentinel that must never be read.
     */
    public static Operand view(Prop.Gen g, Ref r, DType dt) {
        int rank = r.rank();
        int kind = rank == 0 ? 0 : g.intIn(0, 3);
        switch (kind) {
            case 1: { // transposed: a contiguous tensor of the swapped shape, transposed back
                if (rank < 2) break;
                int i = g.intIn(0, rank - 1), j = g.intIn(0, rank - 1);
                int[] p = identity(rank);
                p[i] = j;
                p[j] = i;
                Tensor base = tensor(r.permute(p), dt);
                return new Operand(base.transpose(i - rank, j), r, dt, "transpose(" + (i - rank) + "," + j + ")", base);
            }
            case 2: { // permuted: base holds r permuted by p; base.permute(inverse(p)) reads r
                int[] p = g.permutation(rank);
                int[] inv = new int[rank];
                for (int k = 0; k < rank; k++) inv[p[k]] = k;
                Tensor base = tensor(r.permute(p), dt);
                return new Operand(base.permute(inv), r, dt, "permute" + Arrays.toString(inv), base);
            }
            case 3: { // sliced with a step along one dim, out of a larger tensor filled with a sentinel
                int d = g.intIn(0, rank - 1), start = g.intIn(0, 2), step = g.intIn(1, 3), n = r.shape[d];
                int[] bs = r.shape.clone();
                bs[d] = start + n * step + g.intIn(0, 1);
                double[] bd = new double[numel(bs)];
                Arrays.fill(bd, 77);
                for (int f = 0; f < r.numel(); f++) {
                    int[] idx = unravel(f, r.shape);
                    idx[d] = start + idx[d] * step;
                    bd[ravel(idx, bs)] = r.data[f];
                }
                Tensor base = tensor(new Ref(bs, bd), dt);
                int end = n == 0 ? start : start + (n - 1) * step + 1;
                return new Operand(base.slice(d, start, end, step), r, dt,
                        "slice(" + d + "," + start + "," + end + "," + step + ") of " + Arrays.toString(bs), base);
            }
            default:
                break;
        }
        Tensor t = tensor(r, dt);
        return new Operand(t, r, dt, "contiguous", t);
    }

    /** A random operand of {@code shape}: any layout of {@link #view}, or an expanded (stride-0) tensor. */
    public static Operand operand(Prop.Gen g, int[] shape, DType dt) {
        if (shape.length > 0 && g.chance(0.2)) {
            int lead = g.intIn(0, Math.min(1, shape.length));
            int[] small = Arrays.copyOfRange(shape, lead, shape.length);
            for (int i = 0; i < small.length; i++) if (g.chance(0.5)) small[i] = 1;
            Ref s = random(g, small, dt);
            Tensor base = tensor(s, dt);
            return new Operand(base.expand(shape), s.expandTo(shape), dt, "expand of " + Arrays.toString(small), base);
        }
        return view(g, random(g, shape, dt), dt);
    }

    public static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    // ------------------------------------------------------------------------------------------ comparison

    /** Relative and absolute tolerance for one rounding-level op in {@code dt}; integers compare exactly. */
    public static double rtol(DType dt) { return dt == DType.FLOAT32 ? 1e-5 : dt == DType.FLOAT64 ? 1e-11 : 0; }

    public static double atol(DType dt) { return dt == DType.FLOAT32 ? 1e-6 : dt == DType.FLOAT64 ? 1e-12 : 0; }

    /** The values of {@code t} as doubles (integers exactly). */
    public static double[] values(Tensor t) {
        if (t.dtype() == DType.INT64 || t.dtype() == DType.INT32 || t.dtype() == DType.BOOL) {
            long[] l = t.toLongArray();
            double[] d = new double[l.length];
            for (int i = 0; i < l.length; i++) d[i] = l[i];
            return d;
        }
        return t.toDoubleArray();
    }

    /** Asserts shape, dtype and values; {@code scale} (may be null) sets each element's magnitude for rtol. */
    public static void assertMatches(Tensor actual, Ref expected, DType dtype, Ref scale, String what) {
        assertArrayEquals(expected.shape, actual.shape(), what + ": shape");
        assertEquals(dtype, actual.dtype(), what + ": dtype");
        double[] got = values(actual);
        double rt = rtol(dtype), at = atol(dtype);
        for (int i = 0; i < got.length; i++) {
            double e = expected.data[i], a = got[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (Double.isInfinite(e) || Double.isInfinite(a)) {
                if (e == a) continue;
                // float32 overflows where float64 does not: compare by magnitude only when the reference is past float range
                if (dtype == DType.FLOAT32 && Math.abs(e) > Float.MAX_VALUE && a == Math.copySign(Double.POSITIVE_INFINITY, e)) continue;
            }
            double mag = scale == null ? Math.abs(e) : scale.data[i];
            if (!(Math.abs(a - e) <= at + rt * mag)) {
                throw new AssertionError(what + ": element " + i + " " + Arrays.toString(unravel(i, expected.shape))
                        + " is " + a + ", expected " + e + " (tolerance " + (at + rt * mag) + ")");
            }
        }
    }
}
