package dev.kindling;

import dev.kindling.testing.Prop;
import dev.kindling.testing.Prop.Gen;
import dev.kindling.testing.Prop.Outcome;
import dev.kindling.testing.Ref;
import dev.kindling.testing.Ref.Operand;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.kindling.TensorPropertiesTest.DTYPES;
import static dev.kindling.TensorPropertiesTest.TRIES;
import static dev.kindling.testing.Prop.assertOk;
import static dev.kindling.testing.Prop.assertOpError;
import static dev.kindling.testing.Prop.attempt;
import static dev.kindling.testing.Ref.assertMatches;

/**
 * Property tests of indexing (indexSelect, gather, slice, select) and shape ops (reshape, permute,
 * transpose + contiguous, cat, stack) against the plain-Java reference of {@link Ref}, on random shapes
 * (zero-size dims included), dtypes and layouts: each case equals the reference or throws an
 * IllegalArgumentException/IndexOutOfBoundsException naming the op. Shape ops move values unchanged, so every
 * comparison here is exact.
 */
class TensorShapePropertiesTest {
    private static int wrap(int d, int rank) { return d < 0 ? d + Math.max(rank, 1) : d; }

    private static boolean inRange(int d, int rank) {
        int slots = Math.max(rank, 1);
        return d >= -slots && d < slots;
    }

    /** A dim for {@code rank}, in range and of either sign, or (with probability {@code pBad}) out of range. */
    private static int dim(Gen g, int rank, double pBad) {
        int slots = Math.max(rank, 1);
        if (g.chance(pBad)) return g.chance(0.5) ? slots + g.intIn(0, 1) : -slots - 1 - g.intIn(0, 1);
        int d = g.intIn(0, slots - 1);
        return g.chance(0.5) ? d - slots : d;
    }

    /** An INT64 index tensor holding {@code values} in shape {@code shape}, through a random layout. */
    private static Tensor index(Gen g, long[] values, int[] shape) {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        return g.note("index", Ref.view(g, new Ref(shape, d), DType.INT64)).t();
    }

    @Test
    void indexSelectPicksTheReferenceRowsOrNamesTheBadIndex() {
        Prop.forAll("indexSelect", TRIES, g -> {
            int[] shape = Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand x = g.note("x", Ref.operand(g, shape, dt));
            int rank = shape.length;
            int d = g.note("dim", dim(g, rank, 0.05));
            int size = rank == 0 || !inRange(d, rank) ? 1 : shape[wrap(d, rank)];
            long[] idx = new long[g.intIn(0, 5)];
            for (int i = 0; i < idx.length; i++) idx[i] = size == 0 ? 0 : g.intIn(0, size - 1);
            if (idx.length > 0 && g.chance(0.1)) idx[g.intIn(0, idx.length - 1)] = g.pick(-1L, (long) size, size + 3L);
            boolean scalarIndex = idx.length == 1 && g.chance(0.3);
            Tensor index = index(g, idx, scalarIndex ? new int[0] : new int[]{idx.length});
            Outcome<Tensor> out = attempt(() -> x.t().indexSelect(d, index));
            boolean bad = rank == 0 || !inRange(d, rank);
            for (long i : idx) bad |= i < 0 || i >= size;
            if (bad) {
                assertOpError(out, "index_select", "indexSelect");
                g.label("error");
                return;
            }
            g.label("ok");
            assertMatches(assertOk(out), x.ref().indexSelect(wrap(d, rank), idx), dt, null, "index_select");
        }, "ok", "error");
    }

