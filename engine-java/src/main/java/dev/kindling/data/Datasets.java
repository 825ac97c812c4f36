package dev.kindling.data;

import dev.kindling.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Helpers over data sets: {@link #randomSplit} ({@code torch.utils.data.random_split}).
 *
 * <pre>{@code
 * List<Subset> parts = Datasets.randomSplit(ds, new double[]{0.8, 0.2}, 42);
 * Dataset train = parts.get(0), val = parts.get(1);
 * }</pre>
 */
public final class Datasets {
    private Datasets() { }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must add up
     * to its size. The same seed gives the same split.
     */
    public static List<Subset> randomSplit(Dataset dataset, int[] lengths, long seed) {
        return randomSplit(dataset, lengths, new Generator(seed));
    }

    /** As {@link #randomSplit(Dataset, int[], long)}, drawing from {@code generator}. */
    public static List<Subset> randomSplit(Dataset dataset, int[] lengths, Generator generator) {
        checkArgs(dataset, lengths, generator);
        long sum = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("randomSplit: negative length in " + Arrays.toString(lengths));
            sum += l;
        }
        if (sum != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sum of input lengths " + Arrays.toString(lengths) + " = " + sum
                    + " does not equal the length of the input data set (" + dataset.size() + ")");
        }
        int[] perm = RandomSampler.permutation(dataset.size(), generator);
        List<Subset> out = new ArrayList<>();
        int at = 0;
        for (int l : lengths) {
            out.add(new Subset(dataset, Arrays.copyOfRange(perm, at, at + l)));
            at += l;
        }
        return out;
    }

    /**
     * Splits by fractions that add up to 1, as PyTorch does: each part gets {@code floor(n * fraction)}
     * samples and the remainder is dealt one by one to the parts in order.
     */
    public static List<Subset> randomSplit(Dataset dataset, double[] fractions, long seed) {
        return randomSplit(dataset, fractions, new Generator(seed));
    }

    /** As {@link #randomSplit(Dataset, double[], long)}, drawing from {@code generator}. */
    public static List<Subset> randomSplit(Dataset dataset, double[] fractions, Generator generator) {
        checkArgs(dataset, fractions, generator);
        double total = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("randomSplit: fraction " + f + " is not in [0, 1]");
            total += f;
        }
        if (Math.abs(total - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " sum to " + total + ", not 1");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length, assigned++) lengths[i]++;
        return randomSplit(dataset, lengths, generator);
    }

    private static void checkArgs(Dataset dataset, Object lengths, Generator generator) {
        String bad = dataset == null ? "dataset" : lengths == null ? "lengths" : generator == null ? "generator" : null;
        if (bad != null) throw new IllegalArgumentException("randomSplit: " + bad + " must not be null");
    }
}
