package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Views share storage (writes show through), reshape copies only when it must, creation and conversion. */
class TensorViewTest {
    @Test
    void viewOpsShareStorageAndWritesShowThrough() {
        Tensor x = Tensor.arange(0, 12).to(DType.FLOAT32).view(3, 4);
        x.select(0, 1).fill_(-1);                       // x[1] = -1
        x.slice(1, 0, 4, 2).mul_(10);                   // x[:, ::2] *= 10
        x.t().select(0, 3).add_(100);                   // x[:, 3] += 100
        x.narrow(0, 2, 1).squeeze(0).unsqueeze(1).sub_(Tensor.ones(4, 1)); // x[2] -= 1
        assertArrayEquals(new float[]{0, 1, 20, 103, -10, -1, -10, 99, 79, 8, 99, 110}, x.toFloatArray());
        assertEquals(4, x.transpose(0, 1).storageOffset() + 4);
        assertArrayEquals(new int[]{1, 4}, x.t().stride());
    }

    @Test
    void copyIntoANonContiguousView() {
        Tensor x = Tensor.zeros(2, 3);
        x.t().copy_(Tensor.of(new float[][]{{1, 4}, {2, 5}, {3, 6}}));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6}, x.toFloatArray());
        x.slice(1, 1, 3).copy_(Tensor.of(7f, 8f)); // broadcast source
        assertArrayEquals(new float[]{1, 7, 8, 4, 7, 8}, x.toFloatArray());
    }

    @Test
    void reshapeCopiesOnlyWhenItMust() {
        Tensor x = Tensor.randn(4, 6);
        Tensor r = x.reshape(2, 12);
        r.fill_(1);
        assertEquals(24.0, x.sum().item(), 1e-6, "reshape of contiguous data is a view");
        Tensor t = x.t();
        assertFalse(t.isContiguous());
        Tensor c = t.reshape(24);
        c.fill_(0);
        assertEquals(24.0, x.sum().item(), 1e-6, "reshape of transposed data copies");
        assertSame(x, x.contiguous());
        assertNotSame(t, t.contiguous());
        assertTrue(t.contiguous().isContiguous());
        // a view across a size-1 dim or of a sliced-but-contiguous row still works without copying
        Tensor row = x.slice(0, 1, 2);
        row.view(6).fill_(3);
        assertEquals(18.0 + 18.0, x.sum().item(), 1e-6);
    }

    @Test
    void splitChunkUnbindAreViews() {
        Tensor x = Tensor.zeros(4, 2);
        List<Tensor> parts = x.split(3, 0);
        assertEquals(2, parts.size());
        parts.get(1).fill_(5);
        x.chunk(2, 1).get(0).add_(1);
        x.unbind(0).get(0).add_(1);
        assertArrayEquals(new float[]{2, 1, 1, 0, 1, 0, 6, 5}, x.toFloatArray());
    }

    @Test
    void largeOffsetRunsMatchElementwiseJava() {
        // past the parallel grain and starting at odd offsets: the contiguous fast loops and the thread split
        int n = 300_001;
        Kindling.manualSeed(3);
        Tensor base = Tensor.randn(n + 3);
        Tensor a = base.slice(0, 1, n + 1), b = base.slice(0, 3, n + 3).add(0.5f).abs();
        float[] x = a.toFloatArray(), y = b.toFloatArray();
        float[] add = a.add(b).toFloatArray(), sub = a.sub(b).toFloatArray(), mul = a.mul(b).toFloatArray(),
                div = a.div(b).toFloatArray(), relu = a.relu().toFloatArray(), neg = a.neg().toFloatArray(),
                adds = a.add(2.5).toFloatArray(), subs = a.sub(2.5).toFloatArray(), muls = a.mul(-3).toFloatArray(),
                divs = a.div(7).toFloatArray();
        Tensor inPlace = a.clone();
        inPlace.mul_(b).add_(1);
        float[] ip = inPlace.toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(x[i] + y[i], add[i]);
            assertEquals(x[i] - y[i], sub[i]);
            assertEquals(x[i] * y[i], mul[i]);
            assertEquals(x[i] / y[i], div[i]);
            assertEquals(Math.max(x[i], 0f), relu[i]);
            assertEquals(-x[i], neg[i]);
            assertEquals(x[i] + 2.5f, adds[i]);
            assertEquals(x[i] - 2.5f, subs[i]);
            assertEquals(x[i] * -3f, muls[i]);
            assertEquals(x[i] / 7f, divs[i]);
            assertEquals(x[i] * y[i] + 1f, ip[i]);
        }
        Tensor copy = Tensor.empty(n);
        copy.copy_(a);
        assertArrayEquals(x, copy.toFloatArray());
    }

    @Test
    void largeReductionsMatchJavaSums() {
        // big enough to be split over threads: the fixtures keep their tensors small
        int r = 300, c = 257;
        Kindling.manualSeed(5);
        Tensor x = Tensor.randn(r, c);
        float[] v = x.toFloatArray();
        double[] rows = new double[r], cols = new double[c];
        double total = 0, max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double e = v[i * c + j];
                rows[i] += e;
                cols[j] += e;
                total += e;
                max = Math.max(max, e);
            }
        }
        double[] gotRows = x.sum(1).toDoubleArray(), gotCols = x.sum(0).toDoubleArray(), gotColsT = x.t().sum(1).toDoubleArray();
        for (int i = 0; i < r; i++) assertEquals(rows[i], gotRows[i], 1e-4);
        for (int j = 0; j < c; j++) {
            assertEquals(cols[j], gotCols[j], 1e-4);
            assertEquals(cols[j], gotColsT[j], 1e-4);
        }
        assertEquals(total, x.sum().item(), 1e-2);
        assertEquals(total / (r * c), x.mean().item(), 1e-6);
        assertEquals(max, x.max().item());
        assertEquals(max, x.max(1).values().max().item());
        assertEquals(1.0, x.softmax(1).sum(1).min().item(), 1e-5);
    }

    @Test
    void inPlaceOnAnExpandedTensorThrows() {
        Tensor x = Tensor.ones(3, 1).expand(3, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> x.add_(1));
        assertTrue(e.getMessage().contains("add_") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.relu_());
        assertThrows(IllegalArgumentException.class, () -> x.fill_(0));
        assertThrows(IllegalArgumentException.class, () -> x.copy_(Tensor.zeros(3, 4)));
        assertEquals(3.0, Tensor.ones(3, 1).expand(3, 1).add_(1).sum().item() - 3.0, "size-1 dims may have any stride");
    }

    @Test
    void inPlaceWithAPartlyOverlappingInputThrows() {
        Tensor x = Tensor.arange(0, 10).to(DType.FLOAT32);
        var e = assertThrows(IllegalArgumentException.class, () -> x.slice(0, 1, 10).add_(x.slice(0, 0, 9)));
        assertTrue(e.getMessage().contains("add_") && e.getMessage().contains("[9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 9).copy_(x.slice(0, 1, 10)));
        x.add_(x);                                   // the same elements: fine
        x.slice(0, 0, 5).add_(x.slice(0, 5, 10));    // disjoint halves: fine
        assertArrayEquals(new float[]{10, 14, 18, 22, 26, 10, 12, 14, 16, 18}, x.toFloatArray());
    }

    @Test
    void creationFromJavaArrays() {
        assertEquals(DType.FLOAT32, Tensor.of(1f, 2f).dtype());
        assertEquals(DType.FLOAT64, Tensor.of(1.0, 2.0).dtype());
        assertEquals(DType.INT64, Tensor.of(1, 2).dtype());
        assertEquals(DType.INT64, Tensor.of(1L, 2L).dtype());
        assertEquals(DType.BOOL, Tensor.of(true).dtype());
        Tensor m = Tensor.of(new int[][]{{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new int[]{2, 3}, m.shape());
        assertArrayEquals(new long[]{1, 2, 3, 4, 5, 6}, m.toLongArray());
        Tensor c = Tensor.of(new float[][][]{{{1}, {2}}, {{3}, {4}}});
        assertArrayEquals(new int[]{2, 2, 1}, c.shape());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[][]{{1, 2}, {3}}));
        assertEquals(DType.INT32, Tensor.fromArray(new int[]{1, 2, 3, 4}, 2, 2).dtype());
        float[] src = {1, 2};
        Tensor t = Tensor.of(src);
        src[0] = 9;
        assertEquals(1f, t.toFloatArray()[0], "of() copies its argument");
        Tensor s = Tensor.scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(2.5, s.item());
        assertEquals(7L, Tensor.scalar(7, DType.INT64).longItem());
        assertEquals(Long.MAX_VALUE, Tensor.of(Long.MAX_VALUE).longItem(), "longItem is exact past 2^53");
    }

    @Test
    void randomCreationIsReproducible() {
        Kindling.manualSeed(42);
        Tensor a = Tensor.rand(100), b = Tensor.randn(3, 4), c = Tensor.randint(0, 10, 50), p = Tensor.randperm(20);
        Kindling.manualSeed(42);
        assertTrue(a.equal(Tensor.rand(100)));
        assertTrue(b.equal(Tensor.randn(3, 4)));
        assertTrue(c.equal(Tensor.randint(0, 10, 50)));
        assertTrue(p.equal(Tensor.randperm(20)));
        assertTrue(a.ge(0).all().item() == 1 && a.lt(1).all().item() == 1);
        assertTrue(c.ge(0).all().item() == 1 && c.lt(10).all().item() == 1);
        assertArrayEquals(Tensor.arange(20).toLongArray(), p.sort().values().toLongArray());
        Tensor n = Tensor.randn(20000);
        assertEquals(0, n.mean().item(), 0.05);
        assertEquals(1, n.std().item(), 0.05);
        Tensor bern = Tensor.full(new int[]{20000}, 0.3).bernoulli();
        assertEquals(0.3, bern.mean().item(), 0.02);
        Tensor u = Tensor.empty(10000).uniform_(-2, 3);
        assertTrue(u.ge(-2).all().item() == 1 && u.lt(3).all().item() == 1);
        Tensor g = Tensor.empty(20000).normal_(5, 2);
        assertEquals(5, g.mean().item(), 0.1);
        Generator gen = new Generator(7);
        Tensor r1 = Tensor.rand(gen, 5);
        assertTrue(r1.equal(Tensor.rand(new Generator(7), 5)));
    }

    @Test
    void conversionKeepsOrSharesWhenItCan() {
        Tensor x = Tensor.of(1.5f, -2.5f);
        assertSame(x, x.to(DType.FLOAT32));
        assertArrayEquals(new long[]{1, -2}, x.to(DType.INT64).toLongArray(), "float to int truncates like PyTorch");
        assertArrayEquals(new int[]{1, -2}, x.toIntArray());
        assertArrayEquals(new boolean[]{true, true}, x.toBooleanArray());
        assertArrayEquals(new double[]{1.5, -2.5}, x.toDoubleArray());
        assertTrue(x.allclose(Tensor.of(1.5f, -2.5f + 1e-7f)));
        assertFalse(x.allclose(Tensor.of(1.5f, -2.4f)));
        assertFalse(Tensor.of(Float.NaN).allclose(Tensor.of(Float.NaN)));
        assertFalse(x.equal(Tensor.of(1.5f)));
    }
}
