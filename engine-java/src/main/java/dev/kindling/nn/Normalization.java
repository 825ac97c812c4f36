package dev.kindling.nn;

import dev.kindling.Autocast;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.BatchNormOps;
import dev.kindling.LayerNormOps;
import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Batch, layer and group normalisation: batch and layer norm as one op each where the backend has kernels for them
 * ({@link BatchNormOps}, {@link LayerNormOps}), otherwise composed from mean/var so that autograd derives their backward.
 */
final class Normalization {
    private Normalization() {}

    private static int[] shapeFor(Tensor x, Tensor perChannel) {
        int[] s = new int[x.dim()];
        Arrays.fill(s, 1);
        s[1] = perChannel.size(0);
        return s;
    }

    static Tensor batchNorm(String op, Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                            boolean training, double momentum, double eps) {
        if (x.dtype().isHalf()) return inFloat32(x, xf -> batchNorm(op, xf, runningMean, runningVar, weight, bias, training, momentum, eps));
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": expected an input with at least 2 dimensions [N, C, ...], got shape " + Arrays.toString(x.shape()));
        int c = x.size(1);
        for (Tensor t : new Tensor[]{runningMean, runningVar, weight, bias}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException(op + ": expected per-channel tensors of shape [" + c + "] for input of shape "
                        + Arrays.toString(x.shape()) + ", got " + Arrays.toString(t.shape()));
            }
        }
        int[] dims = new int[x.dim() - 1];
        dims[0] = 0;
        for (int i = 2; i < x.dim(); i++) dims[i - 1] = i;
        int[] bs = new int[x.dim()];
        Arrays.fill(bs, 1);
        bs[1] = c;
        Tensor y;
        if (training || runningMean == null) {
            long n = x.numel() / Math.max(1, c);
            if (n <= 1) {
                throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape "
                        + Arrays.toString(x.shape()));
            }
        }
        // one op on the backend's kernels where it has them (oneDNN, float32); the composite below otherwise
        if (BatchNormOps.supports(x, runningMean, runningVar, weight, bias)) {
            return BatchNormOps.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps);
        }
        if (training || runningMean == null) {
            long n = x.numel() / Math.max(1, c);
            Tensor mean = x.mean(dims, true);
            Tensor var = x.var(dims, false, true);
            y = x.sub(mean).mul(var.add(eps).rsqrt());
            if (training && runningMean != null) {
                try (var off = Kindling.noGrad()) {
                    // running variance is the unbiased estimate, as in PyTorch
                    runningMean.mul_(1 - momentum).add_(mean.reshape(c).to(runningMean.dtype()).mul(momentum));
                    runningVar.mul_(1 - momentum).add_(var.reshape(c).to(runningVar.dtype()).mul(momentum * n / (n - 1.0)));
                }
            }
        } else {
            y = x.sub(runningMean.reshape(bs)).mul(runningVar.reshape(bs).add(eps).rsqrt());
        }
        if (weight != null) y = y.mul(weight.reshape(bs));
        if (bias != null) y = y.add(bias.reshape(bs));
        return y;
    }

    static Tensor layerNorm(String op, Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        if (Autocast.on()) return Autocast.call("layer_norm", c -> layerNorm(op, c[0], normalizedShape, c[1], c[2], eps), x, weight, bias);
        if (x.dtype().isHalf()) return inFloat32(x, xf -> layerNorm(op, xf, normalizedShape, weight, bias, eps));
        int k = normalizedShape.length, d = x.dim();
        if (k == 0 || d < k || !Arrays.equals(Arrays.copyOfRange(x.shape(), d - k, d), normalizedShape)) {
            throw new IllegalArgumentException(op + ": expected input with trailing shape " + Arrays.toString(normalizedShape)
                    + ", got shape " + Arrays.toString(x.shape()));
        }
        // one op on the backend's kernels where it has them (float32 and float64 on the CPU); the composite below otherwise
        if (LayerNormOps.supports(x, normalizedShape, weight, bias)) return LayerNormOps.layerNorm(x, normalizedShape, weight, bias, eps);
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) dims[i] = d - k + i;
        Tensor mean = x.mean(dims, true);
        Tensor var = x.var(dims, false, true);
        Tensor y = x.sub(mean).mul(var.add(eps).rsqrt());
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    static Tensor groupNorm(String op, Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (Autocast.on()) return Autocast.call("group_norm", c -> groupNorm(op, c[0], groups, c[1], c[2], eps), x, weight, bias);
        if (x.dtype().isHalf()) return inFloat32(x, xf -> groupNorm(op, xf, groups, weight, bias, eps));
        if (x.dim() < 2 || x.size(1) % groups != 0) {
            throw new IllegalArgumentException(op + ": expected input [N, C, ...] with C divisible by " + groups
                    + " groups, got shape " + Arrays.toString(x.shape()));
        }
        int[] s = x.shape();
        Tensor g = x.reshape(s[0], groups, -1);
        Tensor mean = g.mean(2, true);
        Tensor var = g.var(new int[]{2}, false, true);
        Tensor y = g.sub(mean).mul(var.add(eps).rsqrt()).reshape(s);
        if (weight != null) y = y.mul(weight.reshape(shapeFor(x, weight)));
        if (bias != null) y = y.add(bias.reshape(shapeFor(x, bias)));
        return y;
    }

    /**
     * A FLOAT16 or BFLOAT16 input is normalised in float32 and the result rounded once to its dtype, as PyTorch's
     * kernels do; the weights and running statistics may be float32 (a bfloat16 activation under autocast meets a
     * float32 BatchNorm) or 16-bit (a model converted with {@code half()}).
     */
    private static Tensor inFloat32(Tensor x, java.util.function.UnaryOperator<Tensor> norm) {
        return norm.apply(x.to(DType.FLOAT32)).to(x.dtype());
    }
}
