package dev.kindling.docs;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.optim.Adam;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Linear;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.data.TensorDataset;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Batch;
import dev.kindling.ValuesIndices;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The code of README.md, getting-started.md and tensors.md; each region is a block in the docs. */
class TensorsSnippetsTest {

    @Test
    void readme() {
        // region readme-java
        Kindling.manualSeed(0);
        Tensor x = Tensor.randn(1000, 784), y = Tensor.randint(0, 10, 1000);
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(64).shuffle(true).build();
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var lossFn = new CrossEntropyLoss();
        var opt = new Adam(model.parameters(), 1e-3);
        for (Batch b : loader) {
            try (var step = Kindling.scope()) {         // frees the step's temporaries at once
                Tensor loss = lossFn.forward(model.forward(b.get(0)), b.get(1));
                opt.zeroGrad(); loss.backward(); opt.step();
            }
        }
        // endregion
        assertArrayEquals(new int[]{1000, 10}, model.forward(x).shape());
    }

    @Test
    void create() {
        // region tensors-create
        Tensor a = Tensor.of(1f, 2f, 3f);                          // torch.tensor([1., 2., 3.])
        Tensor m = Tensor.of(new float[][]{{1, 2}, {3, 4}});       // 2 x 2, float32
        Tensor i = Tensor.of(1L, 2L, 3L);                          // int64, like torch.tensor([1, 2, 3])
        Tensor zeros = Tensor.zeros(3, 4);
        Tensor ones = Tensor.ones(3, 4);
        Tensor rand = Tensor.rand(3, 4);                           // uniform [0, 1)
        Tensor randn = Tensor.randn(3, 4);                         // standard normal
        Tensor eye = Tensor.eye(3);
        Tensor arange = Tensor.arange(0, 10, 2);                   // [0, 2, 4, 6, 8], int64
        Tensor labels = Tensor.randint(0, 2, 100);                 // int64, shape [100]
        Tensor f64 = Tensor.zeros(new int[]{2, 2}, DType.FLOAT64);
        Tensor fromData = Tensor.fromArray(new float[]{1, 2, 3, 4, 5, 6}, 2, 3);
        // endregion
        assertEquals(DType.INT64, i.dtype());
        assertEquals(DType.INT64, arange.dtype());
        assertArrayEquals(new long[]{0, 2, 4, 6, 8}, arange.toLongArray());
        assertEquals(DType.INT64, labels.dtype());
        assertEquals(6.0, fromData.select(0, 1).select(0, 2).item());
        assertEquals(3, a.numel());
        assertEquals(4, m.numel());
        assertEquals(0.0, zeros.sum().item());
        assertEquals(12.0, ones.sum().item());
        assertArrayEquals(new int[]{3, 4}, rand.shape());
        assertArrayEquals(new int[]{3, 4}, randn.shape());
        assertEquals(3.0, eye.sum().item());
        assertEquals(DType.FLOAT64, f64.dtype());
    }

    @Test
    void properties() {
        // region tensors-properties
        Tensor x = Tensor.randn(3, 4, 5);
        System.out.println(Arrays.toString(x.shape()));   // [3, 4, 5]    x.shape
        System.out.println(x.dim());                      // 3            x.ndim
        System.out.println(x.dtype());                    // FLOAT32      x.dtype
        System.out.println(x.device());                   // cpu          x.device
        System.out.println(x.numel());                    // 60           x.numel()
        System.out.println(x.size(0));                    // 3            x.size(0)
        // endregion
        assertEquals(60, x.numel());
        assertEquals(Device.CPU, x.device());
    }

    @Test
    void arithmetic() {
        // region tensors-math
        Tensor a = Tensor.of(1f, 2f, 3f);
        Tensor b = Tensor.of(4f, 5f, 6f);
        Tensor sum = a.add(b);                                  // a + b
        Tensor prod = a.mul(b);                                 // a * b
        Tensor mixed = a.mul(2).sub(1).div(b).pow(2);           // ((a * 2 - 1) / b) ** 2
        Tensor dot = a.dot(b);                                  // torch.dot(a, b) = 32
        Tensor mm = Tensor.randn(2, 3).matmul(Tensor.randn(3, 4));   // @, shape [2, 4]
        double value = dot.item();                              // 32.0, like .item()
        // endregion
        assertEquals(32.0, value);
        assertArrayEquals(new float[]{5, 7, 9}, sum.toFloatArray());
        assertArrayEquals(new float[]{4, 10, 18}, prod.toFloatArray());
        assertEquals(1.0 / 16, mixed.toFloatArray()[0], 1e-6);
        assertArrayEquals(new int[]{2, 4}, mm.shape());
    }