    @Test
    void gatherReadsTheReferenceOrNamesTheBadIndex() {
        Prop.forAll("gather", TRIES, g -> {
            int[] shape = Ref.shape(g, 3);
            if (shape.length == 0) shape = new int[]{g.intIn(1, 4)};
            DType dt = g.pick(DTYPES);
            Operand x = g.note("x", Ref.operand(g, shape, dt));
            int rank = shape.length;
            int d = g.note("dim", dim(g, rank, 0.05));
            int wd = inRange(d, rank) ? wrap(d, rank) : 0;
            int[] is = new int[rank];
            for (int k = 0; k < rank; k++) is[k] = k == wd ? g.intIn(0, 4) : g.intIn(0, shape[k]);
            boolean tooBig = g.chance(0.08) && rank > 1;
            if (tooBig) {
                int k = (wd + 1) % rank;
                is[k] = shape[k] + 1;
            }
            int size = shape[wd];
            long[] idx = new long[Ref.numel(is)];
            for (int i = 0; i < idx.length; i++) idx[i] = size == 0 ? 0 : g.intIn(0, size - 1);
            if (idx.length > 0 && g.chance(0.1)) idx[g.intIn(0, idx.length - 1)] = g.pick(-1L, (long) size);
            Tensor index = index(g, idx, is);
            Outcome<Tensor> out = attempt(() -> x.t().gather(d, index));
            boolean bad = !inRange(d, rank) || tooBig;
            for (long i : idx) bad |= i < 0 || i >= size;
            if (bad) {
                assertOpError(out, "gather");
                g.label("error");
                return;
            }
            g.label("ok");
            double[] id = new double[idx.length];
            for (int i = 0; i < id.length; i++) id[i] = idx[i];
            assertMatches(assertOk(out), x.ref().gather(wd, new Ref(is, id)), dt, null, "gather");
        }, "ok", "error");
    }

    @Test
    void sliceAndSelectFollowPythonsClampingRules() {
        Prop.forAll("slice", TRIES, g -> {
            int[] shape = Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand x = g.note("x", Ref.operand(g, shape, dt));
            int rank = shape.length;
            int d = g.note("dim", dim(g, rank, 0.05));
            boolean dimOk = rank > 0 && inRange(d, rank);
            int size = dimOk ? shape[wrap(d, rank)] : 1;
            if (g.chance(0.3)) { // select
                int i = g.note("select", g.intIn(-size - 2, size + 1));
                Outcome<Tensor> out = attempt(() -> x.t().select(d, i));
                if (!dimOk || i < -size || i >= size) {
                    assertOpError(out, "select");
                    g.label("error");
                    return;
                }
                g.label("ok");
                int w = i < 0 ? i + size : i;
                Ref s = x.ref().slice(wrap(d, rank), w, w + 1, 1);
                int[] sq = new int[rank - 1];
                for (int k = 0, j = 0; k < rank; k++) if (k != wrap(d, rank)) sq[j++] = shape[k];
                assertMatches(assertOk(out), s.reshape(sq), dt, null, "select");
                return;
            }
            int start = g.intIn(-size - 3, size + 3), end = g.intIn(-size - 3, size + 3);
            int step = g.chance(0.06) ? g.intIn(-1, 0) : g.intIn(1, 3);
            g.note("slice", new int[]{start, end, step});
            Outcome<Tensor> out = attempt(() -> x.t().slice(d, start, end, step));
            if (!dimOk || step <= 0) {
                assertOpError(out, "slice");
                g.label("error");
                return;
            }
            g.label("ok");
            int b = start < 0 ? Math.max(0, start + size) : Math.min(start, size);
            int e = end < 0 ? Math.max(0, end + size) : Math.min(end, size);
            Tensor r = assertOk(out);
            assertMatches(r, x.ref().slice(wrap(d, rank), b, e, step), dt, null, "slice");
            // a slice is a view: writing through it shows in the source (not for expanded sources: read-only)
            if (!x.how().startsWith("expand") && r.numel() > 0) {
                r.fill_(99);
                long seen = Arrays.stream(Ref.values(x.t())).filter(v -> v == 99).count();
                if (seen != r.numel()) throw new AssertionError("slice: wrote " + r.numel() + " elements, the source shows " + seen);
            }
        }, "ok", "error");
    }

