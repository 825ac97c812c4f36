package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Autocast;
import dev.kindling.BceOps;
import dev.kindling.BceWithLogitsOps;
import dev.kindling.Kindling;
import dev.kindling.NllOps;
import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * The loss formulas behind {@link F} and the loss modules, composed from differentiable tensor ops; nll_loss (and so
 * cross_entropy) on small CPU batches is one op, {@link NllOps}.
 */
final class Losses {
    private Losses() {}

    private static String str(int[] s) { return Arrays.toString(s); }

    static Tensor reduce(String op, Tensor loss, Reduction r) {
        return switch (r) {
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            case NONE -> loss;
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only for kl_div");
        };
    }

    static void sameShape(String op, Tensor input, Tensor target) {
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException(op + ": target shape " + str(target.shape()) + " must match input shape "
                    + str(input.shape()) + " (reshape one of them; broadcasting here is almost always a bug)");
        }
        if (!input.dtype().isFloatingPoint() || !target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected floating point input and target, got " + input.dtype() + " and " + target.dtype());
        }
    }

    static Tensor mse(Tensor x, Tensor t, Reduction r) {
        if (Autocast.on()) return Autocast.call("mse_loss", c -> mse(c[0], c[1], r), x, t);
        sameShape("mse_loss", x, t);
        return Temporaries.freed(() -> reduce("mse_loss", x.sub(t).square(), r), x, t);
    }

    static Tensor l1(Tensor x, Tensor t, Reduction r) {
        if (Autocast.on()) return Autocast.call("l1_loss", c -> l1(c[0], c[1], r), x, t);
        sameShape("l1_loss", x, t);
        return reduce("l1_loss", x.sub(t).abs(), r);
    }

    static Tensor smoothL1(Tensor x, Tensor t, Reduction r, double beta) {
        if (Autocast.on()) return Autocast.call("smooth_l1_loss", c -> smoothL1(c[0], c[1], r, beta), x, t);
        sameShape("smooth_l1_loss", x, t);
        if (beta < 0) throw new IllegalArgumentException("smooth_l1_loss: beta must be non-negative, got " + beta);
        Tensor d = x.sub(t).abs();
        if (beta == 0) return reduce("smooth_l1_loss", d, r);
        return reduce("smooth_l1_loss", Tensor.where(d.lt(beta), d.square().mul(0.5 / beta), d.sub(0.5 * beta)), r);
    }

    static Tensor bce(Tensor x, Tensor t, Tensor weight, Reduction r) {
        if (Autocast.on()) return Autocast.call("binary_cross_entropy", c -> bce(c[0], c[1], c[2], r), x, t, weight);
        sameShape("binary_cross_entropy", x, t);
        if (BceOps.supports(x, t)) {
            // one node with the plain formula's bits where every element is inside (0, 1); else the ops below
            Tensor loss = BceOps.interiorLoss(x, t);
            if (loss != null) return reduce("binary_cross_entropy", weight != null ? loss.mul(weight) : loss, r);
        }
        try (var off = Kindling.noGrad()) {
            if (x.numel() > 0 && (x.lt(0).any().item() != 0 || x.gt(1).any().item() != 0)) throw BceOps.outOfRange();
        }
        // Inside (0, 1) the plain formula (its gradient is PyTorch's (x - t) / (x (1 - x)), and it has a second
        // derivative). Where x (1 - x) < 1e-12 PyTorch clamps: the logs at -100 for the value and the denominator at
        // 1e-12 for the gradient; there the loss is that value with that gradient attached (first order only).
        Tensor interior = x.mul(x.rsub(1)).ge(1e-12);
        boolean everyInterior;
        try (var off = Kindling.noGrad()) {
            everyInterior = interior.all().item() != 0;
        }
        Tensor xs = everyInterior ? x : Tensor.where(interior, x, 0.5);
        Tensor plain = t.mul(xs.log()).add(t.rsub(1).mul(xs.rsub(1).log())).neg();
        if (everyInterior) {
            // the usual case: the boundary branch would be selected nowhere, so the loss is the plain formula on x
            // itself, with its value and gradient (up to the sign of a zero gradient, which the unused branch's
            // 0 * slope could flip), in a third of the ops (a [64, 1] batch: 98 -> 51 us, PyTorch 15)
            return reduce("binary_cross_entropy", weight != null ? plain.mul(weight) : plain, r);
        }
        Tensor value, slope, xd;
        try (var off = Kindling.noGrad()) {
            xd = x.detach();
            Tensor td = t.detach();
            value = td.mul(xd.log().clampMin(-100)).add(td.rsub(1).mul(xd.rsub(1).log().clampMin(-100))).neg();
            // PyTorch's EPSILON is the float 1e-12f (constexpr float in Loss.cpp), in float64 too
            slope = xd.sub(td).div(xd.mul(xd.rsub(1)).clampMin(1e-12f));
        }
        // exactly value (x - xd is exactly 0 and slope is finite), with d/dx = slope; not value - x slope + x slope,
        // which loses value to rounding: in float32 (100 - 1e12) + 1e12 is 0
        Tensor boundary = value.add(x.sub(xd).mul(slope));
        Tensor loss = Tensor.where(interior, plain, boundary);
        if (weight != null) loss = loss.mul(weight);
        return reduce("binary_cross_entropy", loss, r);
    }

    static Tensor bceWithLogits(Tensor x, Tensor t, Tensor weight, Tensor posWeight, Reduction r) {
        if (Autocast.on()) return Autocast.call("binary_cross_entropy_with_logits", c -> bceWithLogits(c[0], c[1], c[2], c[3], r), x, t, weight, posWeight);
        sameShape("binary_cross_entropy_with_logits", x, t);
        if (BceWithLogitsOps.supports(x, t, weight, posWeight)) return reduce("binary_cross_entropy_with_logits", BceWithLogitsOps.loss(x, t, weight, posWeight), r);
        // softplus(-x) = log(1 + exp(-x)), split at 0 so that no branch overflows and the gradient at 0 is the true
        // -1/2 (an abs/relu split would give a kink there); clamping each branch's input keeps unused branches finite
        Tensor pos = x.clampMin(0), neg = x.clampMax(0);
        Tensor softplusNeg = Tensor.where(x.ge(0), pos.neg().exp().log1p(), neg.exp().log1p().sub(neg));
        Tensor loss;
        if (posWeight != null) {
            Tensor logWeight = posWeight.sub(1).mul(t).add(1);
            loss = t.rsub(1).mul(x).add(logWeight.mul(softplusNeg));
        } else {
            loss = t.rsub(1).mul(x).add(softplusNeg);
        }
        if (weight != null) loss = loss.mul(weight);
        return reduce("binary_cross_entropy_with_logits", loss, r);
    }

    /** Checks class targets and returns them with ignored entries replaced by 0 (safe to gather). */
    private static Tensor checkTargets(String op, Tensor input, Tensor target, int ignoreIndex) {
        checkTargetShape(op, input, target);
        checkValues(op, input, target, ignoreIndex);
        Tensor t = target.to(DType.INT64);
        return Tensor.where(t.eq(ignoreIndex), 0.0, t).to(DType.INT64);
    }

    /** Class-index targets of the input's shape without its class dimension. */
    private static void checkTargetShape(String op, Tensor input, Tensor target) {
        int[] is = input.shape(), ts = target.shape();
        if (target.dtype() != DType.INT64 && target.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": expected class index targets of dtype INT64, got " + target.dtype()
                    + " (use .to(DType.INT64), or pass class probabilities of the input's shape)");
        }
        boolean ok = input.dim() >= 1 && (input.dim() == 1 ? ts.length == 0
                : ts.length == is.length - 1 && ts[0] == is[0] && Arrays.equals(Arrays.copyOfRange(ts, 1, ts.length), Arrays.copyOfRange(is, 2, is.length)));
        if (!ok) {
            throw new IllegalArgumentException(op + ": input of shape " + str(is) + " needs a target of shape "
                    + (input.dim() <= 1 ? "[]" : str(removeDim1(is))) + ", got " + str(ts));
        }
    }

    /** Each of the target's class indices must be a class of the input or the ignored index. */
    private static void checkValues(String op, Tensor input, Tensor target, int ignoreIndex) {
        int c = input.dim() == 1 ? input.size(0) : input.size(1);
        for (long v : target.toLongArray()) NllOps.checkTarget(op, v, ignoreIndex, c);
    }

    private static int[] removeDim1(int[] s) {
        int[] o = new int[s.length - 1];
        o[0] = s[0];
        System.arraycopy(s, 2, o, 1, s.length - 2);
        return o;
    }

    static Tensor nll(Tensor logp, Tensor target, Tensor weight, int ignoreIndex, Reduction r) {
        if (Autocast.on()) return Autocast.call("nll_loss", c -> nll(c[0], c[1], c[2], ignoreIndex, r), logp, target, weight);
        String op = "nll_loss";
        if (weight == null && NllOps.supports(logp, target)) {
            checkTargetShape(op, logp, target);
            // NllOps checks each value as it picks
            return NllOps.nllLoss(logp, target.toLongArray(), ignoreIndex, switch (r) {
                case MEAN -> NllOps.Mode.MEAN;
                case SUM -> NllOps.Mode.SUM;
                case NONE -> NllOps.Mode.NONE;
                case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only for kl_div");
            });
        }
        Tensor safe = checkTargets(op, logp, target, ignoreIndex);
        boolean single = logp.dim() == 1;
        Tensor x = single ? logp.unsqueeze(0) : logp;
        Tensor t = single ? safe.unsqueeze(0) : safe;
        int c = x.size(1);
        checkWeight(op, weight, c);
        Tensor picked = x.gather(1, t.unsqueeze(1)).squeeze(1);
        Tensor keep = (single ? target.unsqueeze(0) : target).ne(ignoreIndex).to(x.dtype());
        Tensor w = weight == null ? keep : weight.to(x.dtype()).indexSelect(0, t.flatten()).reshape(t.shape()).mul(keep);
        Tensor loss = picked.mul(w).neg();
        Tensor out = switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.sum().div(w.sum());
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only for kl_div");
        };
        return single && r == Reduction.NONE ? out.squeeze(0) : out;
    }

    private static void checkWeight(String op, Tensor weight, int c) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != c)) {
            throw new IllegalArgumentException(op + ": weight should be a 1-D tensor of " + c + " class weights, got shape " + str(weight.shape()));
        }
    }

    static Tensor crossEntropy(Tensor x, Tensor target, Tensor weight, int ignoreIndex, Reduction r, double smoothing) {
        if (Autocast.on()) return Autocast.call("cross_entropy", c -> crossEntropy(c[0], c[1], c[2], ignoreIndex, r, smoothing), x, target, weight);
        String op = "cross_entropy";
        if (smoothing < 0 || smoothing > 1) throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + smoothing);
        if (x.dim() < 1) throw new IllegalArgumentException(op + ": expected an input with a class dimension, got a scalar");
        int cdim = x.dim() == 1 ? 0 : 1;
        int c = x.size(cdim);
        checkWeight(op, weight, c);
        Tensor logp = x.logSoftmax(cdim);
        if (target.dtype().isFloatingPoint()) return crossEntropyProbs(logp, target, weight, r, smoothing, cdim, c);
        Tensor nllLoss = nll(logp, target, weight, ignoreIndex, r);
        if (smoothing == 0) return nllLoss;
        Tensor smooth = weight == null ? logp.sum(cdim).neg() : logp.mul(broadcastWeight(weight, x.dim(), cdim)).sum(cdim).neg();
        Tensor ignore = target.eq(ignoreIndex);
        smooth = smooth.maskedFill(ignore, 0.0);
        Tensor red = switch (r) {
            case NONE -> smooth;
            case SUM -> smooth.sum();
            case MEAN -> {
                Tensor keep = ignore.logicalNot().to(x.dtype());
                Tensor denom = weight == null ? keep.sum()
                        : weight.to(x.dtype()).indexSelect(0, Tensor.where(ignore, 0.0, target.to(DType.INT64)).to(DType.INT64).flatten()).mul(keep.flatten()).sum();
                yield smooth.sum().div(denom);
            }
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only for kl_div");
        };
        return nllLoss.mul(1 - smoothing).add(red.mul(smoothing / c));
    }

    private static Tensor broadcastWeight(Tensor weight, int dims, int cdim) {
        int[] s = new int[dims];
        Arrays.fill(s, 1);
        s[cdim] = weight.size(0);
        return weight.reshape(s);
    }

    private static Tensor crossEntropyProbs(Tensor logp, Tensor t, Tensor weight, Reduction r, double smoothing, int cdim, int c) {
        String op = "cross_entropy";
        if (!Arrays.equals(logp.shape(), t.shape())) {
            throw new IllegalArgumentException(op + ": class-probability target must have the input's shape " + str(logp.shape())
                    + ", got " + str(t.shape()));
        }
        Tensor p = smoothing > 0 ? t.mul(1 - smoothing).add(smoothing / c) : t;
        Tensor prod = logp.mul(p);
        if (weight != null) prod = prod.mul(broadcastWeight(weight.to(logp.dtype()), logp.dim(), cdim));
        Tensor loss = prod.sum(cdim).neg();
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> logp.dim() == 1 ? loss : loss.sum().div(logp.numel() / c);
            case BATCHMEAN -> throw new IllegalArgumentException(op + ": reduction BATCHMEAN is only for kl_div");
        };
    }

    static Tensor klDiv(Tensor input, Tensor target, Reduction r, boolean logTarget) {
        if (Autocast.on()) return Autocast.call("kl_div", c -> klDiv(c[0], c[1], r, logTarget), input, target);
        sameShape("kl_div", input, target);
        Tensor loss;
        if (logTarget) {
            loss = target.exp().mul(target.sub(input));
        } else {
            // xlogy(t, t): 0 where t == 0
            Tensor safe = Tensor.where(target.gt(0), target, 1.0);
            loss = target.mul(safe.log()).sub(target.mul(input));
        }
        return switch (r) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
            case BATCHMEAN -> loss.sum().div(input.dim() == 0 ? 1 : input.size(0));
        };
    }
}
