package dev.kindling.samples.support;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.Dataset;
import dev.kindling.data.Datasets;
import dev.kindling.data.Subset;
import dev.kindling.data.TensorDataset;
import dev.kindling.data.datasets.CsvDataset;
import dev.kindling.data.datasets.FashionMNIST;
import dev.kindling.data.datasets.MNIST;
import dev.kindling.data.transforms.Transforms;
import dev.kindling.nn.F;
import dev.kindling.nn.InterpolateMode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The image data of samples 7 and 8 and of the main job: Fashion-MNIST (or MNIST) as the data set classes find
 * it (in {@code root}, then the system folder such as {@code /usr/share/datasets/fashion-mnist}), otherwise the
 * bundled 8x8 digits upsampled to 28x28, with a line saying so.
 *
 * @param name  what was loaded, for the printout
 * @param train training images {@code ([1, 28, 28] floats in [0, 1], label)}
 * @param test  test images, same layout
 */
public record ImageData(String name, Dataset train, Dataset test) {

    /**
     * Fashion-MNIST under {@code root} or the system folder, else the bundled digits. Decoded once per root and
     * JVM: the data sets are read-only, and decoding 70,000 images takes seconds.
     */
    public static ImageData fashionMnist(Path root) {
        return CACHE.computeIfAbsent(root.toAbsolutePath().normalize(), ImageData::loadFashionMnist);
    }

    private static final Map<Path, ImageData> CACHE = new ConcurrentHashMap<>();

    private static ImageData loadFashionMnist(Path root) {
        try {
            return new ImageData("Fashion-MNIST", new FashionMNIST(root, true, Transforms.toTensor()),
                    new FashionMNIST(root, false, Transforms.toTensor()));
        } catch (IllegalStateException e) {
            System.out.println("Fashion-MNIST not found (" + firstLine(e) + "): training on the bundled 8x8 digits instead");
            return digits();
        }
    }

    /** MNIST under {@code root}, or null when its files are not there (MNIST has no system package). */
    public static ImageData mnistIfPresent(Path root) {
        try {
            return new ImageData("MNIST", new MNIST(root, true, Transforms.toTensor()), new MNIST(root, false, Transforms.toTensor()));
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /**
     * The 1,797 bundled 8x8 digits ({@code samples/data/digits.csv.gz}), pixels scaled to [0, 1], upsampled to
     * 28x28 and split 1,500 / 297 with a fixed seed.
     */
    public static ImageData digits() {
        CsvDataset csv = CsvDataset.builder(SampleFiles.data("digits.csv.gz")).targetColumn(64).targetDType(DType.INT64).build();
        Tensor images;
        try (var g = Kindling.noGrad()) {
            Tensor small = csv.features().div(16.0).reshape(-1, 1, 8, 8);
            images = F.interpolate(small, new int[]{28, 28}, InterpolateMode.BILINEAR, false);
        }
        Dataset all = new TensorDataset(images, csv.targets());
        List<Subset> parts = Datasets.randomSplit(all, new int[]{1500, all.size() - 1500}, 42);
        return new ImageData("8x8 digits (upsampled to 28x28)", parts.get(0), parts.get(1));
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
