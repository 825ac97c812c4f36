package dev.kindling.nn;

import dev.kindling.Autocast;
import dev.kindling.Kindling;
import dev.kindling.EluOps;
import dev.kindling.GeluOps;
import dev.kindling.LeakyReluOps;
import dev.kindling.SiluOps;
import dev.kindling.Tensor;
import dev.kindling.ValuesIndices;

import java.util.Arrays;

/**
 * The functional API ({@code torch.nn.functional}): stateless twins of the layers and losses.
 *
 * <pre>{@code
 * x = F.maxPool2d(F.relu(conv1.forward(x)), 2);
 * Tensor loss = F.crossEntropy(logits, labels);
 * }</pre>
 */
public final class F {
    private F() {}

    /** A null tensor argument is an error naming the op and the argument, not a NullPointerException. */
    private static Tensor arg(String op, String name, Tensor t) {
        if (t == null) throw new IllegalArgumentException(op + ": " + name + " must not be null");
        return t;
    }

    // ------------------------------------------------------------------ activations

    /** {@code F.relu(x)}, elementwise. */
    public static Tensor relu(Tensor x) { return x.relu(); }

    /** {@code x} where positive, {@code negativeSlope * x} elsewhere. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) { return LeakyReluOps.leakyRelu(x, negativeSlope); }

    /** {@code F.leaky_relu} with PyTorch's defaults for the arguments left out. */
    public static Tensor leakyRelu(Tensor x) { return leakyRelu(x, 0.01); }

    /** {@code x} where positive, {@code alpha * (exp(x) - 1)} elsewhere. */
    public static Tensor elu(Tensor x, double alpha) { return EluOps.elu(x, alpha); }

    /** {@code F.elu} with PyTorch's defaults for the arguments left out. */
    public static Tensor elu(Tensor x) { return elu(x, 1.0); }

    /** The exact GELU, {@code x * Phi(x)}. */
    public static Tensor gelu(Tensor x) { return GeluOps.gelu(x); }

    /** GELU; {@code approximate = "tanh"} uses the tanh formula, {@code "none"} the exact one. */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("none".equals(approximate)) return gelu(x);
        if (!"tanh".equals(approximate)) throw new IllegalArgumentException("gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
        return Temporaries.freed(() -> {
            Tensor inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
            return x.mul(inner.tanh().add(1)).mul(0.5);
        }, x);
    }

    /** {@code F.silu(x)}, elementwise. */
    public static Tensor silu(Tensor x) { return SiluOps.silu(x); }

    /** {@code F.sigmoid(x)}, elementwise. */
    public static Tensor sigmoid(Tensor x) { return x.sigmoid(); }

    /** {@code F.tanh(x)}, elementwise. */
    public static Tensor tanh(Tensor x) { return x.tanh(); }

    /** {@code log(1 + exp(beta x)) / beta}, linear above {@code threshold}. */
    public static Tensor softplus(Tensor x, double beta, double threshold) {
        if (Autocast.on()) return Autocast.call("softplus", c -> softplus(c[0], beta, threshold), x);
        return Temporaries.freed(() -> {
            Tensor bx = x.mul(beta);
            // relu(z) + log1p(exp(-|z|)) == log1p(exp(z)) without overflow
            Tensor soft = bx.relu().add(bx.abs().neg().exp().log1p()).div(beta);
            return Tensor.where(bx.gt(threshold), x, soft);
        }, x);
    }

    /** {@code F.softplus} with PyTorch's defaults for the arguments left out. */
    public static Tensor softplus(Tensor x) { return softplus(x, 1, 20); }

    /** {@code F.softplus(x, beta)} with PyTorch's defaults for the arguments left out. */
    public static Tensor softplus(Tensor x, double beta) { return softplus(x, beta, 20); }

    /** {@code F.softmax(x, dim)}. */
    public static Tensor softmax(Tensor x, int dim) { return x.softmax(dim); }

    /** {@code F.log_softmax(x, dim)}. */
    public static Tensor logSoftmax(Tensor x, int dim) { return x.logSoftmax(dim); }

    // ------------------------------------------------------------------ linear and convolution

