package dev.kindling.data.datasets;

import dev.kindling.DType;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class CsvDatasetTest {
    @TempDir Path dir;

    static Path resource(String name) {
        try {
            return Path.of(CsvDatasetTest.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test void breastCancer() {
        var ds = CsvDataset.builder(resource("breast_cancer.csv")).skipLines(1).build();
        assertEquals(569, ds.size());
        assertArrayEquals(new int[]{569, 30}, ds.features().shape());
        assertEquals(DType.FLOAT32, ds.features().dtype());
        assertEquals(DType.INT64, ds.targets().dtype());
        assertEquals(357, ds.targets().sum().longItem(), "357 benign (label 1) of 569");
        assertEquals(17.99, ds.get(0).get(0).select(0, 0).item(), 1e-5);
        Batch b = DataLoader.builder(ds).batchSize(100).shuffle(true).seed(0).build().iterator().next();
        assertArrayEquals(new int[]{100, 30}, b.get(0).shape());
        assertArrayEquals(new int[]{100}, b.get(1).shape());
    }

    @Test void irisWithChosenColumns() {
        var ds = CsvDataset.builder(resource("iris.csv")).skipLines(1).build();
        assertEquals(150, ds.size());
        assertArrayEquals(new float[]{5.1f, 3.5f, 1.4f, 0.2f}, ds.get(0).get(0).toFloatArray());
        long[] y = ds.targets().toLongArray();
        assertEquals(0, y[0]);
        assertEquals(2, y[149]);
        // petal length as a regression target from the two sepal columns
        var reg = CsvDataset.builder(resource("iris.csv")).skipLines(1).featureColumns(0, 1).targetColumn(2)
                .targetDType(DType.FLOAT64).build();
        assertArrayEquals(new int[]{150, 2}, reg.features().shape());
        assertEquals(1.4, reg.get(0).get(1).item(), 1e-12);
        var noTarget = CsvDataset.builder(resource("iris.csv")).skipLines(1).noTarget().build();
        assertEquals(5, noTarget.features().size(1));
        assertEquals(1, noTarget.get(0).size());
    }

    @Test void gzipAndOtherDelimiters() throws IOException {
        var digits = CsvDataset.builder(resource("digits.csv.gz")).build();
        assertEquals(1797, digits.size());
        assertEquals(64, digits.features().size(1));
        Path semi = Files.writeString(dir.resolve("semi.csv"), "a;b;y\n1;2;0\n3; 4 ;1\n\n");
        var ds = CsvDataset.builder(semi).skipLines(1).delimiter(";").build();
        assertArrayEquals(new float[]{3, 4}, ds.get(1).get(0).toFloatArray());
    }

    @Test void errorsNameFileAndLine() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "h\n1,2,0\n3,4\n");
        var e = assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(ragged).skipLines(1).build());
        assertTrue(e.getMessage().contains(ragged.toString()) && e.getMessage().contains("line 3")
                && e.getMessage().contains("expected 3 columns"), e.getMessage());
        Path text = Files.writeString(dir.resolve("text.csv"), "1,2,0\n3,abc,1\n");
        var t = assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(text).build());
        assertTrue(t.getMessage().contains("line 2") && t.getMessage().contains("'abc' is not a number"), t.getMessage());
        var header = assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(resource("iris.csv")).build());
        assertTrue(header.getMessage().contains("skipLines(1)"), header.getMessage());
        Path frac = Files.writeString(dir.resolve("frac.csv"), "1,0.5\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(frac).build()).getMessage().contains("whole number"));
        assertThrows(IllegalArgumentException.class, () -> CsvDataset.builder(frac).targetColumn(5).build());
        assertThrows(java.io.UncheckedIOException.class, () -> CsvDataset.builder(dir.resolve("missing.csv")).build());
    }
}
