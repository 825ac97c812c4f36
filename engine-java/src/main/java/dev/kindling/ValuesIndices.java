package dev.kindling;

/**
 * The pair returned by {@code max(dim)}, {@code min(dim)}, {@code sort}, {@code topk}
 * ({@code torch.return_types}); Kotlin destructures it: {@code val (values, indices) = x.max(1)}.
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    /** The values, for Kotlin destructuring {@code val (values, indices) = x.max(0)}. */
    public Tensor component1() { return values; }

    /** The indices, for Kotlin destructuring {@code val (values, indices) = x.max(0)}. */
    public Tensor component2() { return indices; }
}
