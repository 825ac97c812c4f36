package dev.kindling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input: each error is an exception naming the op, the operands' shapes or dtypes, and the reason. */
class TensorErrorTest {
    /** Asserts {@code body} throws {@code type} with a message containing every fragment. */
    static <T extends Throwable> T fails(Class<T> type, Executable body, String... fragments) {
        T e = assertThrows(type, body);
        String msg = String.valueOf(e.getMessage());
        for (String f : fragments) {
            assertTrue(msg.contains(f), () -> "message \"" + msg + "\" lacks \"" + f + "\"");
        }
        return e;
    }

    static final Class<IllegalArgumentException> ARG = IllegalArgumentException.class;
    static final Class<IndexOutOfBoundsException> INDEX = IndexOutOfBoundsException.class;
    static final Class<IllegalStateException> STATE = IllegalStateException.class;

    // ------------------------------------------------------------------ shapes

    @Test
    void addmmNamesTheShapesThatDoNotFit() {
        Tensor x = Tensor.randn(4, 3), w = Tensor.randn(3, 5);
        fails(IllegalArgumentException.class, () -> Tensor.randn(5).addmm(x, Tensor.randn(4, 5)),
                "addmm", "[4, 3]", "[4, 5]", "3 != 4");
        fails(IllegalArgumentException.class, () -> Tensor.randn(5).addmm(Tensor.randn(4), w), "addmm", "2-D");
        fails(IllegalArgumentException.class, () -> Tensor.randn(3).addmm(x, w), "addmm", "[3]", "[4, 5]");
        fails(IllegalArgumentException.class, () -> Tensor.randn(2, 4, 5).addmm(x, w), "addmm", "[2, 4, 5]");
        fails(IllegalArgumentException.class, () -> Tensor.randn(5).to(DType.FLOAT64).addmm(x, w), "addmm", "dtype");
        assertEquals("[4, 5]", java.util.Arrays.toString(Tensor.randn(1, 5).addmm(x, w).shape()), "a [1, 5] input broadcasts");
    }

    @Test
    void matmulShapeMismatchMessageIsExact() {
        var e = fails(ARG, () -> Tensor.zeros(64, 784).matmul(Tensor.zeros(512, 784)));
        assertEquals("matmul: shapes [64, 784] and [512, 784] cannot be multiplied (784 != 512)", e.getMessage());
    }

