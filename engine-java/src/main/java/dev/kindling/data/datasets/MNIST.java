package dev.kindling.data.datasets;

import dev.kindling.Tensor;
import dev.kindling.data.Dataset;
import dev.kindling.data.Image;
import dev.kindling.data.Sample;
import dev.kindling.data.transforms.Transform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The MNIST handwritten digits ({@code torchvision.datasets.MNIST}): 60,000 training and 10,000 test
 * images of 28x28 gray pixels with labels 0-9. Sample {@code i} is {@code (image, label)}: the image is an
 * {@link Image} passed through {@code transform} (usually {@code Transforms.toTensor()}), the label a
 * {@code Long} passed through {@code targetTransform}.
 *
 * <p>Files are looked for, as {@code .gz} or uncompressed, in {@code root/MNIST/raw/} (torchvision's
 * layout) and in {@code root/} itself, and are finally
 * downloaded into {@code root/MNIST/raw/} from the official mirrors (checking MD5 sums) when
 * {@code download} is true. The whole file is decoded once; {@code get} copies 784 bytes.
 *
 * <pre>{@code
 * var train = new MNIST(Path.of("data"), true, Transforms.toTensor(), null, true);
 * Sample s = train.get(0);        // ([1, 28, 28] floats in [0, 1], 5)
 * }</pre>
 */
public class MNIST implements Dataset {
    /** torchvision's class names. */
    public static final List<String> CLASSES = List.of("0 - zero", "1 - one", "2 - two", "3 - three", "4 - four",
            "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine");

    static final Source SOURCE = new Source("MNIST", null, null,
            List.of("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
            new String[]{"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"}, CLASSES);

    /**
     * Where a data set in the MNIST format comes from: its folder name under root, the Debian package and
     * its folder (both null when there is none), the download mirrors and the MD5 sums of train images, train labels, test images and
     * test labels (the {@code .gz} files).
     */
    record Source(String folder, String debianPackage, Path systemDir, List<String> mirrors, String[] md5, List<String> classes) { }

    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private final byte[] pixels;
    private final byte[] labels;
    private final int count, rows, cols;
    private final boolean train;
    private final Path imagesFile;
    private final Transform<? super Image, ?> transform;
    private final Transform<? super Long, ?> targetTransform;
    private final List<String> classes;

    /** The training or test split, samples as {@code (Image, Long)}; no download. */
    public MNIST(Path root, boolean train) { this(root, train, null, null, false); }

    /** The training or test split with an image transform; no download. */
    public MNIST(Path root, boolean train, Transform<? super Image, ?> transform) { this(root, train, transform, null, false); }

    /** All of torchvision's options; {@code transform} and {@code targetTransform} may be null. */
    public MNIST(Path root, boolean train, Transform<? super Image, ?> transform, Transform<? super Long, ?> targetTransform, boolean download) {
        this(SOURCE, root, train, transform, targetTransform, download);
    }

    MNIST(Source source, Path root, boolean train, Transform<? super Image, ?> transform, Transform<? super Long, ?> targetTransform, boolean download) {
        if (root == null) throw new IllegalArgumentException(source.folder() + ": root must not be null");
        Path[] files = locate(source, root, train, download);
        Idx.Data images = Idx.read(files[0], 3);
        Idx.Data targets = Idx.read(files[1], 1);
        if (images.count() != targets.count()) {
            throw new IllegalArgumentException(source.folder() + ": " + files[0] + " holds " + images.count() + " images but "
                    + files[1] + " holds " + targets.count() + " labels");
        }
        for (int i = 0; i < targets.count(); i++) {
            int y = targets.bytes()[i] & 0xFF;
            if (y >= source.classes().size()) {
                throw new IllegalArgumentException(source.folder() + ": label " + y + " of sample " + i + " in " + files[1]
                        + " is not a class (expected 0.." + (source.classes().size() - 1) + ")");
            }
        }
        this.pixels = images.bytes();
        this.labels = targets.bytes();
        this.count = images.count();
        this.rows = images.shape()[1];
        this.cols = images.shape()[2];
        this.train = train;
        this.imagesFile = files[0];
        this.transform = transform;
        this.targetTransform = targetTransform;
        this.classes = source.classes();
    }

    /** The image and label files: found locally, or downloaded; otherwise an error saying where it looked. */
    private static Path[] locate(Source source, Path root, boolean train, boolean download) {
        int first = train ? 0 : 2;
        Path raw = root.resolve(source.folder()).resolve("raw");
        List<Path> dirs = source.systemDir() == null ? List.of(raw, root) : List.of(raw, root, source.systemDir());
        for (Path dir : dirs) {
            Path images = find(dir, FILES[first]), labels = find(dir, FILES[first + 1]);
            if (images != null && labels != null) return new Path[]{images, labels};
        }
        String looked = "looked for " + FILES[first] + "[.gz] and " + FILES[first + 1] + "[.gz] in " + dirs;
        String install = source.debianPackage() == null ? "" : "install it with `apt-get install " + source.debianPackage() + "`, ";
        if (!download) {
            throw new IllegalStateException(source.folder() + " " + (train ? "training" : "test") + " data not found: " + looked
                    + ". To get it: " + install + "put the files in " + raw + ", or pass download=true to fetch them from "
                    + source.mirrors());
        }
        try {
            Path images = Download.fetch(source.mirrors(), FILES[first] + ".gz", source.md5()[first], raw);
            Path labels = Download.fetch(source.mirrors(), FILES[first + 1] + ".gz", source.md5()[first + 1], raw);
            return new Path[]{images, labels};
        } catch (IOException e) {
            throw new IllegalStateException(source.folder() + " " + (train ? "training" : "test") + " data not found (" + looked
                    + ") and the download failed: " + e.getMessage() + ". Without network access: " + install
                    + "or copy the files into " + raw, e);
        }
    }

    private static Path find(Path dir, String name) {
        for (String candidate : new String[]{name + ".gz", name}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** {@code (transform(image), targetTransform(label))}; without transforms {@code (Image, Long)}. */
    @Override public Sample get(int index) {
        Image img = image(index);
        Long label = (long) target(index);
        return Sample.of(transform == null ? img : transform.apply(img), targetTransform == null ? label : targetTransform.apply(label));
    }

    /** The raw image {@code index}, a fresh copy of its bytes. */
    public Image image(int index) {
        Dataset.checkIndex(getClass().getSimpleName() + ".get", index, count);
        int n = rows * cols;
        return Image.gray(Arrays.copyOfRange(pixels, index * n, index * n + n), rows, cols);
    }

    /** The label of sample {@code index}. */
    public int target(int index) {
        return labels[Dataset.checkIndex(getClass().getSimpleName() + ".target", index, count)] & 0xFF;
    }

    /** All labels as an INT64 tensor {@code [N]} ({@code dataset.targets}). */
    public Tensor targets() {
        long[] out = new long[count];
        for (int i = 0; i < count; i++) out[i] = labels[i] & 0xFF;
        return Tensor.fromArray(out, count);
    }

    @Override public int size() { return count; }

    /** Whether this is the training split. */
    public boolean train() { return train; }

    /** The class names, indexed by label. */
    public List<String> classes() { return new ArrayList<>(classes); }

    @Override public String toString() {
        return "Dataset " + getClass().getSimpleName() + "\n    Number of datapoints: " + count + "\n    Split: "
                + (train ? "Train" : "Test") + "\n    File: " + imagesFile
                + (transform == null ? "" : "\n    Transform: " + transform);
    }
}
