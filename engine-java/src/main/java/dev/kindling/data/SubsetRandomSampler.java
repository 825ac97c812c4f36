package dev.kindling.data;

import dev.kindling.Generator;

import java.util.Iterator;

/**
 * The given indices in a new random order each epoch ({@code torch.utils.data.SubsetRandomSampler}).
 *
 * <pre>{@code Sampler valSampler = new SubsetRandomSampler(new int[]{3, 8, 9, 12}, new Generator(0));}</pre>
 */
public final class SubsetRandomSampler implements Sampler {
    private final int[] indices;
    private final Generator generator;

    /** A new permutation of {@code indices} per epoch, drawn from {@code generator}. */
    public SubsetRandomSampler(int[] indices, Generator generator) {
        if (generator == null) throw new IllegalArgumentException("SubsetRandomSampler: generator must not be null");
        this.indices = indices.clone();
        this.generator = generator;
    }

    @Override public Iterator<Integer> iterator() {
        int[] perm = RandomSampler.permutation(indices.length, generator);
        int[] out = new int[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = indices[perm[i]];
        return Sampler.over(out);
    }

    @Override public int size() { return indices.length; }
}
