package dev.kindling.data.datasets;

import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.data.Dataset;
import dev.kindling.data.Sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A table of numbers read from a CSV file (plain or {@code .gz}) into one feature tensor {@code [N, F]}
 * and one target tensor {@code [N]}; sample {@code i} is {@code (features[i], target[i])}. Every data row
 * must have the same number of columns; errors name the file and line.
 *
 * <pre>{@code
 * // scikit-learn's iris.csv: a header line "150,4,setosa,versicolor,virginica", then 4 features and a label
 * var iris = CsvDataset.builder(Path.of("data/iris.csv")).skipLines(1).build();   // target: last column, INT64
 * var diabetes = CsvDataset.builder(Path.of("diabetes.csv")).skipLines(1).targetDType(DType.FLOAT32).build();
 * }</pre>
 */
public final class CsvDataset implements Dataset {
    private final Path file;
    private final Tensor features;
    private final Tensor targets;     // null without a target column
    private final int rows;

    private CsvDataset(Path file, Tensor features, Tensor targets) {
        this.file = file;
        this.features = features;
        this.targets = targets;
        this.rows = features.size(0);
    }

    /** Starts describing how to read {@code file}. */
    public static Builder builder(Path file) { return new Builder(file); }

    /** {@code (features[i], target[i])}, or {@code (features[i])} when there is no target column. */
    @Override public Sample get(int index) {
        Dataset.checkIndex("CsvDataset.get", index, rows);
        return targets == null ? Sample.of(features.select(0, index)) : Sample.of(features.select(0, index), targets.select(0, index));
    }

    @Override public int size() { return rows; }

    /** All features, {@code [N, F]}. */
    public Tensor features() { return features; }

    /** All targets, {@code [N]}, or null when the table has no target column. */
    public Tensor targets() { return targets; }

    /** The file read. */
    public Path file() { return file; }

    @Override public String toString() {
        return "CsvDataset(" + file + ", " + rows + " rows, " + features.size(1) + " features"
                + (targets == null ? ")" : ", target " + targets.dtype() + ")");
    }

    /** Options: lines to skip, delimiter, feature and target columns, dtypes. */
    public static final class Builder {
        private final Path file;
        private int skipLines;
        private String delimiter = ",";
        private int[] featureColumns;
        private int targetColumn = -1;
        private boolean hasTarget = true;
        private DType featureDType = DType.FLOAT32;
        private DType targetDType = DType.INT64;

        private Builder(Path file) {
            if (file == null) throw new IllegalArgumentException("CsvDataset: file must not be null");
            this.file = file;
        }

        /** Header lines to skip before the data (default 0). */
        public Builder skipLines(int n) {
            if (n < 0) throw new IllegalArgumentException("CsvDataset: skipLines must be >= 0, got " + n);
            this.skipLines = n;
            return this;
        }

        /** The column separator (default ","), taken literally: {@code ";"}, {@code "\t"}. */
        public Builder delimiter(String delimiter) {
            if (delimiter == null || delimiter.isEmpty()) throw new IllegalArgumentException("CsvDataset: delimiter must not be empty");
            this.delimiter = delimiter;
            return this;
        }

        /** The feature columns, in order; negative counts from the end. Default: every column but the target. */
        public Builder featureColumns(int... columns) { this.featureColumns = columns.clone(); return this; }

        /** The target column; negative counts from the end. Default -1, the last one. */
        public Builder targetColumn(int column) { this.targetColumn = column; this.hasTarget = true; return this; }

        /** The table has no target: samples hold only the features. */
        public Builder noTarget() { this.hasTarget = false; return this; }

        /** dtype of the features (default FLOAT32). */
        public Builder featureDType(DType dtype) { this.featureDType = dtype; return this; }

        /** dtype of the target (default INT64 for class labels; FLOAT32 for regression). */
        public Builder targetDType(DType dtype) { this.targetDType = dtype; return this; }