    @Test
    void matmulFamilyShapeErrors() {
        fails(ARG, () -> Tensor.zeros(2, 3).mm(Tensor.zeros(4, 2)), "mm", "[2, 3]", "[4, 2]");
        fails(ARG, () -> Tensor.zeros(2, 3, 4).mm(Tensor.zeros(4, 2)), "mm", "[2, 3, 4]");
        fails(ARG, () -> Tensor.zeros(2, 3, 4).bmm(Tensor.zeros(3, 4, 5)), "bmm", "[2, 3, 4]", "[3, 4, 5]");
        fails(ARG, () -> Tensor.zeros(2, 3, 4).bmm(Tensor.zeros(2, 5, 5)), "bmm", "[2, 3, 4]", "[2, 5, 5]");
        fails(ARG, () -> Tensor.zeros(3).dot(Tensor.zeros(4)), "dot", "[3]", "[4]");
        fails(ARG, () -> Tensor.zeros(3, 1).dot(Tensor.zeros(3)), "dot", "[3, 1]");
        fails(ARG, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)), "matmul", "[3]", "[4]");
        fails(ARG, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)), "matmul", "[2, 3, 4]", "[3, 4, 5]");
        fails(ARG, () -> Tensor.scalar(1).matmul(Tensor.zeros(2)), "matmul");
        fails(ARG, () -> Tensor.zeros(3, 2).outer(Tensor.zeros(2)), "outer", "[3, 2]");
        fails(ARG, () -> Tensor.zeros(2, 2, 2).t(), "t", "[2, 2, 2]");
    }

    @Test
    void broadcastMismatch() {
        fails(ARG, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)), "add", "[2, 3]", "[4]");
        fails(ARG, () -> Tensor.zeros(2, 3).mul(Tensor.zeros(3, 2)), "mul", "[2, 3]", "[3, 2]");
        fails(ARG, () -> Tensor.where(Tensor.ones(new int[]{2}, DType.BOOL), Tensor.zeros(3), Tensor.zeros(3)), "where");
        fails(ARG, () -> Tensor.zeros(2, 3).maskedFill(Tensor.ones(new int[]{2}, DType.BOOL), 1), "[2, 3]", "[2]");
        // in place, the result must keep the receiver's shape
        fails(ARG, () -> Tensor.zeros(3).add_(Tensor.zeros(2, 3)), "add_", "[3]", "[2, 3]");
        fails(ARG, () -> Tensor.zeros(2).copy_(Tensor.zeros(3)), "copy_", "[2]", "[3]");
    }

    @Test
    void joiningShapeErrors() {
        fails(ARG, () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(2, 4)), 0), "cat", "[2, 3]", "[2, 4]");
        fails(ARG, () -> Tensor.cat(List.of(), 0), "cat");
        fails(ARG, () -> Tensor.cat(List.of(Tensor.zeros(2, 3), Tensor.zeros(3)), 0), "cat");
        fails(ARG, () -> Tensor.stack(List.of(Tensor.zeros(2, 3), Tensor.zeros(3, 2)), 0), "stack", "[2, 3]", "[3, 2]");
        fails(ARG, () -> Tensor.zeros(4).split(0, 0), "split");
        fails(ARG, () -> Tensor.zeros(4).split(new int[]{1, 2}, 0), "split", "[1, 2]");
        fails(ARG, () -> Tensor.zeros(4).chunk(0, 0), "chunk");
    }

    @Test
    void viewAndReshapeErrors() {
        fails(ARG, () -> Tensor.zeros(2, 3).view(4), "view", "[4]", "size 6");
        fails(ARG, () -> Tensor.zeros(2, 3).reshape(4, -1), "reshape", "[4, -1]", "size 6");
        fails(ARG, () -> Tensor.zeros(2, 3).view(-1, -1), "view", "-1");
        fails(ARG, () -> Tensor.zeros(2, 3).view(-2, 3), "view", "-2");
        // a transposed tensor cannot be flattened without a copy: view refuses, reshape copies
        fails(ARG, () -> Tensor.zeros(2, 3).t().view(6), "view", "contiguous", "reshape");
        assertEquals(6, Tensor.zeros(2, 3).t().reshape(6).numel());
        fails(ARG, () -> Tensor.zeros(2, 1).expand(3, 4), "expand", "[2, 1]", "[3, 4]");
        fails(ARG, () -> Tensor.zeros(2, 1).expand(2), "expand", "[2, 1]");
        fails(ARG, () -> Tensor.zeros(2, 3).permute(0, 0), "permute");
        fails(ARG, () -> Tensor.zeros(2, 3).permute(0), "permute");
        fails(ARG, () -> Tensor.zeros(6).unflatten(0, 4, -1), "unflatten");
        fails(ARG, () -> Tensor.zeros(2, 3).repeat(2), "repeat");
        fails(ARG, () -> Tensor.fromArray(new float[5], 2, 3), "fromArray", "5", "[2, 3]");
        fails(RuntimeException.class, () -> Tensor.zeros(2, 3).narrow(1, 2, 2), "narrow", "[2, 3]");
    }

    // ------------------------------------------------------------------ dims and indices

    @Test
    void dimOutOfRange() {
        Tensor x = Tensor.zeros(2, 3);
        fails(INDEX, () -> x.sum(2), "sum", "range", "2");
        fails(INDEX, () -> x.sum(-3), "sum", "-3");
        fails(INDEX, () -> x.softmax(2), "softmax");
        fails(INDEX, () -> x.transpose(0, 5), "transpose", "5");
        fails(INDEX, () -> x.max(3), "max");
        fails(INDEX, () -> x.unsqueeze(4), "unsqueeze");
        fails(INDEX, () -> x.squeeze(2), "squeeze");
        fails(INDEX, () -> x.size(2), "size");
        fails(INDEX, () -> Tensor.cat(List.of(x, x), 2), "cat");
        fails(INDEX, () -> x.indexSelect(2, Tensor.of(0)), "index_select");
        fails(INDEX, () -> Tensor.scalar(1).sum(1), "sum");
        fails(ARG, () -> x.sum(new int[]{0, -2}, false), "sum", "multiple");
    }

    @Test
    void indexOutOfRange() {
        Tensor x = Tensor.zeros(2, 3);
        fails(INDEX, () -> x.select(0, 2), "select", "2", "[2, 3]");
        fails(INDEX, () -> x.select(1, -4), "select", "-4");
        fails(INDEX, () -> x.indexSelect(0, Tensor.of(0, 2)), "index_select", "2");
        fails(INDEX, () -> x.indexSelect(0, Tensor.of(-1)), "index_select", "-1");
        fails(INDEX, () -> x.gather(1, Tensor.of(new long[][]{{0, 3}})), "gather", "3");
        fails(INDEX, () -> x.scatter(0, Tensor.of(new long[][]{{5, 0, 0}}), Tensor.ones(1, 3)), "scatter", "5");
        fails(INDEX, () -> x.scatterAdd(1, Tensor.of(new long[][]{{-1}}), Tensor.ones(1, 1)), "scatter", "-1");
        fails(INDEX, () -> x.indexAdd(0, Tensor.of(7), Tensor.ones(1, 3)), "index_add", "7");
        fails(RuntimeException.class, () -> Tensor.of(0, 3).oneHot(3), "one_hot", "3");
        fails(RuntimeException.class, () -> Tensor.of(-1).oneHot(3), "one_hot", "-1");
        fails(RuntimeException.class, () -> Tensor.zeros(4).topk(5), "topk", "5");
        fails(ARG, () -> x.gather(1, Tensor.of(new long[][]{{0}, {1}, {0}})), "gather", "[3, 1]", "[2, 3]");
    }

    // ------------------------------------------------------------------ dtypes

    @Test
    void wrongDtype() {
        Tensor x = Tensor.zeros(2, 3);
        fails(ARG, () -> x.indexSelect(0, Tensor.of(0f, 1f)), "index_select", "FLOAT32");
        fails(ARG, () -> x.gather(1, Tensor.zeros(2, 3)), "gather", "FLOAT32");
        fails(ARG, () -> x.scatter(1, Tensor.zeros(2, 3), x), "scatter", "FLOAT32");
        fails(ARG, () -> Tensor.of(0f, 1f).oneHot(2), "one_hot", "FLOAT32");
        fails(ARG, () -> x.maskedFill(Tensor.zeros(2, 3), 1), "masked_fill", "BOOL");
        fails(ARG, () -> x.maskedSelect(Tensor.zeros(2, 3)), "masked_select", "BOOL");
        fails(ARG, () -> Tensor.where(Tensor.zeros(3), Tensor.zeros(3), Tensor.zeros(3)), "where", "BOOL");
        // in place cannot store a float result into an integer tensor
        fails(ARG, () -> Tensor.of(1, 2).add_(Tensor.of(0.5f, 0.5f)), "add_", "FLOAT32", "INT64");
        fails(ARG, () -> Tensor.of(1, 2).div_(2), "div_", "INT64");
        fails(ARG, () -> Tensor.of(true, false).sub(Tensor.of(true, true)), "sub", "bool");
        fails(ARG, () -> Tensor.of(2, 3).pow(-1), "pow", "negative");
        fails(ARG, () -> Tensor.of(1, 2).requiresGrad(true), "requiresGrad", "floating");
    }

    // ------------------------------------------------------------------ sizes and values

    @Test
    void negativeSizes() {
        fails(ARG, () -> Tensor.zeros(2, -1), "zeros", "negative", "[2, -1]");
        fails(ARG, () -> Tensor.ones(-3), "negative", "[-3]");
        fails(ARG, () -> Tensor.empty(-1), "negative");
        fails(ARG, () -> Tensor.randn(3, -2), "randn", "negative");
        fails(ARG, () -> Tensor.rand(-1), "rand", "negative");
        fails(ARG, () -> Tensor.randint(0, 5, -1), "randint", "negative");
        fails(ARG, () -> Tensor.randperm(-1), "randperm", "-1");
        fails(ARG, () -> Tensor.eye(-1), "eye", "-1");
        fails(ARG, () -> Tensor.linspace(0, 1, -1), "linspace");
        fails(ARG, () -> Tensor.arange(0, 5, 0), "arange", "step");
        fails(ARG, () -> Tensor.arange(0, 5, -1), "arange");
        fails(ARG, () -> Tensor.randint(5, 5, 3), "randint", "5");
        fails(RuntimeException.class, () -> Tensor.zeros(3).narrow(0, 0, -1), "narrow", "-1");
        fails(ARG, () -> Tensor.zeros(3).slice(0, 0, 3, 0), "slice", "step");
    }

    @Test
    void tooLargeTensorsFailCleanly() {
        fails(ARG, () -> Tensor.zeros(1 << 16, 1 << 16), "2 GiB");
        fails(ARG, () -> Tensor.arange(0L, 1L << 40), "arange", "1099511627776 elements");
        fails(ARG, () -> Tensor.arange(0.0, 1e12, 1.0), "arange");
        fails(ARG, () -> Tensor.arange(0.0, Double.POSITIVE_INFINITY, 1.0), "arange");
        fails(ARG, () -> Tensor.ones(1 << 20).view(1 << 20, 1 << 12, 1 << 12), "view");
    }

    @Test
    void scalarConversions() {
        fails(STATE, () -> Tensor.zeros(2).item(), "item", "2 elements");
        fails(STATE, () -> Tensor.zeros(0).longItem(), "longItem", "0 elements");
    }

    // ------------------------------------------------------------------ released tensors

    @Test
    void closedTensorThrowsOnUse() {
        Tensor t = Tensor.of(1f, 2f);
        t.close();
        assertTrue(t.isClosed());
        fails(STATE, () -> t.add(1), "closed");
        fails(STATE, () -> t.toFloatArray(), "closed");
        fails(STATE, () -> Tensor.of(1f, 2f).add(t), "closed");
        t.close(); // closing twice is harmless
    }

    @Test
    void tensorOfAnEndedScopeThrowsOnUse() {
        Tensor inner;
        try (var s = Kindling.scope()) {
            inner = Tensor.ones(3).mul(2);
        }
        Tensor dead = inner;
        assertTrue(dead.isClosed());
        fails(STATE, () -> dead.sum(), "closed");
    }

    @Test
    void viewOfAClosedBaseKeepsTheDataAlive() {
        Tensor base = Tensor.of(1f, 2f, 3f, 4f);
        Tensor v = base.view(2, 2);
        base.close();
        assertEquals(10f, v.sum().item(), 0);
        fails(STATE, () -> base.view(4), "closed");
        fails(STATE, base::detach, "closed");
        fails(STATE, base::data, "closed");
        fails(STATE, base::t, "closed");
        v.close();
    }
}
