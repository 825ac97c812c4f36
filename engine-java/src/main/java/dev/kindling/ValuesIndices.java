package dev.kindling;

/**
 * The pair returned by {@code max(dim)}, {@code min(dim)}, {@code sort}, {@code topk}
 * ({@code torch.return_types}); Kotlin destructures it: {@code val (values, indices) = x.max(1)}.
 */
public record ValuesIndices(Tensor values, Tensor indices) {
    public Tensor component1() { return values; }

    public Tensor component2() { return indices; }
}