    /** {@code x @ weight.T + bias}; bias may be null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (Autocast.on()) return Autocast.call("linear", c -> linear(c[0], c[1], c[2]), x, weight, bias);
        arg("linear", "input", x);
        arg("linear", "weight", weight);
        if (x.dim() == 0 || weight.dim() != 2 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: expected input with last dimension " + (weight.dim() == 2 ? weight.size(1) : -1)
                    + ", got shape " + Arrays.toString(x.shape()) + " (weight " + Arrays.toString(weight.shape()) + ")");
        }
        // PyTorch's fused paths: addmm for a matrix, and a contiguous batch folded into one (its linear())
        boolean fusable = bias != null && bias.dim() == 1 && bias.size(0) == weight.size(0) && bias.dtype() == x.dtype()
                && weight.dtype() == x.dtype() && x.dtype().isFloatingPoint();
        if (fusable && x.dim() == 2) return bias.addmm(x, weight.t());
        if (fusable && x.dim() == 3 && x.isContiguous()) {
            int[] s = x.shape();
            return bias.addmm(x.reshape(s[0] * s[1], s[2]), weight.t()).reshape(s[0], s[1], weight.size(0));
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }

    /** {@code F.linear} with PyTorch's defaults for the arguments left out. */
    public static Tensor linear(Tensor x, Tensor weight) { return linear(x, weight, null); }

    /** {@code y_k = x1^T W_k x2 + b_k} for weight {@code [out, in1, in2]}. */
    public static Tensor bilinear(Tensor x1, Tensor x2, Tensor weight, Tensor bias) {
        arg("bilinear", "input1", x1);
        arg("bilinear", "input2", x2);
        if (arg("bilinear", "weight", weight).dim() != 3) {
            throw new IllegalArgumentException("bilinear: expected a 3-D weight [out, in1, in2], got shape " + Arrays.toString(weight.shape()));
        }
        int out = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
        if (x1.size(-1) != in1 || x2.size(-1) != in2 || !Arrays.equals(Arrays.copyOf(x1.shape(), x1.dim() - 1), Arrays.copyOf(x2.shape(), x2.dim() - 1))) {
            throw new IllegalArgumentException("bilinear: expected inputs [..., " + in1 + "] and [..., " + in2 + "] with the same batch shape, got "
                    + Arrays.toString(x1.shape()) + " and " + Arrays.toString(x2.shape()));
        }
        int[] batch = Arrays.copyOf(x1.shape(), x1.dim() - 1);
        Tensor a = x1.reshape(-1, in1), b = x2.reshape(-1, in2);
        // [B, in1] @ [in1, out*in2] -> [B, out, in2], then contract with x2
        Tensor t = a.matmul(weight.permute(1, 0, 2).reshape(in1, out * in2)).reshape(-1, out, in2);
        Tensor y = t.mul(b.unsqueeze(1)).sum(2);
        if (bias != null) y = y.add(bias);
        int[] os = Arrays.copyOf(batch, batch.length + 1);
        os[batch.length] = out;
        return y.reshape(os);
    }

    /** 2-D convolution of {@code [N, C, H, W]} with weight {@code [out, C/groups, kH, kW]}; bias may be null. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return Convolution.conv2d("conv2d", arg("conv2d", "input", x), arg("conv2d", "weight", weight), bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, new int[]{stride, stride}, new int[]{padding, padding}, new int[]{1, 1}, 1);
    }

    /** {@code F.conv2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias) { return conv2d(x, weight, bias, 1, 0); }

    /** {@code F.conv2d(x, weight, bias, stride)} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride) { return conv2d(x, weight, bias, stride, 0); }

    /** {@code F.conv2d(x, weight)}: no bias, PyTorch's defaults for the arguments left out. */
    public static Tensor conv2d(Tensor x, Tensor weight) { return conv2d(x, weight, null); }

