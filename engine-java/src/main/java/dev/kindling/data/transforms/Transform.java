package dev.kindling.data.transforms;

import java.util.function.Function;

/**
 * A step that turns one sample item into another, e.g. an {@link dev.kindling.data.Image} into a tensor
 * ({@code torchvision.transforms}). Build them with {@link Transforms}; any lambda is one too.
 *
 * <pre>{@code
 * Transform<Image, Tensor> t = Transforms.toTensor().andThen(Transforms.normalize(0.5, 0.5));
 * Tensor x = t.apply(image);
 * }</pre>
 */
@FunctionalInterface
public interface Transform<I, O> extends Function<I, O> {
    /** This transform, then {@code next}. */
    default <R> Transform<I, R> andThen(Transform<? super O, ? extends R> next) {
        Transform<I, O> self = this;
        return Transforms.named(self + ", " + next, x -> next.apply(self.apply(x)));
    }
}
