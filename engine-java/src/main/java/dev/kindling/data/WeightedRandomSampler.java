package dev.kindling.data;

import dev.kindling.Generator;

import java.util.Arrays;
import java.util.Iterator;

/**
 * {@code numSamples} indices in {@code [0, weights.length)} drawn with probability proportional to the
 * weights ({@code torch.utils.data.WeightedRandomSampler}); with replacement by default, without it each
 * index is drawn at most once. Typical use: oversample rare classes.
 *
 * <pre>{@code
 * double[] w = new double[n];  // e.g. 1 / count of the sample's class
 * Sampler s = new WeightedRandomSampler(w, n, true, new Generator(0));
 * }</pre>
 */
public final class WeightedRandomSampler implements Sampler {
    private final double[] weights;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    /** {@code numSamples} draws per epoch; weights must be finite, non-negative, and not all zero. */
    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        if (generator == null) throw new IllegalArgumentException("WeightedRandomSampler: generator must not be null");
        if (weights == null) throw new IllegalArgumentException("WeightedRandomSampler: weights must not be null");
        if (numSamples < 0) throw new IllegalArgumentException("WeightedRandomSampler: numSamples should be a non-negative integer, got " + numSamples);
        int positive = 0;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Double.isInfinite(weights[i])) {
                throw new IllegalArgumentException("WeightedRandomSampler: weights[" + i + "] = " + weights[i] + " must be finite and >= 0");
            }
            if (weights[i] > 0) positive++;
        }
        if (numSamples > 0 && positive == 0) throw new IllegalArgumentException("WeightedRandomSampler: all " + weights.length + " weights are zero");
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: cannot draw " + numSamples + " samples without replacement from "
                    + positive + " indices of non-zero weight");
        }
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    @Override public Iterator<Integer> iterator() {
        int[] out = new int[numSamples];
        if (replacement) {
            double[] cdf = new double[weights.length];
            double acc = 0;
            for (int i = 0; i < weights.length; i++) cdf[i] = acc += weights[i];
            for (int k = 0; k < numSamples; k++) {
                double u = generator.nextDouble() * acc;
                int j = Arrays.binarySearch(cdf, u);
                j = j < 0 ? -j - 1 : j + 1;           // first cdf entry strictly above u
                while (j < cdf.length - 1 && weights[j] == 0) j++;
                out[k] = Math.min(j, cdf.length - 1);
            }
        } else {
            // exponential keys (Efraimidis-Spirakis): the numSamples smallest -log(u)/w are a weighted draw without replacement
            Integer[] order = new Integer[weights.length];
            double[] key = new double[weights.length];
            for (int i = 0; i < weights.length; i++) {
                order[i] = i;
                double u;
                do { u = generator.nextDouble(); } while (u == 0);
                key[i] = weights[i] > 0 ? -Math.log(u) / weights[i] : Double.POSITIVE_INFINITY;
            }
            Arrays.sort(order, (a, b) -> Double.compare(key[a], key[b]));
            for (int k = 0; k < numSamples; k++) out[k] = order[k];
        }
        return Sampler.over(out);
    }

    @Override public int size() { return numSamples; }
}
