package dev.kindling.samples.ch09_workflow;

import dev.kindling.DType;
import dev.kindling.Generator;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A synthetic classification problem in the manner of scikit-learn's {@code make_classification}: each class is
 * a few Gaussian clusters on the vertices of a hypercube in the informative dimensions, stretched by a random
 * linear map; redundant features are linear mixes of the informative ones, the rest is noise, and 1% of the
 * labels are flipped. Not bit-identical to scikit-learn, same recipe.
 *
 * <pre>{@code
 * Tensor[] xy = MakeClassification.generate(5000, 20, 15, 2, 3, 2, 42);   // x [5000, 20], y [5000]
 * }</pre>
 */
public final class MakeClassification {
    private MakeClassification() {}

    /** Returns {@code {x [n, features] float32, y [n] int64}}. */
    public static Tensor[] generate(int nSamples, int nFeatures, int nInformative, int nRedundant, int nClasses,
                                    int clustersPerClass, long seed) {
        if (nInformative + nRedundant > nFeatures) {
            throw new IllegalArgumentException("MakeClassification: informative (" + nInformative + ") + redundant ("
                    + nRedundant + ") features exceed nFeatures (" + nFeatures + ")");
        }
        Generator g = new Generator(seed);
        int nClusters = nClasses * clustersPerClass;
        // cluster centres: random vertices of the hypercube [-1, 1]^informative (class_sep = 1)
        Tensor centroids = Tensor.randint(g, 0, 2, nClusters, nInformative).to(DType.FLOAT32).mul(2).sub(1);
        List<Tensor> parts = new ArrayList<>();
        long[] labels = new long[nSamples];
        int start = 0;
        for (int k = 0; k < nClusters; k++) {
            int count = nSamples / nClusters + (k < nSamples % nClusters ? 1 : 0);
            Tensor a = Tensor.rand(g, nInformative, nInformative).mul(2).sub(1);    // random covariance
            parts.add(Tensor.randn(g, count, nInformative).matmul(a).add(centroids.select(0, k)));
            for (int i = start; i < start + count; i++) labels[i] = k % nClasses;
            start += count;
        }
        Tensor informative = Tensor.cat(parts, 0);
        Tensor redundant = informative.matmul(Tensor.rand(g, nInformative, nRedundant).mul(2).sub(1));
        Tensor noise = Tensor.randn(g, nSamples, nFeatures - nInformative - nRedundant);
        Tensor x = Tensor.cat(List.of(informative, redundant, noise), 1);
        // flip_y = 0.01: a random label for 1% of the samples
        Tensor flip = Tensor.rand(g, nSamples).lt(0.01);
        Tensor random = Tensor.randint(g, 0, nClasses, nSamples);
        Tensor y = Tensor.where(flip, random, Tensor.fromArray(labels, nSamples));
        Tensor order = Tensor.randperm(g, nSamples);
        return new Tensor[]{x.indexSelect(0, order), y.indexSelect(0, order)};
    }
}