        /** Reads the whole file. */
        public CsvDataset build() {
            List<double[]> table = read();
            if (table.isEmpty()) throw new IllegalArgumentException("CsvDataset: " + file + " has no data rows after skipping " + skipLines + " lines");
            int width = table.get(0).length;
            int target = hasTarget ? column("target", targetColumn, width) : -1;
            int[] feats;
            if (featureColumns != null) {
                feats = new int[featureColumns.length];
                for (int i = 0; i < feats.length; i++) {
                    feats[i] = column("feature", featureColumns[i], width);
                    if (feats[i] == target) throw new IllegalArgumentException("CsvDataset: column " + target + " of " + file + " is both a feature and the target");
                }
            } else {
                feats = new int[hasTarget ? width - 1 : width];
                for (int c = 0, k = 0; c < width; c++) if (c != target) feats[k++] = c;
            }
            if (feats.length == 0) throw new IllegalArgumentException("CsvDataset: " + file + " leaves no feature columns");
            int n = table.size();
            double[] x = new double[n * feats.length];
            double[] y = new double[n];
            for (int r = 0; r < n; r++) {
                double[] row = table.get(r);
                for (int k = 0; k < feats.length; k++) x[r * feats.length + k] = row[feats[k]];
                if (hasTarget) y[r] = row[target];
            }
            Tensor features = cast(Tensor.fromArray(x, n, feats.length), featureDType);
            Tensor targets = null;
            if (hasTarget) {
                if (targetDType.isIntegral()) {
                    for (int r = 0; r < n; r++) {
                        if (y[r] != Math.rint(y[r])) {
                            throw new IllegalArgumentException("CsvDataset: " + file + ", data row " + (r + 1) + ": target " + y[r]
                                    + " is not a whole number, as target dtype " + targetDType + " needs (use targetDType(FLOAT32) for regression)");
                        }
                    }
                }
                targets = cast(Tensor.fromArray(y, n), targetDType);
            }
            return new CsvDataset(file, features, targets);
        }

        private static Tensor cast(Tensor t, DType dtype) {
            if (t.dtype() == dtype) return t;
            Tensor c = t.to(dtype);
            t.close();
            return c;
        }

        private int column(String what, int c, int width) {
            int k = c < 0 ? c + width : c;
            if (k < 0 || k >= width) {
                throw new IllegalArgumentException("CsvDataset: " + what + " column " + c + " is out of range for " + file + ", whose rows have " + width + " columns");
            }
            return k;
        }

        private List<double[]> read() {
            List<double[]> table = new ArrayList<>();
            Pattern split = Pattern.compile(Pattern.quote(delimiter));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(open(), StandardCharsets.UTF_8))) {
                int lineNo = 0, width = -1, widthLine = -1;
                for (String line; (line = in.readLine()) != null; ) {
                    lineNo++;
                    if (lineNo <= skipLines || line.isBlank()) continue;
                    String[] cells = split.split(line, -1);
                    if (width < 0) {
                        width = cells.length;
                        widthLine = lineNo;
                    } else if (cells.length != width) {
                        throw new IllegalArgumentException("CsvDataset: " + file + ", line " + lineNo + ": expected " + width
                                + " columns (as on line " + widthLine + ") but found " + cells.length);
                    }
                    double[] row = new double[width];
                    for (int c = 0; c < width; c++) {
                        String cell = cells[c].trim();
                        try {
                            row[c] = Double.parseDouble(cell);
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("CsvDataset: " + file + ", line " + lineNo + ", column " + c + ": '"
                                    + cell + "' is not a number" + (table.isEmpty() && skipLines == 0 ? " (is the first line a header? use skipLines(1))" : ""));
                        }
                    }
                    table.add(row);
                }
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("CsvDataset: " + file + " does not exist", e);
            } catch (IOException e) {
                throw new UncheckedIOException("CsvDataset: cannot read " + file + ": " + e.getMessage(), e);
            }
            return table;
        }

        private InputStream open() throws IOException {
            InputStream raw = Files.newInputStream(file);
            if (!file.getFileName().toString().endsWith(".gz")) return raw;
            return new GZIPInputStream(raw, 1 << 16);
        }
    }
}
