package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.*

/**
 * Receiver of [sequential]: one function per engine layer, with PyTorch's keyword names and defaults.
 *
 * While building it follows what it can know of the activations: the feature count after a Linear
 * (or Embedding, norm), the channel count after a conv, the spatial size after `adaptiveAvgPool2d`.
 * A layer that contradicts it throws [IllegalArgumentException] naming both builder lines.
 */
@KindlingDsl
class SequentialBuilder internal constructor(parent: Track?) {
    internal val seq = Sequential()
    private var track: Track? = parent

    /** What the builder knows of the current activation: a size, what kind it is, and who set it. */
    internal data class Track(val kind: Kind, val size: Int, val what: String, val site: String, val spatial: Int? = null)
    internal enum class Kind { FEATURES, CHANNELS }

    /** Appends any module (`add(MyBlock())`); sizes after it are unknown. */
    fun <M : Module> add(module: M): M { seq.add(module); track = null; return module }

    /** `+MyBlock()` appends a module, like [add]. */
    operator fun Module.unaryPlus() { add(this) }

    /** A lambda layer inside the block: `module { x -> x * 2 }`. Sizes are unknown after it. */
    fun module(name: String = "Lambda", forward: (Tensor) -> Tensor): Module = add(LambdaModule(name, forward))

    /** A nested block, added as one child (`sequential { ...; sequential { ... } }`). */
    fun sequential(block: SequentialBuilder.() -> Unit): Sequential {
        val inner = SequentialBuilder(track).apply(block)
        seq.add(inner.seq)
        track = inner.track
        return inner.seq
    }

    // ---- linear and embedding ----
    fun linear(inFeatures: Int, outFeatures: Int, bias: Boolean = true): Linear {
        val site = callSite()
        expect(Kind.FEATURES, inFeatures, "linear($inFeatures, $outFeatures)", "in_features", site)
        return keep(Linear(inFeatures, outFeatures, bias), Track(Kind.FEATURES, outFeatures, "linear($inFeatures, $outFeatures)", site))
    }
    fun bilinear(in1Features: Int, in2Features: Int, outFeatures: Int, bias: Boolean = true): Bilinear =
        keep(Bilinear(in1Features, in2Features, outFeatures, bias), Track(Kind.FEATURES, outFeatures, "bilinear", callSite()))
    fun embedding(numEmbeddings: Int, embeddingDim: Int, paddingIdx: Int? = null): Embedding =
        keep(if (paddingIdx == null) Embedding(numEmbeddings, embeddingDim) else Embedding(numEmbeddings, embeddingDim, paddingIdx),
            Track(Kind.FEATURES, embeddingDim, "embedding($numEmbeddings, $embeddingDim)", callSite()))
    fun identity(): Identity = same(Identity())

