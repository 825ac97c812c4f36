package dev.kindling.samples.ch09_workflow

import dev.kindling.DType
import dev.kindling.Generator
import dev.kindling.Tensor
import dev.kindling.dsl.*

/**
 * A synthetic classification problem in the manner of scikit-learn's `make_classification`: each class is a few
 * Gaussian clusters on the vertices of a hypercube in the informative dimensions, stretched by a random linear
 * map; redundant features are linear mixes of the informative ones, the rest is noise, and 1% of the labels are
 * flipped. Not bit-identical to scikit-learn, same recipe.
 *
 * ```
 * val (x, y) = makeClassification(nSamples = 5000, nFeatures = 20, nInformative = 15, nClasses = 3, seed = 42)
 * ```
 */
fun makeClassification(
    nSamples: Int = 100,
    nFeatures: Int = 20,
    nInformative: Int = 2,
    nRedundant: Int = 2,
    nClasses: Int = 2,
    clustersPerClass: Int = 2,
    seed: Long = 0,
): Pair<Tensor, Tensor> {
    require(nInformative + nRedundant <= nFeatures) {
        "makeClassification: informative ($nInformative) + redundant ($nRedundant) features exceed nFeatures ($nFeatures)"
    }
    val g = Generator(seed)
    val nClusters = nClasses * clustersPerClass
    // cluster centres: random vertices of the hypercube [-1, 1]^informative (class_sep = 1)
    val centroids = Tensor.randint(g, 0, 2, nClusters, nInformative).to(DType.FLOAT32) * 2 - 1
    val labels = LongArray(nSamples)
    var start = 0
    val parts = (0 until nClusters).map { k ->
        val count = nSamples / nClusters + if (k < nSamples % nClusters) 1 else 0
        val a = Tensor.rand(g, nInformative, nInformative) * 2 - 1    // random covariance
        for (i in start until start + count) labels[i] = (k % nClasses).toLong()
        start += count
        (Tensor.randn(g, count, nInformative) matmul a) + centroids[k]
    }
    val informative = cat(parts, 0)
    val redundant = informative matmul (Tensor.rand(g, nInformative, nRedundant) * 2 - 1)
    val noise = Tensor.randn(g, nSamples, nFeatures - nInformative - nRedundant)
    val x = cat(listOf(informative, redundant, noise), 1)
    // flip_y = 0.01: a random label for 1% of the samples
    val flip = Tensor.rand(g, nSamples).lt(0.01)
    val random = Tensor.randint(g, 0, nClasses.toLong(), nSamples)
    val y = where(flip, random, Tensor.fromArray(labels, nSamples))
    val order = Tensor.randperm(g, nSamples)
    return x.indexSelect(0, order) to y.indexSelect(0, order)
}
