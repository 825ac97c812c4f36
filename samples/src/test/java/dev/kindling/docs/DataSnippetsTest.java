package dev.kindling.docs;

import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Dataset;
import dev.kindling.data.Datasets;
import dev.kindling.data.Sample;
import dev.kindling.data.Subset;
import dev.kindling.data.TensorDataset;
import dev.kindling.data.datasets.CsvDataset;
import dev.kindling.data.datasets.FashionMNIST;
import dev.kindling.data.transforms.Transforms;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The code of data.md. */
class DataSnippetsTest {

    // The block at the top of data.md. Compiled, not run: five epochs of Fashion-MNIST are a sample's job
    // (and need the data set installed), not a unit test's.
    static void fashionMnistOverview() {
        // region data-overview
        var train = new FashionMNIST(Path.of("data"), true,
                Transforms.compose(Transforms.toTensor(), Transforms.normalize(0.2860, 0.3530)));
        var loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(0).numWorkers(2).build();
        for (int epoch = 0; epoch < 5; epoch++)
            for (Batch b : loader) { Tensor x = b.get(0), y = b.get(1); /* ... */ }      // Kotlin: for ((x, y) in loader)
        // endregion
    }

    // region data-custom
    /** Like the seeds' CustomDataset: features and labels held as tensors, one sample per row. */
    static final class CustomDataset implements Dataset {
        private final Tensor X, y;

        CustomDataset(double[][] X, long[] y) {
            this.X = Tensor.of(X).to(DType.FLOAT32);
            this.y = Tensor.of(y);
        }

        @Override public int size() { return X.size(0); }                  // __len__

        @Override public Sample get(int idx) {                              // __getitem__
            return Sample.of(X.select(0, idx), y.select(0, idx));
        }
    }
    // endregion

    @Test
    void customDataset() {
        double[][] features = new double[1000][20];
        long[] labels = new long[1000];
        for (int i = 0; i < 1000; i++) { features[i][i % 20] = 1; labels[i] = i % 3; }
        // region data-loader
        var dataset = new CustomDataset(features, labels);
        var trainLoader = DataLoader.builder(dataset).batchSize(32).shuffle(true).numWorkers(0).build();
        for (Batch b : trainLoader) {
            System.out.println("X=" + Arrays.toString(b.get(0).shape()) + ", y=" + Arrays.toString(b.get(1).shape()));
            break;                                                          // X=[32, 20], y=[32]
        }
        Batch first = trainLoader.iterator().next();                        // next(iter(train_loader))
        // endregion
        assertArrayEquals(new int[]{32, 20}, first.get(0).shape());
        assertEquals(32, trainLoader.size());
    }

    @Test
    void tensorDatasetAndSplit() {
        // region data-split
        Tensor X = Tensor.randn(100, 10);
        Tensor y = Tensor.randint(0, 2, 100);
        var trainDataset = new TensorDataset(X.slice(0, 0, 80), y.slice(0, 0, 80));     // TensorDataset(X[:80], y[:80])
        var testDataset = new TensorDataset(X.slice(0, 80, 100), y.slice(0, 80, 100));  // TensorDataset(X[80:], y[80:])
        List<Subset> parts = Datasets.randomSplit(new TensorDataset(X, y), new int[]{80, 20}, 42);   // random_split
        // endregion
        assertEquals(80, trainDataset.size());
        assertEquals(20, testDataset.size());
        assertEquals(20, parts.get(1).size());
    }

    @Test
    void csv() {
        // region data-csv
        // samples/data/breast_cancer.csv: a header "569,30,malignant,benign", 30 features, then the 0/1 label
        var table = CsvDataset.builder(Path.of("data/breast_cancer.csv"))
                .skipLines(1).targetDType(DType.FLOAT32).build();
        Tensor xData = table.features();                       // torch.from_numpy(xy[:, :-1])  [569, 30]
        Tensor yData = table.targets().unsqueeze(1);           // torch.from_numpy(xy[:, [-1]]) [569, 1]
        var loader = DataLoader.builder(table).batchSize(32).shuffle(true).build();
        // endregion
        assertArrayEquals(new int[]{569, 30}, xData.shape());
        assertArrayEquals(new int[]{569, 1}, yData.shape());
        assertEquals(18, loader.size());
    }
}