    @Test
    void shapes() {
        // region tensors-shape
        Tensor x = Tensor.randn(2, 3, 4);
        Tensor r = x.reshape(6, 4);          // copies only when it must
        Tensor v = x.view(2, 12);            // never copies; fails on incompatible strides
        Tensor t = x.transpose(0, 1);        // [3, 2, 4], a view
        Tensor p = x.permute(2, 0, 1);       // [4, 2, 3], a view
        Tensor flat = x.flatten(1);          // [2, 12]
        Tensor u = x.unsqueeze(0);           // [1, 2, 3, 4]
        Tensor c = t.contiguous();           // dense copy of a strided view
        // endregion
        assertArrayEquals(new int[]{6, 4}, r.shape());
        assertArrayEquals(new int[]{2, 12}, v.shape());
        assertArrayEquals(new int[]{4, 2, 3}, p.shape());
        assertArrayEquals(new int[]{2, 12}, flat.shape());
        assertArrayEquals(new int[]{1, 2, 3, 4}, u.shape());
        assertEquals(true, c.isContiguous());
    }

    @Test
    void indexing() {
        // region tensors-index
        Tensor X = Tensor.randn(100, 10);
        Tensor head = X.slice(0, 0, 80);              // X[:80]
        Tensor tail = X.slice(0, 80, 100);            // X[80:]
        Tensor row = X.select(0, 3);                  // X[3]
        Tensor col = X.select(1, -1);                 // X[:, -1]
        Tensor some = X.indexSelect(0, Tensor.of(0L, 5L, 7L));   // X[[0, 5, 7]]
        ValuesIndices best = X.max(1);                // torch.max(X, 1)
        Tensor predicted = best.indices();            // _, predicted = torch.max(outputs, 1)
        Tensor argmax = X.argmax(1);                  // X.argmax(1)
        long correct = predicted.eq(argmax).sum().longItem();   // (a == b).sum().item()
        // endregion
        assertArrayEquals(new int[]{80, 10}, head.shape());
        assertArrayEquals(new int[]{20, 10}, tail.shape());
        assertArrayEquals(new int[]{10}, row.shape());
        assertArrayEquals(new int[]{100}, col.shape());
        assertArrayEquals(new int[]{3, 10}, some.shape());
        assertEquals(100, correct);
    }

    @Test
    void broadcasting() {
        // region tensors-broadcast
        Tensor m = Tensor.ones(3, 4);
        Tensor rowVec = Tensor.arange(0, 4).to(DType.FLOAT32);   // [4] broadcasts over the 3 rows
        Tensor colVec = Tensor.ones(3, 1).mul(10);               // [3, 1] broadcasts over the 4 columns
        Tensor out = m.add(rowVec).add(colVec);                  // [3, 4]
        Tensor stacked = Tensor.stack(List.of(rowVec, rowVec), 0);   // torch.stack -> [2, 4]
        Tensor joined = Tensor.cat(List.of(m, m), 0);                // torch.cat  -> [6, 4]
        // endregion
        assertArrayEquals(new float[]{11, 12, 13, 14}, out.select(0, 2).toFloatArray());
        assertArrayEquals(new int[]{2, 4}, stacked.shape());
        assertArrayEquals(new int[]{6, 4}, joined.shape());
    }

    @Test
    void dtypes() {
        // region tensors-dtype
        Tensor y = Tensor.randint(0, 3, 8);           // INT64 labels
        Tensor yf = y.to(DType.FLOAT32);              // y.float()
        Tensor mask = yf.gt(1);                       // BOOL
        Tensor asFloat = mask.to(DType.FLOAT32);      // .type(torch.float)
        float[] values = asFloat.toFloatArray();      // back to Java
        // endregion
        assertEquals(DType.BOOL, mask.dtype());
        assertEquals(8, values.length);
    }
}