    /** 1-D convolution of {@code [N, C, L]} with weight {@code [out, C/groups, k]}, run as a 2-D one of height 1. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        arg("conv1d", "input", x);
        arg("conv1d", "weight", weight);
        if (x.dim() != 3) throw new IllegalArgumentException("conv1d: expected a 3-D input [N, C, L], got shape " + Arrays.toString(x.shape()));
        if (weight.dim() != 3) throw new IllegalArgumentException("conv1d: expected a 3-D weight [out, in/groups, k], got shape " + Arrays.toString(weight.shape()));
        return Convolution.conv2d("conv1d", x.unsqueeze(2), weight.unsqueeze(2), bias, new int[]{1, stride}, new int[]{0, padding},
                new int[]{1, dilation}, groups).squeeze(2);
    }

    /** {@code F.conv1d} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias) { return conv1d(x, weight, bias, 1, 0, 1, 1); }

    /** {@code F.conv1d(x, weight, bias, stride)} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride) { return conv1d(x, weight, bias, stride, 0, 1, 1); }

    /** {@code F.conv1d(x, weight, bias, stride, padding)} with PyTorch's defaults for the arguments left out. */
    public static Tensor conv1d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) { return conv1d(x, weight, bias, stride, padding, 1, 1); }

    /** {@code F.conv1d(x, weight)}: no bias, PyTorch's defaults for the arguments left out. */
    public static Tensor conv1d(Tensor x, Tensor weight) { return conv1d(x, weight, null); }

    /** Transposed 2-D convolution with weight {@code [in, out/groups, kH, kW]}. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int groups, int[] dilation) {
        return Convolution.convTranspose2d("conv_transpose2d", arg("conv_transpose2d", "input", x),
                arg("conv_transpose2d", "weight", weight), bias, stride, padding, outputPadding, groups, dilation);
    }

    /** {@code F.conv_transpose2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return convTranspose2d(x, weight, bias, new int[]{stride, stride}, new int[]{padding, padding}, new int[]{0, 0}, 1, new int[]{1, 1});
    }

    /** {@code F.conv_transpose2d(x, weight, bias)} with PyTorch's defaults for the arguments left out. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight, Tensor bias) { return convTranspose2d(x, weight, bias, 1, 0); }

    /** {@code F.conv_transpose2d(x, weight)}: no bias, PyTorch's defaults for the arguments left out. */
    public static Tensor convTranspose2d(Tensor x, Tensor weight) { return convTranspose2d(x, weight, null); }

    // ------------------------------------------------------------------ pooling

    /** Max pooling; {@code F.maxPool2d(x, 2)} halves H and W. */
    public static Tensor maxPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        checkWindow("max_pool2d", kernelSize, stride, padding, dilation);
        return Convolution.maxPool2d("max_pool2d", arg("max_pool2d", "input", x), kernelSize, stride, padding, dilation);
    }

    /**
     * Max pooling that also returns where each maximum came from ({@code F.max_pool2d(..., return_indices=True)}):
     * INT64 flat positions {@code h * W + w} within each {@code [H, W]} plane, as PyTorch gives them.
     */
    public static ValuesIndices maxPool2dWithIndices(Tensor x, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        checkWindow("max_pool2d_with_indices", kernelSize, stride, padding, dilation);
        return Convolution.maxPool2dWithIndices("max_pool2d_with_indices", arg("max_pool2d_with_indices", "input", x),
                kernelSize, stride, padding, dilation);
    }

    /** {@code F.max_pool2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride, int padding) {
        return maxPool2d(x, new int[]{kernelSize, kernelSize}, new int[]{stride, stride}, new int[]{padding, padding}, new int[]{1, 1});
    }

    /** {@code F.max_pool2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor maxPool2d(Tensor x, int kernelSize) { return maxPool2d(x, kernelSize, kernelSize, 0); }

    /** {@code F.max_pool2d(x, kernelSize, stride)} with PyTorch's defaults for the arguments left out. */
    public static Tensor maxPool2d(Tensor x, int kernelSize, int stride) { return maxPool2d(x, kernelSize, stride, 0); }

    /** Average pooling; {@code countIncludePad} counts the zero padding in each window's mean. */
    public static Tensor avgPool2d(Tensor x, int[] kernelSize, int[] stride, int[] padding, boolean countIncludePad) {
        checkWindow("avg_pool2d", kernelSize, stride, padding, new int[]{1, 1});
        return Convolution.avgPool2d("avg_pool2d", arg("avg_pool2d", "input", x), kernelSize, stride, padding, countIncludePad);
    }

    /** A pooling window: two positive sizes, strides and dilations and two non-negative paddings, as PyTorch checks. */
    private static void checkWindow(String op, int[] kernelSize, int[] stride, int[] padding, int[] dilation) {
        int[][] all = {kernelSize, stride, padding, dilation};
        String[] names = {"kernel_size", "stride", "padding", "dilation"};
        for (int i = 0; i < all.length; i++) {
            if (all[i] == null || all[i].length != 2) {
                throw new IllegalArgumentException(op + ": " + names[i] + " needs 2 values, got "
                        + (all[i] == null ? "null" : Arrays.toString(all[i])));
            }
            for (int v : all[i]) {
                if (i == 2 ? v < 0 : v <= 0) {
                    throw new IllegalArgumentException(op + ": " + names[i] + " must be " + (i == 2 ? "non-negative" : "greater than zero")
                            + ", got " + Arrays.toString(all[i]));
                }
            }
        }
    }

    /** {@code F.avg_pool2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor avgPool2d(Tensor x, int kernelSize, int stride, int padding) {
        return avgPool2d(x, new int[]{kernelSize, kernelSize}, new int[]{stride, stride}, new int[]{padding, padding}, true);
    }

    /** {@code F.avg_pool2d} with PyTorch's defaults for the arguments left out. */
    public static Tensor avgPool2d(Tensor x, int kernelSize) { return avgPool2d(x, kernelSize, kernelSize, 0); }

    /** {@code F.avg_pool2d(x, kernelSize, stride)} with PyTorch's defaults for the arguments left out. */
    public static Tensor avgPool2d(Tensor x, int kernelSize, int stride) { return avgPool2d(x, kernelSize, stride, 0); }

    /** Average pooling to a fixed output size, whatever the input size. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) { return Convolution.adaptiveAvgPool2d("adaptive_avg_pool2d", arg("adaptive_avg_pool2d", "input", x), outH, outW); }

    /** Average pooling to a fixed output size, whatever the input size. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outputSize) { return adaptiveAvgPool2d(x, outputSize, outputSize); }

    // ------------------------------------------------------------------ normalisation, dropout, embedding

    /** Batch normalisation; in training mode updates the running statistics (when given) in place. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm("batch_norm", arg("batch_norm", "input", x), runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /** {@code F.batch_norm(x, runningMean, runningVar, weight, bias)}: evaluation mode, PyTorch's defaults for the arguments left out. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias) {
        return batchNorm(x, runningMean, runningVar, weight, bias, false, 0.1, 1e-5);
    }

    /** {@code F.batch_norm(x, runningMean, runningVar)}: evaluation mode, no affine, PyTorch's defaults for the arguments left out. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar) { return batchNorm(x, runningMean, runningVar, null, null); }

    /** Layer normalisation over the trailing {@code normalizedShape} dimensions; weight and bias may be null. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm("layer_norm", arg("layer_norm", "input", x), normalizedShape, weight, bias, eps);
    }

    /** {@code F.layer_norm(x, normalizedShape, weight, bias)} with PyTorch's defaults for the arguments left out. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias) { return layerNorm(x, normalizedShape, weight, bias, 1e-5); }

    /** {@code F.layer_norm(x, normalizedShape)}: no affine, PyTorch's defaults for the arguments left out. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape) { return layerNorm(x, normalizedShape, null, null); }

    /** Group normalisation of {@code [N, C, ...]} in {@code numGroups} groups; weight and bias may be null. */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm("group_norm", arg("group_norm", "input", x), numGroups, weight, bias, eps);
    }

    /** {@code F.group_norm(x, numGroups, weight, bias)} with PyTorch's defaults for the arguments left out. */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias) { return groupNorm(x, numGroups, weight, bias, 1e-5); }

    /** {@code F.group_norm(x, numGroups)}: no affine, PyTorch's defaults for the arguments left out. */
    public static Tensor groupNorm(Tensor x, int numGroups) { return groupNorm(x, numGroups, null, null); }

    /** Inverted dropout: zeroes with probability {@code p} and scales the rest by {@code 1/(1-p)}; identity when not training. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        checkP("dropout", p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0);
        Tensor mask;
        try (var off = Kindling.noGrad()) {
            mask = Tensor.emptyLike(x).bernoulli_(1 - p).div_(1 - p);
        }
        return x.mul(mask);
    }

    /** {@code F.dropout} with PyTorch's defaults for the arguments left out. */
    public static Tensor dropout(Tensor x, double p) { return dropout(x, p, true); }

    /** {@code F.dropout(x)} with PyTorch's defaults for the arguments left out. */
    public static Tensor dropout(Tensor x) { return dropout(x, 0.5, true); }

    /** Zeroes whole channels of {@code [N, C, H, W]} (or {@code [C, H, W]}) with probability {@code p}. */
    public static Tensor dropout2d(Tensor x, double p, boolean training) {
        checkP("dropout2d", p);
        if (x.dim() != 3 && x.dim() != 4) {
            throw new IllegalArgumentException("dropout2d: expected a 3-D or 4-D input, got shape " + Arrays.toString(x.shape()));
        }
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0);
        int[] ms = x.shape();
        for (int i = x.dim() - 2; i < x.dim(); i++) ms[i] = 1;
        Tensor mask;
        try (var off = Kindling.noGrad()) {
            mask = Tensor.zeros(ms, x.dtype()).bernoulli_(1 - p).div_(1 - p);
        }
        return x.mul(mask);
    }

    /** {@code F.dropout2d(x, p)} with PyTorch's defaults for the arguments left out. */
    public static Tensor dropout2d(Tensor x, double p) { return dropout2d(x, p, true); }

    /** {@code F.dropout2d(x)} with PyTorch's defaults for the arguments left out. */
    public static Tensor dropout2d(Tensor x) { return dropout2d(x, 0.5, true); }

    static void checkP(String op, double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, but got " + p);
    }

    /** Rows of {@code weight} picked by the INT64 {@code indices}; rows equal to {@code paddingIdx} get no gradient (-1: none). */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        if (arg("embedding", "indices", indices).dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("embedding: expected INT64 indices, got " + indices.dtype());
        }
        if (arg("embedding", "weight", weight).dim() != 2) {
            throw new IllegalArgumentException("embedding: expected a 2-D weight [num_embeddings, embedding_dim], got shape "
                    + Arrays.toString(weight.shape()));
        }
        int n = weight.size(0);
        if (paddingIdx >= n) {
            throw new IllegalArgumentException("embedding: padding_idx " + paddingIdx + " must be within num_embeddings " + n);
        }
        for (long v : indices.toLongArray()) {
            if (v < 0 || v >= n) throw new IllegalArgumentException("embedding: index " + v + " is out of range for " + n + " embeddings");
        }
        int[] os = Arrays.copyOf(indices.shape(), indices.dim() + 1);
        os[indices.dim()] = weight.size(1);
        Tensor out = weight.indexSelect(0, indices.flatten()).reshape(os);
        if (paddingIdx < 0) return out;
        // the padding row is returned but receives no gradient, as in PyTorch
        return Tensor.where(indices.eq(paddingIdx).unsqueeze(-1), weight.select(0, paddingIdx).detach(), out);
    }

    /** {@code F.embedding} with PyTorch's defaults for the arguments left out. */
    public static Tensor embedding(Tensor indices, Tensor weight) { return embedding(indices, weight, -1); }

    // ------------------------------------------------------------------ shape utilities

    /** Pads with (before, after) pairs starting from the last dimension: {@code F.pad(x, new int[]{1, 1, 2, 2}, CONSTANT, 0)}. */
    public static Tensor pad(Tensor x, int[] pad, PadMode mode, double value) { return Resize.pad(arg("pad", "input", x), pad, mode, value); }

    /** {@code F.pad} with PyTorch's defaults for the arguments left out. */
    public static Tensor pad(Tensor x, int... pad) { return pad(x, pad, PadMode.CONSTANT, 0); }

    /** {@code F.pad(x, pad, mode)} with PyTorch's defaults for the arguments left out. */
    public static Tensor pad(Tensor x, int[] pad, PadMode mode) { return pad(x, pad, mode, 0); }

    /** Resizes {@code [N, C, H, W]} (or {@code [N, C, W]}) to {@code size}. */
    public static Tensor interpolate(Tensor x, int[] size, InterpolateMode mode, boolean alignCorners) {
        return Resize.interpolate(arg("interpolate", "input", x), size, null, mode, alignCorners);
    }

    /** {@code F.interpolate} with PyTorch's defaults for the arguments left out. */
    public static Tensor interpolate(Tensor x, int[] size, InterpolateMode mode) { return interpolate(x, size, mode, false); }

    /** {@code F.interpolate(x, size)} with PyTorch's defaults for the arguments left out. (mode nearest) */
    public static Tensor interpolate(Tensor x, int[] size) { return interpolate(x, size, InterpolateMode.NEAREST); }

    /** Resizes by {@code scaleFactor} (output size = floor(input size * factor)). */
    public static Tensor interpolate(Tensor x, double scaleFactor, InterpolateMode mode, boolean alignCorners) {
        return Resize.interpolate(arg("interpolate", "input", x), null, new double[]{scaleFactor}, mode, alignCorners);
    }

    /** {@code F.interpolate} with PyTorch's defaults for the arguments left out. */
    public static Tensor interpolate(Tensor x, double scaleFactor, InterpolateMode mode) { return interpolate(x, scaleFactor, mode, false); }

    /** {@code F.interpolate(x, scale_factor=f)} with PyTorch's defaults for the arguments left out. (mode nearest) */
    public static Tensor interpolate(Tensor x, double scaleFactor) { return interpolate(x, scaleFactor, InterpolateMode.NEAREST); }

    /** One-hot encoding of INT64 class indices; {@code numClasses = -1} infers it from the largest index. */
    public static Tensor oneHot(Tensor indices, int numClasses) { return arg("one_hot", "input", indices).oneHot(numClasses); }

    /** {@code F.one_hot} with PyTorch's defaults for the arguments left out. */
    public static Tensor oneHot(Tensor indices) { return oneHot(indices, -1); }

    /** {@code x / max(||x||_p, eps)} along {@code dim}. */
    public static Tensor normalize(Tensor x, double p, int dim, double eps) {
        int n = Math.max(1, arg("normalize", "input", x).dim());
        if (dim < -n || dim >= n) {
            throw new IndexOutOfBoundsException("normalize: dimension out of range (expected to be in range of [" + -n + ", "
                    + (n - 1) + "], but got " + dim + ")");
        }
        Tensor norm = p == 2 ? x.square().sum(dim, true).sqrt() : x.abs().pow(p).sum(dim, true).pow(1 / p);
        return x.div(norm.clampMin(eps));
    }

    /** {@code F.normalize} with PyTorch's defaults for the arguments left out. */
    public static Tensor normalize(Tensor x) { return normalize(x, 2, 1, 1e-12); }

    /** {@code F.normalize(x, p)} with PyTorch's defaults for the arguments left out. */
    public static Tensor normalize(Tensor x, double p) { return normalize(x, p, 1, 1e-12); }

    /** {@code F.normalize(x, p, dim)} with PyTorch's defaults for the arguments left out. */
    public static Tensor normalize(Tensor x, double p, int dim) { return normalize(x, p, dim, 1e-12); }

    // ------------------------------------------------------------------ losses

    /** {@code F.mse_loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mse(arg("mse_loss", "input", input), arg("mse_loss", "target", target), reduction);
    }

    /** {@code F.mse_loss} with a mean reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target) { return mseLoss(input, target, Reduction.MEAN); }

    /** {@code F.l1_loss}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1(arg("l1_loss", "input", input), arg("l1_loss", "target", target), reduction);
    }

    /** {@code F.l1_loss} with a mean reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target) { return l1Loss(input, target, Reduction.MEAN); }

    /** {@code F.smooth_l1_loss}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Losses.smoothL1(arg("smooth_l1_loss", "input", input), arg("smooth_l1_loss", "target", target), reduction, beta);
    }

    /** {@code F.smooth_l1_loss} with a mean reduction. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) { return smoothL1Loss(input, target, Reduction.MEAN, 1.0); }

    /** {@code F.smooth_l1_loss(input, target, reduction=...)} with beta 1. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction) { return smoothL1Loss(input, target, reduction, 1.0); }

    /** Binary cross entropy on probabilities; {@code weight} may be null. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.bce(arg("binary_cross_entropy", "input", input), arg("binary_cross_entropy", "target", target), weight, reduction);
    }

    /** {@code F.binary_cross_entropy} with a mean reduction. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) { return binaryCrossEntropy(input, target, null, Reduction.MEAN); }

    /** {@code F.binary_cross_entropy(input, target, weight)} with a mean reduction. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight) { return binaryCrossEntropy(input, target, weight, Reduction.MEAN); }

    /** {@code F.binary_cross_entropy(input, target, reduction=...)}, unweighted. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Reduction reduction) { return binaryCrossEntropy(input, target, null, reduction); }

    /** Binary cross entropy on logits (sigmoid folded in, stable); {@code weight} and {@code posWeight} may be null. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        return Losses.bceWithLogits(arg("binary_cross_entropy_with_logits", "input", input),
                arg("binary_cross_entropy_with_logits", "target", target), weight, posWeight, reduction);
    }

    /** {@code F.binary_cross_entropy_with_logits} with a mean reduction. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /** {@code F.binary_cross_entropy_with_logits(input, target, weight)} with a mean reduction. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight) {
        return binaryCrossEntropyWithLogits(input, target, weight, null, Reduction.MEAN);
    }

    /** {@code F.binary_cross_entropy_with_logits(input, target, reduction=...)}, unweighted. */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Reduction reduction) {
        return binaryCrossEntropyWithLogits(input, target, null, null, reduction);
    }

    /** Negative log likelihood of log-probabilities {@code [N, C, ...]} and INT64 class targets {@code [N, ...]}. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return Losses.nll(arg("nll_loss", "input", input), arg("nll_loss", "target", target), weight, ignoreIndex, reduction);
    }

    /** {@code F.nll_loss} with a mean reduction. */
    public static Tensor nllLoss(Tensor input, Tensor target) { return nllLoss(input, target, null, -100, Reduction.MEAN); }

    /** {@code F.nll_loss(input, target, weight)} with a mean reduction. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight) { return nllLoss(input, target, weight, -100, Reduction.MEAN); }

    /** {@code F.nll_loss(input, target, reduction=...)}, unweighted. */
    public static Tensor nllLoss(Tensor input, Tensor target, Reduction reduction) { return nllLoss(input, target, null, -100, reduction); }

    /**
     * Cross entropy of logits with class indices (INT64) or class probabilities (float, the input's shape).
     * <pre>{@code Tensor loss = F.crossEntropy(logits, labels);}</pre>
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction, double labelSmoothing) {
        return Losses.crossEntropy(arg("cross_entropy", "input", input), arg("cross_entropy", "target", target), weight, ignoreIndex,
                reduction, labelSmoothing);
    }

    /** {@code F.cross_entropy} with a mean reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target) { return crossEntropy(input, target, null, -100, Reduction.MEAN, 0); }

    /** {@code F.cross_entropy(input, target, weight)} with a mean reduction. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight) { return crossEntropy(input, target, weight, -100, Reduction.MEAN, 0); }

    /** {@code F.cross_entropy(input, target, reduction=...)}, unweighted. */
    public static Tensor crossEntropy(Tensor input, Tensor target, Reduction reduction) { return crossEntropy(input, target, null, -100, reduction, 0); }

    /** KL divergence with {@code input} as log-probabilities; {@code logTarget} says the target is too. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(arg("kl_div", "input", input), arg("kl_div", "target", target), reduction, logTarget);
    }

    /** {@code F.kl_div} with a mean reduction. */
    public static Tensor klDiv(Tensor input, Tensor target) { return klDiv(input, target, Reduction.MEAN, false); }

    /** {@code F.kl_div(input, target, reduction=...)} with a probability target. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction) { return klDiv(input, target, reduction, false); }
}
