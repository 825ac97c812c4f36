package dev.kindling.data;

import dev.kindling.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Samples are the rows of one or more tensors that share their first dimension
 * ({@code torch.utils.data.TensorDataset}): sample {@code i} is {@code (t0[i], t1[i], ...)}, as views.
 *
 * <pre>{@code
 * var ds = new TensorDataset(Tensor.randn(100, 4), Tensor.randint(0, 3, 100));
 * Sample s = ds.get(7);     // (x[7] of shape [4], y[7] of shape [])
 * }</pre>
 */
public final class TensorDataset implements Dataset {
    private final Tensor[] tensors;
    private final int size;

    /** Checks that every tensor has at least one dimension and that all first dimensions are equal. */
    public TensorDataset(Tensor... tensors) {
        if (tensors == null || tensors.length == 0) {
            throw new IllegalArgumentException("TensorDataset: expected at least one tensor");
        }
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) throw new IllegalArgumentException("TensorDataset: tensor " + i + " is null");
            if (tensors[i].dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dimensional; every tensor needs a first (sample) dimension");
            }
            if (tensors[i].size(0) != tensors[0].size(0)) {
                throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
                        + Arrays.toString(tensors[0].shape()) + " but tensor " + i + " has shape "
                        + Arrays.toString(tensors[i].shape()) + " (first dimensions must be equal)");
            }
        }
        this.tensors = tensors.clone();
        this.size = tensors[0].size(0);
    }

    @Override public Sample get(int index) {
        Dataset.checkIndex("TensorDataset.get", index, size);
        Object[] row = new Object[tensors.length];
        for (int k = 0; k < tensors.length; k++) row[k] = tensors[k].select(0, index);
        return Sample.of(row);
    }

    @Override public int size() { return size; }

    /** The tensors, as given to the constructor ({@code dataset.tensors}); an unmodifiable list. */
    public List<Tensor> tensors() { return List.of(tensors); }

    /** The tensor at position {@code i}, as given to the constructor. */
    public Tensor tensor(int i) { return tensors[i]; }
}