    /** A shape with {@code numel} elements: its prime factors spread over a random rank (a zero when numel is 0). */
    private static int[] factorShape(Gen g, int numel) {
        int rank = numel == 1 ? g.intIn(0, 3) : g.intIn(1, 4);
        int[] s = new int[rank];
        Arrays.fill(s, 1);
        if (numel == 0) {
            for (int i = 0; i < rank; i++) s[i] = g.intIn(0, 3);
            s[g.intIn(0, rank - 1)] = 0;
            return s;
        }
        int n = numel;
        for (int p = 2; n > 1; p++) {
            while (n % p == 0) {
                s[g.intIn(0, rank - 1)] *= p;
                n /= p;
            }
        }
        return s;
    }

    @Test
    void reshapeKeepsRowMajorOrderOrExplainsTheShape() {
        Prop.forAll("reshape", TRIES, g -> {
            int[] shape = Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand x = g.note("x", Ref.operand(g, shape, dt));
            int numel = x.ref().numel();
            int[] target = factorShape(g, numel);
            int mode = g.intIn(0, 9);
            if (mode <= 2 && target.length > 0) target[g.intIn(0, target.length - 1)] = -1;
            if (mode == 3 && target.length > 1) target[0] = target[1] = -1;
            if (mode == 4 && target.length > 0) target[g.intIn(0, target.length - 1)] += 1;
            if (mode == 5 && target.length > 0) target[g.intIn(0, target.length - 1)] = -2;
            g.note("target", target);
            boolean useView = x.how().equals("contiguous") && g.chance(0.5);
            int[] ft = target;
            Outcome<Tensor> out = attempt(() -> useView ? x.t().view(ft) : x.t().reshape(ft));
            int[] resolved = resolve(target, numel);
            if (resolved == null) {
                assertOpError(out, "reshape", "view");
                g.label("error");
                return;
            }
            g.label("ok");
            assertMatches(assertOk(out), x.ref().reshape(resolved), dt, null, useView ? "view" : "reshape");
        }, "ok", "error");
    }

