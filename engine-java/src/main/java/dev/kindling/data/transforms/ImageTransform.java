package dev.kindling.data.transforms;

import dev.kindling.Tensor;
import dev.kindling.data.Image;

import java.util.function.UnaryOperator;

/**
 * A geometric transform (flip, crop, resize) that takes either an {@link Image} or a tensor
 * {@code [..., H, W]} and gives back the same kind. The typed overloads keep Java and Kotlin free of casts
 * and type arguments; as a {@code Transform<Object, Object>} it fits any {@link Transforms#compose}.
 *
 * <pre>{@code
 * Image small = Transforms.resize(14, 14).apply(image);
 * Tensor cropped = Transforms.centerCrop(24).apply(tensor);
 * }</pre>
 */
public final class ImageTransform implements Transform<Object, Object> {
    private final String name;
    private final UnaryOperator<Object> op;

    ImageTransform(String name, UnaryOperator<Object> op) {
        this.name = name;
        this.op = op;
    }

    /** Applies the transform to an image. */
    public Image apply(Image image) { return (Image) op.apply(image); }

    /** Applies the transform to a tensor whose last two dimensions are {@code H, W}. */
    public Tensor apply(Tensor tensor) { return (Tensor) op.apply(tensor); }

    /** Applies the transform to an Image or a Tensor; anything else is a clear error. */
    @Override public Object apply(Object input) { return op.apply(input); }

    @Override public String toString() { return name; }
}
