package dev.kindling.data;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A TensorDataset is batched by one index_select per column: the same batches as selecting and stacking rows. */
class TensorDatasetBatchTest {
    private static List<Batch> batches(Dataset d, int seed) {
        List<Batch> out = new ArrayList<>();
        for (Batch b : DataLoader.builder(d).batchSize(4).shuffle(true).seed(seed).build()) out.add(b);
        return out;
    }

    @Test void gatheredBatchesEqualStackedSamples() {
        Tensor x = Tensor.arange(30).reshape(10, 3).to(dev.kindling.DType.FLOAT32);
        Tensor y = Tensor.arange(10).mul(7);
        Tensor strided = Tensor.arange(20).reshape(2, 10).t();   // a non-contiguous column
        TensorDataset td = new TensorDataset(x, y, strided);
        // a Subset of everything takes the per-sample path: the reference
        Dataset perSample = new Subset(td, new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        List<Batch> fast = batches(td, 5), slow = batches(perSample, 5);
        assertEquals(slow.size(), fast.size());
        for (int i = 0; i < fast.size(); i++) {
            for (int k = 0; k < 3; k++) {
                Tensor a = fast.get(i).get(k), b = slow.get(i).get(k);
                assertArrayEquals(b.shape(), a.shape());
                assertEquals(b.dtype(), a.dtype());
                assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), 0.0);
            }
        }
    }
}
