package dev.kindling;

import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;

/**
 * Matrix products. {@code mm} and {@code bmm} are the primitives (one gemm per matrix, on the data as it
 * lies when BLAS can read it); {@code matmul}, {@code dot} and {@code outer} reduce to them.
 */
final class LinAlg {
    private LinAlg() {}

    private static String str(int[] s) { return Arrays.toString(s); }

    private static void checkPair(String op, Tensor a, Tensor b) {
        Pointwise.checkDevice(op, a, b); // null operands too
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": expected both operands to have the same dtype, but got "
                    + a.dtype() + " and " + b.dtype() + "; convert one with to(...)");
        }
        if (a.dtype() == DType.BOOL) throw new IllegalArgumentException(op + ": not implemented for BOOL tensors");
    }

    private static View as3d(Tensor t) {
        View v = t.view();
        if (t.dim() == 3) return v;
        int[] s = t.shapeInternal(), st = t.stridesInternal();
        return v.with(new int[]{1, s[0], s[1]}, new int[]{0, st[0], st[1]}, t.offset());
    }

    static Tensor mm(Tensor a, Tensor b) {
        if (Autocast.on()) return Autocast.call("mm", c -> mm("mm", c[0], c[1]), a, b);
        return mm("mm", a, b);
    }

    /** {@code op} is the public op, named in errors ({@code matmul} reaches here too). */
    private static Tensor mm(String op, Tensor a, Tensor b) {
        Tensor out = Tensor.empty(op, a.dtype(), a.device(), checkMm(op, a, b));
        out.backend().matmul(as3d(a), as3d(b), as3d(out));
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return Autograd.record("MmBackward0", out, new Tensor[]{a, b}, (g, need) -> new Tensor[]{
                need[0] ? mmGradA(g, a, b) : null,
                need[1] ? mmGradB(g, a, b) : null}, a, b);
    }

    /**
     * {@code input + a @ b} in one gemm ({@code torch.addmm} with beta = alpha = 1): {@code input} is
     * broadcast into the output and the product accumulated onto it (BLAS's beta = 1). PyTorch's
     * {@code F.linear} is {@code addmm(bias, x, weight.t())}, and so is ours.
     */
    static Tensor addmm(Tensor input, Tensor a, Tensor b) {
        if (Autocast.on()) return Autocast.call("addmm", c -> addmm(c[0], c[1], c[2]), input, a, b);
        int[] shape = checkMm("addmm", a, b);
        checkPair("addmm", input, a);
        int[] bs = Broadcast.shape("addmm", input.shapeInternal(), shape);
        if (!Arrays.equals(bs, shape)) {
            throw new IllegalArgumentException("addmm: input of shape " + str(input.shapeInternal())
                    + " cannot be broadcast to the product's shape " + str(shape));
        }
        Tensor out = Tensor.empty("addmm", a.dtype(), a.device(), shape);
        out.backend().copy(input.view().with(shape, Broadcast.strides(input, shape), input.offset()), out.view());
        out.backend().matmulAdd(as3d(a), as3d(b), as3d(out));
        Reference.reachabilityFence(input);
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return Autograd.record("AddmmBackward0", out, new Tensor[]{input, a, b}, (g, need) -> new Tensor[]{
                need[0] ? g : null,
                need[1] ? mmGradA(g, a, b) : null,
                need[2] ? mmGradB(g, a, b) : null}, a, b);
    }

    /**
     * The gradient of {@code a} in {@code a @ b}, {@code g @ b.T}, computed in {@code a}'s own layout: when
     * {@code a} is a transposed (column-major) view, as {@code (b @ g.T).T}, so that whatever undoes the
     * transpose further back (the weight of {@code F.linear}) receives a contiguous gradient (PyTorch's
     * {@code mm_mat1_backward} does the same).
     */
    private static Tensor mmGradA(Tensor g, Tensor a, Tensor b) {
        return columnMajor(a) ? b.mm(g.t()).t() : g.mm(b.t());
    }

    /** The gradient of {@code b} in {@code a @ b}, {@code a.T @ g}, in {@code b}'s own layout (see {@link #mmGradA}). */
    private static Tensor mmGradB(Tensor g, Tensor a, Tensor b) {
        return columnMajor(b) ? g.t().mm(a).t() : a.t().mm(g);
    }

    private static boolean columnMajor(Tensor t) {
        int[] s = t.shapeInternal(), st = t.stridesInternal();
        return s[0] > 1 && s[1] > 1 && st[0] == 1 && st[1] >= s[0];
    }

    /** The shape of {@code a @ b} for 2-D operands, or an error naming {@code op}. */
    private static int[] checkMm(String op, Tensor a, Tensor b) {
        Args.notNull(op, "tensor argument", b);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected 2-D tensors, got shapes " + str(a.shapeInternal()) + " and "
                    + str(b.shapeInternal()));
        }
        checkPair(op, a, b);
        int m = a.shapeInternal()[0], k = a.shapeInternal()[1], k2 = b.shapeInternal()[0], n = b.shapeInternal()[1];
        if (k != k2) {
            throw new IllegalArgumentException(op + ": shapes " + str(a.shapeInternal()) + " and " + str(b.shapeInternal())
                    + " cannot be multiplied (" + k + " != " + k2 + ")");
        }
        return new int[]{m, n};
    }

    static Tensor bmm(Tensor a, Tensor b) {
        if (Autocast.on()) return Autocast.call("bmm", c -> bmm("bmm", c[0], c[1]), a, b);
        return bmm("bmm", a, b);
    }

    private static Tensor bmm(String op, Tensor a, Tensor b) {
        Args.notNull(op, "tensor argument", b);
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expected 3-D tensors, got shapes " + str(a.shapeInternal()) + " and "
                    + str(b.shapeInternal()));
        }
        checkPair("bmm", a, b);
        int[] as = a.shapeInternal(), bs = b.shapeInternal();
        if (as[0] != bs[0]) {
            throw new IllegalArgumentException("bmm: batch sizes differ: shapes " + str(as) + " and " + str(bs));
        }
        if (as[2] != bs[1]) {
            throw new IllegalArgumentException("bmm: shapes " + str(as) + " and " + str(bs) + " cannot be multiplied ("
                    + as[2] + " != " + bs[1] + ")");
        }
        Tensor out = Tensor.empty(op, a.dtype(), a.device(), new int[]{as[0], as[1], bs[2]});
        out.backend().matmul(a.view(), b.view(), out.view());
        Reference.reachabilityFence(a);
        Reference.reachabilityFence(b);
        return Autograd.record("BmmBackward0", out, new Tensor[]{a, b}, (g, need) -> new Tensor[]{
                need[0] ? g.bmm(b.transpose(1, 2)) : null,
                need[1] ? a.transpose(1, 2).bmm(g) : null}, a, b);
    }

    static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("dot: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors"
                    + " (shapes " + Arrays.toString(a.shapeInternal()) + " and " + Arrays.toString(b.shapeInternal()) + ")");
        }
        if (a.shapeInternal()[0] != b.shapeInternal()[0]) {
            throw new IllegalArgumentException("dot: inconsistent tensor size, expected tensor [" + a.shapeInternal()[0]
                    + "] and src [" + b.shapeInternal()[0] + "] to have the same number of elements");
        }
        checkPair("dot", a, b);
        Tensor out;
        try (var off = GradMode.set(false)) {
            out = mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        // its own node so that users see PyTorch's DotBackward0 rather than the reshape of a matrix product
        return Autograd.record("DotBackward0", out, new Tensor[]{a, b},
                (g, need) -> new Tensor[]{need[0] ? b.mul(g) : null, need[1] ? a.mul(g) : null}, a, b);
    }

    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: 1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors"
                    + " (shapes " + Arrays.toString(a.shapeInternal()) + " and " + Arrays.toString(b.shapeInternal()) + ")");
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (Autocast.on()) return Autocast.call("matmul", c -> matmul(c[0], c[1]), a, b);
        Args.notNull("matmul", "tensor argument", b);
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("matmul: both arguments need to be at least 1D, but they are " + da + "D and " + db + "D");
        }
        int ka = a.shapeInternal()[da - 1];
        int kb = db == 1 ? b.shapeInternal()[0] : b.shapeInternal()[db - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + str(a.shapeInternal()) + " and " + str(b.shapeInternal())
                    + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 2) return mm("matmul", a, b);
        if (da == 1 && db == 2) return mm("matmul", a.unsqueeze(0), b).squeeze(0);
        if (da == 2 && db == 1) return mm("matmul", a, b.unsqueeze(1)).squeeze(1);
        if (db <= 2) {
            // fold the batch of a into rows: one big gemm instead of many small ones
            int[] as = a.shapeInternal();
            Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
            int[] os = Arrays.copyOf(as, da);
            os[da - 1] = b2.shapeInternal()[1];
            Shapes.storageBytes("matmul", os, a.dtype()); // before folding a's batch into rows
            // the row count spelled out: reshape(-1, 0) cannot infer it when a is empty along k
            long rows = Shapes.numel("matmul", Arrays.copyOf(as, da - 1));
            if (!Shapes.fitsInt(rows)) throw Shapes.tooLarge("matmul", rows, "the rows of " + str(as));
            Tensor r = mm("matmul", a.reshape((int) rows, ka), b2);
            r = r.reshape(os);
            return db == 1 ? r.squeeze(-1) : r;
        }
        Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
        int[] as = a2.shapeInternal(), bs = b.shapeInternal();
        int m = as[as.length - 2], n = bs[bs.length - 1];
        int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
        int[] batch;
        try {
            batch = Broadcast.shape("matmul", batchA, batchB);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("matmul: shapes " + str(a.shapeInternal()) + " and " + str(b.shapeInternal())
                    + " have batch dimensions " + str(batchA) + " and " + str(batchB) + " that cannot be broadcast", e);
        }
        long batchCount = Shapes.numel("matmul", batch);
        if (!Shapes.fitsInt(batchCount)) throw Shapes.tooLarge("matmul", batchCount, "the broadcast batch " + str(batch));
        int nb = (int) batchCount;
        int[] ea = Arrays.copyOf(batch, batch.length + 2), eb = Arrays.copyOf(batch, batch.length + 2);
        ea[batch.length] = m;
        ea[batch.length + 1] = ka;
        eb[batch.length] = kb;
        eb[batch.length + 1] = n;
        int[] os = Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = m;
        os[batch.length + 1] = n;
        Shapes.storageBytes("matmul", os, a.dtype()); // before the operands are broadcast and copied
        Tensor r = bmm("matmul", a2.expand(ea).reshape(nb, m, ka), b.expand(eb).reshape(nb, kb, n));
        r = r.reshape(os);
        return da == 1 ? r.squeeze(-2) : r;
    }
}
