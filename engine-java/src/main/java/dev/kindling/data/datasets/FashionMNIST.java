package dev.kindling.data.datasets;

import dev.kindling.data.Image;
import dev.kindling.data.transforms.Transform;

import java.nio.file.Path;
import java.util.List;

/**
 * Zalando's Fashion-MNIST ({@code torchvision.datasets.FashionMNIST}): 60,000 training and 10,000 test
 * 28x28 gray images of 10 kinds of clothing, a drop-in replacement for MNIST. Files are looked for in
 * {@code root/FashionMNIST/raw/}, in {@code root/}, in {@code /usr/share/datasets/fashion-mnist} (Debian's
 * {@code dataset-fashion-mnist}), then downloaded from the official mirrors when {@code download} is true.
 *
 * <pre>{@code
 * var train = new FashionMNIST(Path.of("data"), true,
 *         Transforms.compose(Transforms.toTensor(), Transforms.normalize(0.5, 0.5)));
 * String name = FashionMNIST.CLASSES.get(train.target(0));   // "Ankle boot"
 * }</pre>
 */
public class FashionMNIST extends MNIST {
    /** The ten class names, indexed by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final Source SOURCE = new Source("FashionMNIST", "dataset-fashion-mnist", Path.of("/usr/share/datasets/fashion-mnist"),
            List.of("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                    "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"),
            new String[]{"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"}, CLASSES);

    /** The training or test split, samples as {@code (Image, Long)}; no download. */
    public FashionMNIST(Path root, boolean train) { this(root, train, null, null, false); }

    /** The training or test split with an image transform; no download. */
    public FashionMNIST(Path root, boolean train, Transform<? super Image, ?> transform) { this(root, train, transform, null, false); }

    /** All of torchvision's options; {@code transform} and {@code targetTransform} may be null. */
    public FashionMNIST(Path root, boolean train, Transform<? super Image, ?> transform, Transform<? super Long, ?> targetTransform, boolean download) {
        super(SOURCE, root, train, transform, targetTransform, download);
    }

    /** For tests: another source (mirrors, system folder). */
    FashionMNIST(Source source, Path root, boolean train, boolean download) {
        super(source, root, train, null, null, download);
    }
}