    /** PyTorch's infer_size: one -1 at most, no other negative size, the element count kept; null when invalid. */
    private static int[] resolve(int[] target, int numel) {
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                if (unknown >= 0) return null;
                unknown = i;
            } else if (target[i] < 0) {
                return null;
            } else {
                known *= target[i];
            }
        }
        int[] r = target.clone();
        if (unknown >= 0) {
            if (known == 0 || numel % known != 0) return null;
            r[unknown] = (int) (numel / known);
        } else if (known != numel) {
            return null;
        }
        return r;
    }

    @Test
    void permuteAndTransposeThenContiguousMatchTheReference() {
        Prop.forAll("permute", TRIES, g -> {
            int[] shape = Ref.shape(g, 4);
            DType dt = g.pick(DTYPES);
            Operand x = g.note("x", Ref.operand(g, shape, dt));
            int rank = shape.length;
            if (g.chance(0.5)) {
                int[] p = g.permutation(rank);
                for (int i = 0; i < rank; i++) if (g.chance(0.3)) p[i] -= rank;
                int mode = g.intIn(0, 9);
                if (mode == 0 && rank > 1) p[1] = p[0];                 // repeated
                if (mode == 1) p = Arrays.copyOf(p, rank + 1);          // one too many (a 0: repeated, or bad length)
                if (mode == 2 && rank > 0) p[0] = rank + g.intIn(0, 1); // out of range
                int[] fp = g.note("dims", p);
                Outcome<Tensor> out = attempt(() -> x.t().permute(fp).contiguous());
                boolean bad = fp.length != rank;
                boolean[] seen = new boolean[Math.max(rank, 1)];
                for (int d : fp) {
                    if (bad || !inRange(d, rank) || rank == 0) {
                        bad = true;
                        break;
                    }
                    int w = wrap(d, rank);
                    if (seen[w]) bad = true;
                    seen[w] = true;
                }
                if (bad) {
                    assertOpError(out, "permute");
                    g.label("error");
                    return;
                }
                g.label("ok");
                int[] w = Arrays.stream(fp).map(d -> wrap(d, rank)).toArray();
                Tensor r = assertOk(out);
                assertMatches(r, x.ref().permute(w), dt, null, "permute");
                if (!r.isContiguous()) throw new AssertionError("contiguous() returned a non-contiguous tensor");
                return;
            }
            int d0 = g.note("d0", dim(g, rank, 0.05)), d1 = g.note("d1", dim(g, rank, 0.05));
            Outcome<Tensor> out = attempt(() -> x.t().transpose(d0, d1).contiguous());
            if (!inRange(d0, rank) || !inRange(d1, rank)) {
                assertOpError(out, "transpose");
                g.label("error");
                return;
            }
            g.label("ok");
            int[] p = Ref.identity(rank);
            if (rank > 0) {
                int a = wrap(d0, rank), b = wrap(d1, rank);
                p[a] = b;
                p[b] = a;
            }
            assertMatches(assertOk(out), x.ref().permute(p), dt, null, "transpose");
        }, "ok", "error");
    }

    @Test
    void catAndStackJoinTheReferenceOrNameTheMismatch() {
        Prop.forAll("cat", TRIES, g -> {
            boolean stack = g.note("stack", g.chance(0.4));
            int count = g.intIn(1, 4);
            int[] shape = Ref.shape(g, 3);
            if (!stack && shape.length == 0) shape = new int[]{g.intIn(0, 3)};
            int rank = shape.length;
            int d = g.note("dim", dim(g, stack ? rank + 1 : rank, 0.05));
            int wd = inRange(d, stack ? rank + 1 : rank) ? wrap(d, stack ? rank + 1 : rank) : -1;
            List<Operand> parts = new ArrayList<>();
            boolean mismatch = false;
            DType rt = null, first = null;
            for (int i = 0; i < count; i++) {
                int[] s = shape.clone();
                if (!stack && wd >= 0) s[wd] = g.intIn(0, 3);
                if (i > 0 && g.chance(0.06) && rank > 0) { // a size that differs where it must not
                    int k = g.intIn(0, rank - 1);
                    if (stack || k != wd) {
                        s[k] += 1;
                        mismatch = true;
                    }
                }
                DType dt = g.pick(DTYPES);
                if (first == null) first = dt;
                // cat skips 1-D empty tensors (PyTorch's legacy rule), dtype included; only their dtypes are not checked
                boolean skipped = !stack && count > 1 && s.length == 1 && s[0] == 0;
                if (!skipped) rt = rt == null ? dt : DType.promote(rt, dt);
                parts.add(g.note("t" + i, Ref.operand(g, s, dt)));
            }
            List<Tensor> ts = parts.stream().map(Operand::t).toList();
            Outcome<Tensor> out = attempt(() -> stack ? Tensor.stack(ts, d) : Tensor.cat(ts, d));
            String op = stack ? "stack" : "cat";
            if (!stack && rank == 1 && parts.stream().allMatch(p -> p.ref().numel() == 0)) {
                // only legacy empty tensors, all skipped: PyTorch returns an empty tensor without checking dim
                if (out.failed()) assertOpError(out, op);
                else if (!Arrays.equals(out.value().shape(), new int[]{0})) throw new AssertionError("cat of empties: " + out.value());
                g.label("empties");
                return;
            }
            if (wd < 0 || mismatch) {
                assertOpError(out, op);
                g.label("error");
                return;
            }
            g.label("ok");
            List<Ref> refs = new ArrayList<>();
            for (Operand p : parts) {
                Ref r = p.ref();
                if (stack) {
                    int[] us = new int[rank + 1];
                    for (int k = 0, j = 0; k <= rank; k++) us[k] = k == wd ? 1 : r.shape[j++];
                    r = r.reshape(us);
                }
                refs.add(r);
            }
            Ref expected = Ref.cat(refs, wd);
            assertMatches(assertOk(out), expected, rt == null ? first : rt, null, op);
        }, "ok", "error");
    }
}