    // ---- convolutions and pooling ----
    fun conv1d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
               dilation: Int = 1, groups: Int = 1, bias: Boolean = true): Conv1d {
        val site = callSite()
        expect(Kind.CHANNELS, inChannels, "conv1d($inChannels, $outChannels)", "in_channels", site)
        return keep(Conv1d(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias),
            Track(Kind.CHANNELS, outChannels, "conv1d($inChannels, $outChannels)", site))
    }
    /** `conv2d(1, 32, kernelSize = 3, padding = 1)`; `padding = "same"` via [conv2dSame]. */
    fun conv2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
               dilation: Int = 1, groups: Int = 1, bias: Boolean = true): Conv2d {
        val site = callSite()
        expect(Kind.CHANNELS, inChannels, "conv2d($inChannels, $outChannels)", "in_channels", site)
        val conv = Conv2d.builder(inChannels, outChannels, intArrayOf(kernelSize, kernelSize)).stride(stride)
            .padding(padding).dilation(dilation).groups(groups).bias(bias).build()
        return keep(conv, Track(Kind.CHANNELS, outChannels, "conv2d($inChannels, $outChannels)", site))
    }
    /** A conv2d with PyTorch's `padding="same"` (stride 1). */
    fun conv2dSame(inChannels: Int, outChannels: Int, kernelSize: Int, dilation: Int = 1, groups: Int = 1, bias: Boolean = true): Conv2d {
        val site = callSite()
        expect(Kind.CHANNELS, inChannels, "conv2dSame($inChannels, $outChannels)", "in_channels", site)
        val conv = Conv2d.builder(inChannels, outChannels, intArrayOf(kernelSize, kernelSize)).padding("same")
            .dilation(dilation).groups(groups).bias(bias).build()
        return keep(conv, Track(Kind.CHANNELS, outChannels, "conv2dSame($inChannels, $outChannels)", site))
    }
    fun convTranspose2d(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0): ConvTranspose2d {
        val site = callSite()
        expect(Kind.CHANNELS, inChannels, "convTranspose2d($inChannels, $outChannels)", "in_channels", site)
        return keep(ConvTranspose2d(inChannels, outChannels, kernelSize, stride, padding),
            Track(Kind.CHANNELS, outChannels, "convTranspose2d($inChannels, $outChannels)", site))
    }
    /** `maxPool2d(2)`; [stride] defaults to [kernelSize] as in PyTorch. */
    fun maxPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0, dilation: Int = 1): MaxPool2d =
        spatial(MaxPool2d(kernelSize, stride, padding, dilation))
    fun avgPool2d(kernelSize: Int, stride: Int = kernelSize, padding: Int = 0, countIncludePad: Boolean = true): AvgPool2d =
        spatial(AvgPool2d(kernelSize, stride, padding, countIncludePad))
    /** After it the spatial size is known, so a following `flatten()` knows its feature count. */
    fun adaptiveAvgPool2d(outputSize: Int): AdaptiveAvgPool2d = adaptive(AdaptiveAvgPool2d(outputSize), outputSize * outputSize)
    fun adaptiveAvgPool2d(outH: Int, outW: Int): AdaptiveAvgPool2d = adaptive(AdaptiveAvgPool2d(outH, outW), outH * outW)

    // ---- normalization and dropout ----
    fun batchNorm1d(numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Boolean = true,
                    trackRunningStats: Boolean = true): BatchNorm1d {
        // BatchNorm1d normalizes dim 1: features of [N, F] or channels of [N, C, L]
        val t = track
        if (t != null && t.spatial == null && t.size != numFeatures) mismatch("batchNorm1d($numFeatures)", "num_features", numFeatures, t, callSite())
        return same(BatchNorm1d(numFeatures, eps, momentum, affine, trackRunningStats))
    }
    fun batchNorm2d(numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Boolean = true,
                    trackRunningStats: Boolean = true): BatchNorm2d {
        expect(Kind.CHANNELS, numFeatures, "batchNorm2d($numFeatures)", "num_features", callSite())
        return same(BatchNorm2d(numFeatures, eps, momentum, affine, trackRunningStats))
    }
    fun groupNorm(numGroups: Int, numChannels: Int, eps: Double = 1e-5, affine: Boolean = true): GroupNorm {
        expect(Kind.CHANNELS, numChannels, "groupNorm($numGroups, $numChannels)", "num_channels", callSite())
        return same(GroupNorm(numGroups, numChannels, eps, affine))
    }
    /** `layerNorm(64)` normalizes the last dimension; `layerNorm(intArrayOf(C, H, W))` several. */
    fun layerNorm(normalizedShape: Int, eps: Double = 1e-5, elementwiseAffine: Boolean = true): LayerNorm {
        expect(Kind.FEATURES, normalizedShape, "layerNorm($normalizedShape)", "normalized_shape", callSite())
        return same(LayerNorm(intArrayOf(normalizedShape), eps, elementwiseAffine))
    }
    fun layerNorm(normalizedShape: IntArray, eps: Double = 1e-5, elementwiseAffine: Boolean = true): LayerNorm =
        same(LayerNorm(normalizedShape, eps, elementwiseAffine))
    fun dropout(p: Double = 0.5): Dropout = same(Dropout(p))
    fun dropout2d(p: Double = 0.5): Dropout2d = same(Dropout2d(p))

    // ---- reshaping ----
    /** `flatten()` keeps dim 0 (the batch), like `nn.Flatten()`. */
    fun flatten(startDim: Int = 1, endDim: Int = -1): Flatten {
        val t = track
        val next = if (t != null && t.kind == Kind.CHANNELS && t.spatial != null && startDim == 1 && endDim == -1)
            Track(Kind.FEATURES, t.size * t.spatial, "flatten() of ${t.size} channels x ${t.spatial}", callSite())
        else if (t != null && t.kind == Kind.FEATURES && t.spatial == null) t else null
        return keep(Flatten(startDim, endDim), next)
    }
    fun unflatten(dim: Int, vararg sizes: Int): Unflatten = add(Unflatten(dim, *sizes))

    // ---- activations ----
    fun relu(): ReLU = same(ReLU())
    fun leakyRelu(negativeSlope: Double = 0.01): LeakyReLU = same(LeakyReLU(negativeSlope))
    fun elu(alpha: Double = 1.0): ELU = same(ELU(alpha))
    /** `gelu(approximate = "tanh")` as in PyTorch. */
    fun gelu(approximate: String = "none"): GELU = same(GELU(approximate))
    fun silu(): SiLU = same(SiLU())
    fun sigmoid(): Sigmoid = same(Sigmoid())
    fun tanh(): Tanh = same(Tanh())
    fun softplus(beta: Double = 1.0, threshold: Double = 20.0): Softplus = same(Softplus(beta, threshold))
    fun softmax(dim: Int): Softmax = same(Softmax(dim))
    fun logSoftmax(dim: Int): LogSoftmax = same(LogSoftmax(dim))

    // ---- bookkeeping ----
    private fun <M : Module> keep(m: M, next: Track?): M { seq.add(m); track = next; return m }
    private fun <M : Module> same(m: M): M { seq.add(m); return m }
    private fun <M : Module> spatial(m: M): M {
        val t = track
        seq.add(m); track = if (t != null && t.kind == Kind.CHANNELS) t.copy(spatial = null) else null
        return m
    }
    private fun <M : Module> adaptive(m: M, hw: Int): M {
        val t = track
        seq.add(m); track = if (t != null && t.kind == Kind.CHANNELS) t.copy(spatial = hw) else null
        return m
    }

    private fun expect(kind: Kind, size: Int, what: String, arg: String, site: String) {
        val t = track ?: return
        if (t.kind == kind && t.spatial == null && t.size != size) mismatch(what, arg, size, t, site)
    }

    private fun mismatch(what: String, arg: String, size: Int, t: Track, site: String): Nothing =
        throw IllegalArgumentException(
            "sequential: $what at $site expects $arg=$size, but the previous layer ${t.what} at ${t.site} " +
                "produces ${t.size} ${t.kind.name.lowercase()} ($size != ${t.size})")

    /** The user's line that called the builder function: the first frame outside this class. */
    private fun callSite(): String {
        val frame = Throwable().stackTrace.firstOrNull { it.className != SequentialBuilder::class.java.name }
        return if (frame == null) "unknown line" else "${frame.fileName}:${frame.lineNumber}"
    }
}
