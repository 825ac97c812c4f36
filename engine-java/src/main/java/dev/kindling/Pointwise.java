package dev.kindling;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Elementwise ops: type promotion, broadcasting, the kernel call, and each op's gradient beside it.
 */
final class Pointwise {
    private Pointwise() {}

    private static final String[] BINARY_NAMES = new String[BinaryOp.values().length];
    private static final String[] UNARY_NAMES = new String[UnaryOp.values().length];
    private static final String[] UNARY_NODES = new String[UnaryOp.values().length];

    static {
        for (BinaryOp op : BinaryOp.values()) BINARY_NAMES[op.ordinal()] = computeName(op);
        for (UnaryOp op : UnaryOp.values()) {
            String n = op.name().toLowerCase(Locale.ROOT);
            UNARY_NAMES[op.ordinal()] = n;
            UNARY_NODES[op.ordinal()] = switch (op) {
                case RELU -> "ReluBackward0";
                case LOG1P -> "Log1PBackward0";
                case EXPM1 -> "Expm1Backward0";
                default -> Character.toUpperCase(n.charAt(0)) + n.substring(1) + "Backward0";
            };
        }
    }

    /** PyTorch's name of the op, for messages and node names (computed once: ops run millions of times). */
    static String name(BinaryOp op) { return BINARY_NAMES[op.ordinal()]; }

    private static String computeName(BinaryOp op) {
        return switch (op) {
            case MAXIMUM -> "maximum";
            case MINIMUM -> "minimum";
            case FLOOR_DIVIDE -> "floor_divide";
            case LOGICAL_AND -> "logical_and";
            case LOGICAL_OR -> "logical_or";
            case LOGICAL_XOR -> "logical_xor";
            case THRESHOLD_BACKWARD -> "threshold_backward";
            case SIGMOID_BACKWARD -> "sigmoid_backward";
            case TANH_BACKWARD -> "tanh_backward";
            default -> op.name().toLowerCase(Locale.ROOT);
        };
    }

    static String name(UnaryOp op) { return UNARY_NAMES[op.ordinal()]; }

    static void checkDevice(String op, Tensor a, Tensor b) {
        Args.notNull(op, "tensor argument", a);
        Args.notNull(op, "tensor argument", b);
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": expected all tensors to be on the same device, but found at"
                    + " least two devices, " + a.device() + " and " + b.device());
        }
    }

    private static int category(DType t) { return t == DType.BOOL ? 0 : t.isIntegral() ? 1 : 2; }

    /** PyTorch's result_type: 0-d tensors only lift the category of dimensioned operands. */
    static DType resultType(Tensor a, Tensor b) {
        boolean az = a.dim() == 0, bz = b.dim() == 0;
        if (az == bz) return DType.promote(a.dtype(), b.dtype());
        Tensor dimmed = az ? b : a, zero = az ? a : b;
        return category(zero.dtype()) > category(dimmed.dtype()) ? zero.dtype() : dimmed.dtype();
    }

    /**
     * A 0-d tensor for a Java number combined with {@code t}. Java cannot tell {@code 2} from {@code 2.0}
     * once widened to double, so a whole number keeps an integer tensor integral (as PyTorch does for
     * {@code x * 2}) and a fraction makes it floating ({@code x * 0.5}).
     */
    static Tensor scalarFor(Tensor t, double v) {
        DType dt;
        if (t.dtype().isFloatingPoint()) dt = t.dtype();
        else if (v == Math.rint(v) && !Double.isInfinite(v)) dt = t.dtype() == DType.BOOL ? DType.INT64 : t.dtype();
        else dt = Kindling.defaultDType();
        return Factory.full(new int[0], v, dt, t.device());
    }

    private static View broadcastView(Tensor t, int[] shape) {
        return t.view().with(shape, Broadcast.strides(t, shape), t.offset());
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        if (op == BinaryOp.POW && Autocast.on()) return Autocast.call("pow", c -> binary(op, c[0], c[1]), a, b);
        String name = name(op);
        checkDevice(name, a, b);
        int[] shape = Broadcast.shape(name, a.shapeInternal(), b.shapeInternal());
        DType ct = resultType(a, b);
        if (ct.isIntegral() && (op == BinaryOp.DIV || op == BinaryOp.ATAN2)) ct = Kindling.defaultDType();
        if (ct == DType.BOOL && (op == BinaryOp.SUB)) {
            throw new IllegalArgumentException("sub: subtraction, the `-` operator, with two bool tensors is not supported;"
                    + " use logicalXor() instead");
        }
        if (ct == DType.BOOL && !op.producesBool() && op != BinaryOp.MAXIMUM && op != BinaryOp.MINIMUM
                && op != BinaryOp.MUL && op != BinaryOp.ADD) {
            ct = DType.INT64;
        }
        Tensor ac = a.dtype() == ct ? a : a.to(ct);
        Tensor bc = b.dtype() == ct ? b : b.to(ct);
        Tensor out = Tensor.empty(name, op.producesBool() ? DType.BOOL : ct, a.device(), shape);
        out.backend().binary(op, broadcastView(ac, shape), broadcastView(bc, shape), out.view());
        Reference.reachabilityFence(ac);
        Reference.reachabilityFence(bc);
        if (op.producesBool() || op == BinaryOp.FLOOR_DIVIDE) return out;
        return switch (op) {
            case ADD -> Autograd.record("AddBackward0", out, new Tensor[]{ac, bc}, (g, n) -> new Tensor[]{g, g});
            case SUB -> Autograd.record("SubBackward0", out, new Tensor[]{ac, bc},
                    (g, n) -> new Tensor[]{g, n[1] ? g.neg() : null});
            case MUL -> Autograd.record("MulBackward0", out, new Tensor[]{ac, bc},
                    (g, n) -> new Tensor[]{n[0] ? g.mul(bc) : null, n[1] ? g.mul(ac) : null}, ac, bc);
            case DIV -> Autograd.record("DivBackward0", out, new Tensor[]{ac, bc},
                    (g, n) -> new Tensor[]{n[0] ? g.div(bc) : null, n[1] ? g.neg().mul(ac).div(bc.mul(bc)) : null}, ac, bc);
            case POW -> Autograd.record("PowBackward1", out, new Tensor[]{ac, bc}, (g, n) -> new Tensor[]{
                    // 0 where the exponent is 0, as PyTorch, rather than 0 * 0^-1 = NaN at a == 0
                    n[0] ? Tensor.where(bc.eq(0), 0.0, g.mul(bc).mul(ac.pow(bc.sub(1)))) : null,
                    // d/db a^b = a^b log a, defined as 0 where a == 0 and b >= 0 (PyTorch's convention)
                    n[1] ? Tensor.where(ac.eq(0).logicalAnd(bc.ge(0)), 0.0, g.mul(ac.pow(bc)).mul(ac.log())) : null}, ac, bc);
            case MAXIMUM, MINIMUM -> {
                boolean max = op == BinaryOp.MAXIMUM;
                yield Autograd.record(max ? "MaximumBackward0" : "MinimumBackward0", out, new Tensor[]{ac, bc}, (g, n) -> {
                    // ties share the gradient equally, as in PyTorch
                    Tensor win = (max ? ac.gt(bc) : ac.lt(bc)).to(g.dtype()).add(ac.eq(bc).to(g.dtype()).mul(0.5));
                    return new Tensor[]{n[0] ? g.mul(win) : null, n[1] ? g.mul(win.rsub(1)) : null};
                }, ac, bc);
            }
            case ATAN2 -> Autograd.record("Atan2Backward0", out, new Tensor[]{ac, bc}, (g, n) -> {
                Tensor denom = ac.square().add(bc.square());
                return new Tensor[]{n[0] ? g.mul(bc).div(denom) : null, n[1] ? g.neg().mul(ac).div(denom) : null};
            }, ac, bc);
            case REMAINDER -> Autograd.record("RemainderBackward0", out, new Tensor[]{ac, bc},
                    (g, n) -> new Tensor[]{g, n[1] ? g.neg().mul(ac.div(bc).floor()) : null}, ac, bc);
            case FMOD -> Autograd.record("FmodBackward0", out, new Tensor[]{ac, bc},
                    (g, n) -> new Tensor[]{g, n[1] ? g.neg().mul(ac.div(bc).trunc()) : null}, ac, bc);
            default -> out;
        };
    }

    static Tensor powScalar(Tensor x, double p) {
        if (Autocast.on()) return Autocast.call("pow", c -> powScalar(c[0], p), x);
        if (x.dtype().isIntegral() && p != Math.rint(p)) x = x.to(Kindling.defaultDType());
        if (x.dtype().isIntegral() && p < 0) {
            throw new IllegalArgumentException("pow: integers to negative integer powers are not allowed (exponent " + p + ")");
        }
        Tensor base = x;
        Tensor out;
        if (p == 2) {
            out = Tensor.empty(base.dtype(), base.device(), base.shapeInternal());
            out.backend().unary(UnaryOp.SQUARE, base.view(), out.view());
            Reference.reachabilityFence(base);
        } else if (base.dtype() == DType.FLOAT32 && (p == 3 || p == 0.5 || p == -0.5 || p == -1 || p == -2)) {
            // PyTorch's float pow for these exponents (pow_tensor_scalar_optimized_kernel): products, sqrt and
            // reciprocals, where Math.pow per element took 20 ns (pow(x, 3) over 1M floats: 20 ms, PyTorch 0.2)
            out = Tensor.empty(base.dtype(), base.device(), base.shapeInternal());
            View b = base.view(), o = out.view();
            var be = out.backend();
            if (p == 3) {
                be.unary(UnaryOp.SQUARE, b, o);
                be.binary(BinaryOp.MUL, o, b, o);
            } else if (p == 0.5) {
                be.unary(UnaryOp.SQRT, b, o);
            } else if (p == -0.5) {
                be.unary(UnaryOp.RSQRT, b, o);
            } else if (p == -1) {
                be.unary(UnaryOp.RECIPROCAL, b, o);
            } else {
                be.unary(UnaryOp.SQUARE, b, o);
                be.unary(UnaryOp.RECIPROCAL, o, o);
            }
            Reference.reachabilityFence(base);
        } else {
            Tensor e = scalarFor(base, p);
            out = Tensor.empty(base.dtype(), base.device(), base.shapeInternal());
            out.backend().binary(BinaryOp.POW, base.view(), broadcastView(e, base.shapeInternal()), out.view());
            Reference.reachabilityFence(base);
            Reference.reachabilityFence(e);
        }
        if (p == 0) return Autograd.record("PowBackward0", out, base, (g, n) -> new Tensor[]{g.mul(0)});
        return Autograd.record("PowBackward0", out, base,
                (g, n) -> new Tensor[]{p == 2 ? g.mul(base).mul(2) : g.mul(base.pow(p - 1)).mul(p)}, base);
    }

    private static boolean keepsIntegral(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, RELU, SIGN, SQUARE, FLOOR, CEIL, ROUND, TRUNC -> true;
            default -> false;
        };
    }

    private static boolean producesBool(UnaryOp op) {
        return op == UnaryOp.LOGICAL_NOT || op == UnaryOp.ISNAN || op == UnaryOp.ISINF || op == UnaryOp.ISFINITE;
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        if (Autocast.on()) return Autocast.call(name(op), c -> unary(op, c[0]), x);
        if (op == UnaryOp.NEG && x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("neg: negation, the `-` operator, on a bool tensor is not supported;"
                    + " use logicalNot() instead");
        }
        Tensor in = x;
        if (in.dtype().isIntegral() && !keepsIntegral(op) && !producesBool(op)) in = in.to(Kindling.defaultDType());
        DType outType = producesBool(op) ? DType.BOOL : in.dtype();
        Tensor out = Tensor.empty(name(op), outType, in.device(), in.shapeInternal());
        out.backend().unary(op, in.view(), out.view());
        Reference.reachabilityFence(in);
        return recordUnary(op, in, out);
    }

    private static Tensor recordUnary(UnaryOp op, Tensor x, Tensor out) {
        String n = UNARY_NODES[op.ordinal()];
        return switch (op) {
            case NEG -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.neg()});
            case ABS -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(x.sign())}, x);
            case EXP -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(out)}, out);
            case EXPM1 -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(out.add(1))}, out);
            case LOG -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.div(x)}, x);
            case LOG1P -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.div(x.add(1))}, x);
            case SQRT -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.div(out.mul(2))}, out);
            case RSQRT -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(out.pow(3)).mul(-0.5)}, out);
            case SIN -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(x.cos())}, x);
            case COS -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(x.sin()).neg()}, x);
            case TAN -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(out.square().add(1))}, out);
            case TANH -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{outputBackward(BinaryOp.TANH_BACKWARD, g, out)}, out);
            case SIGMOID -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{outputBackward(BinaryOp.SIGMOID_BACKWARD, g, out)}, out);
            case RELU -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{thresholdBackward(g, out)}, out);
            case RECIPROCAL -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(out.square()).neg()}, out);
            case SQUARE -> Autograd.record("PowBackward0", out, x, (g, k) -> new Tensor[]{g.mul(x).mul(2)}, x);
            case ERF -> Autograd.record(n, out, x,
                    (g, k) -> new Tensor[]{g.mul(x.square().neg().exp()).mul(2 / Math.sqrt(Math.PI))}, x);
            case SIGN, FLOOR, CEIL, ROUND, TRUNC -> Autograd.record(n, out, x, (g, k) -> new Tensor[]{g.mul(0)});
            default -> out;
        };
    }

    /**
     * Sigmoid's gradient {@code g * out * (1 - out)} or tanh's {@code g * (1 - out^2)} from the forward's output, in one
     * pass with the bits of those ops run one by one (PyTorch's {@code sigmoid_backward}, {@code tanh_backward}); the
     * ops themselves where the operands differ in dtype, shape or device, and for a backward that records its graph
     * (the ops are differentiable in {@code out} too).
     */
    static Tensor outputBackward(BinaryOp op, Tensor g, Tensor out) {
        if (GradMode.isEnabled() || g.dtype() != out.dtype() || !g.dtype().isFloatingPoint() || g.dtype().isHalf()
                || !Arrays.equals(g.shapeInternal(), out.shapeInternal()) || !g.device().equals(out.device())) {
            return op == BinaryOp.SIGMOID_BACKWARD ? g.mul(out).mul(out.rsub(1)) : g.mul(out.square().rsub(1));
        }
        Tensor r = Tensor.empty(g.dtype(), g.device(), g.shapeInternal());
        r.backend().binary(op, g.view(), out.view(), r.view());
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(out);
        return r;
    }

    /**
     * ReLU's gradient {@code g} where {@code out > 0}, else 0, in one pass (PyTorch's
     * {@code threshold_backward}); differentiable in {@code g} for double backward.
     */
    static Tensor thresholdBackward(Tensor g, Tensor out) {
        if (g.dtype() != out.dtype() || !Arrays.equals(g.shapeInternal(), out.shapeInternal())
                || !g.device().equals(out.device())) {
            return g.mul(out.gt(0));
        }
        Tensor r = Tensor.empty(g.dtype(), g.device(), g.shapeInternal());
        r.backend().binary(BinaryOp.THRESHOLD_BACKWARD, g.view(), out.view(), r.view());
        Reference.reachabilityFence(g);
        Reference.reachabilityFence(out);
        return Autograd.record("ThresholdBackwardBackward0", r, g, (gg, k) -> new Tensor[]{thresholdBackward(gg, out)}, out);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            // PyTorch sets everything to max in this case; keep that behaviour
            min = max;
        }
        Tensor in = x;
        if (in.dtype().isIntegral() && ((!Double.isNaN(min) && min != Math.rint(min)) || (!Double.isNaN(max) && max != Math.rint(max)))) {
            in = in.to(Kindling.defaultDType());
        }
        Tensor out = Tensor.empty(in.dtype(), in.device(), in.shapeInternal());
        out.backend().clamp(in.view(), min, max, out.view());
        Reference.reachabilityFence(in);
        double lo = min, hi = max;
        Tensor src = in;
        return Autograd.record("ClampBackward1", out, in, (g, k) -> {
            Tensor mask = src.isnan().logicalNot();
            if (!Double.isNaN(lo)) mask = mask.logicalAnd(src.ge(lo));
            if (!Double.isNaN(hi)) mask = mask.logicalAnd(src.le(hi));
            return new Tensor[]{g.mul(mask)};
        }, in);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        if (cond.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("where: expected condition to be a BOOL tensor, but got " + cond.dtype());
        }
        checkDevice("where", cond, a);
        checkDevice("where", a, b);
        int[] shape = Broadcast.shape("where", Broadcast.shape("where", cond.shapeInternal(), a.shapeInternal()), b.shapeInternal());
        DType ct = resultType(a, b);
        Tensor ac = a.dtype() == ct ? a : a.to(ct);
        Tensor bc = b.dtype() == ct ? b : b.to(ct);
        Tensor out = Tensor.empty("where", ct, a.device(), shape);
        out.backend().where(broadcastView(cond, shape), broadcastView(ac, shape), broadcastView(bc, shape), out.view());
        Reference.reachabilityFence(cond);
        Reference.reachabilityFence(ac);
        Reference.reachabilityFence(bc);
        return Autograd.record("WhereBackward0", out, new Tensor[]{ac, bc}, (g, n) -> {
            Tensor zero = Tensor.scalar(0, g.dtype());
            return new Tensor[]{n[0] ? where(cond, g, zero) : null, n[1] ? where(cond, zero, g) : null};
        }, cond);
    }

    static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("masked_fill: expected a BOOL mask, got " + mask.dtype());
        }
        int[] shape = Broadcast.shape("masked_fill", x.shapeInternal(), mask.shapeInternal());
        if (!Arrays.equals(shape, x.shapeInternal())) {
            throw new IllegalArgumentException("masked_fill: mask of shape " + Arrays.toString(mask.shapeInternal())
                    + " cannot be broadcast to the tensor's shape " + Arrays.toString(x.shapeInternal()));
        }
        Tensor out;
        try (var off = GradMode.set(false)) {
            out = where(mask, Factory.full(new int[0], value, x.dtype(), x.device()), x);
        }
        // its own node so that users see PyTorch's MaskedFillBackward0 rather than WhereBackward0
        return Autograd.record("MaskedFillBackward0", out, x, (g, n) -> new Tensor[]{g.maskedFill(mask, 0)});
    }

    static Tensor cast(Tensor t, DType target) {
        Args.notNull("to", "dtype", target);
        if (t.dtype() == target) return t;
        Tensor out = Tensor.empty("to", target, t.device(), t.shapeInternal());
        out.backend().copy(t.view(), out.view());
        Reference.reachabilityFence(t);
        DType source = t.dtype();
        return Autograd.record("ToCopyBackward0", out, t, (g, n) -> new Tensor[]{g.to(source)});
    }

    static Tensor cloneOp(Tensor t) {
        Tensor out = Tensor.empty("clone", t.dtype(), t.device(), t.shapeInternal());
        out.backend().copy(t.view(), out.view());
        Reference.reachabilityFence(t);
        return Autograd.record("CloneBackward0", out, t, (g, n) -> new Tensor[]{g});
    }

    // ------------------------------------------------------------------ in place

    private static void checkWritable(String op, Tensor self) {
        int[] sh = self.shapeInternal(), st = self.stridesInternal();
        for (int d = 0; d < sh.length; d++) {
            // an expanded dim maps many elements to one memory cell: the result would depend on write order
            if (sh[d] > 1 && st[d] == 0) {
                throw new IllegalArgumentException(op + ": unsupported operation: more than one element of the written-to"
                        + " tensor (shape " + Arrays.toString(sh) + ", strides " + Arrays.toString(st) + ") refers to a"
                        + " single memory location; clone() the tensor first");
            }
        }
        if (GradMode.isEnabled() && self.isLeaf() && self.requiresGrad()) {
            throw new IllegalStateException(op + ": a leaf Variable that requires grad is being used in an in-place"
                    + " operation; wrap it in Kindling.noGrad() or use its data()");
        }
    }

    /**
     * An input that partly overlaps the output would be read after parts of it were overwritten. Like
     * PyTorch, this is checked for contiguous operands (other layouts are too costly to decide).
     */
    private static void checkNoPartialOverlap(String op, Tensor self, Tensor in) {
        if (self.storage() != in.storage() || !self.isContiguous() || !in.isContiguous()) return;
        if (self.numel() == 0 || in.numel() == 0) return;
        long a0 = self.offset(), a1 = a0 + self.numel(), b0 = in.offset(), b1 = b0 + in.numel();
        boolean same = a0 == b0 && a1 == b1;
        if (!same && a0 < b1 && b0 < a1) {
            throw new IllegalArgumentException(op + ": unsupported operation: some elements of the input tensor (shape "
                    + Arrays.toString(in.shapeInternal()) + ") and the written-to tensor (shape "
                    + Arrays.toString(self.shapeInternal()) + ") refer to a single memory location; clone() the input first");
        }
    }

    /**
     * Runs an in-place op through its out-of-place twin when autograd must see it: the old value is cloned
     * (so formulas that saved it stay valid), the result is written back, and this tensor takes its history.
     */
    static Tensor inPlace(Tensor self, UnaryOperator<Tensor> outOfPlace) {
        checkWritable("in-place op", self);
        Tensor src = GradMode.isEnabled() ? self.clone() : self;
        Tensor r = outOfPlace.apply(src);
        if (!Arrays.equals(r.shapeInternal(), self.shapeInternal())) {
            throw new IllegalArgumentException("in-place op: output with shape " + Arrays.toString(self.shapeInternal())
                    + " doesn't match the broadcast shape " + Arrays.toString(r.shapeInternal()));
        }
        if (r.dtype() != self.dtype() && !castable(r.dtype(), self.dtype())) {
            throw new IllegalArgumentException("in-place op: result type " + r.dtype() + " can't be cast to the desired"
                    + " output type " + self.dtype());
        }
        // on a view, the history goes to the view's root (PyTorch's CopySlices), see ViewInPlace
        boolean throughView = self.viewRoot != null && GradMode.isEnabled()
                && (r.requiresGrad() || self.viewRoot.requiresGrad());
        if (throughView) ViewInPlace.checkWritable(self);
        try (var off = GradMode.set(false)) {
            self.backend().copy(r.view(), self.view());
            Reference.reachabilityFence(r);
        }
        self.bumpVersion();
        if (throughView) {
            ViewInPlace.record(self, r);
        } else if (r.gradFn() != null) {
            self.setGradFn((Node) r.gradFn());
        } else if (GradMode.isEnabled() && self.requiresGrad()) {
            // the new values do not depend on the old ones (copy_ of a constant): cut the history with a zero
            // gradient, otherwise backward would still flow into the overwritten values' graph
            self.setGradFn((Node) Autograd.record("CopyBackwards", r, src,
                    (g, n) -> new Tensor[]{Tensor.zerosLike(g)}).gradFn());
        }
        return self;
    }

    private static boolean castable(DType from, DType to) {
        int cf = category(from), ct = category(to);
        return cf <= ct;
    }

    static Tensor binaryInPlace(BinaryOp op, Tensor self, Tensor other) {
        String name = name(op) + "_";
        checkDevice(name, self, other);
        int[] shape = Broadcast.shape(name, self.shapeInternal(), other.shapeInternal());
        if (!Arrays.equals(shape, self.shapeInternal())) {
            throw new IllegalArgumentException(name + ": output with shape " + Arrays.toString(self.shapeInternal())
                    + " doesn't match the broadcast shape " + Arrays.toString(shape));
        }
        DType rt = resultType(self, other);
        if (op == BinaryOp.DIV && rt.isIntegral()) rt = Kindling.defaultDType();
        if (!castable(rt, self.dtype())) {
            throw new IllegalArgumentException(name + ": result type " + rt + " can't be cast to the desired output type "
                    + self.dtype());
        }
        if (Autograd.needsGrad(self, other)) return inPlace(self, t -> binary(op, t, other));
        checkWritable(name, self);
        checkNoPartialOverlap(name, self, other);
        Tensor o = other.dtype() == self.dtype() ? other : other.to(self.dtype());
        if (op == BinaryOp.DIV && self.dtype().isIntegral()) {
            throw new IllegalArgumentException(name + ": result type Float can't be cast to the desired output type " + self.dtype());
        }
        View sv = self.view();
        self.backend().binary(op, sv, broadcastView(o, shape), sv);
        Reference.reachabilityFence(o);
        self.bumpVersion();
        return self;
    }

    /**
     * {@code self + value * f(t1, t2)} into a new tensor in one fused pass, rounded like PyTorch
     * ({@code add(t, alpha=)}, {@code addcmul}, {@code addcdiv}). AXPY records its own gradient; the others
     * and mixed dtypes take the composite when autograd records.
     */
    static Tensor ternary(TernaryOp op, Tensor self, Tensor t1, Tensor t2, double value, java.util.function.Supplier<Tensor> composite) {
        String name = switch (op) {
            case AXPY -> "add";
            case ADDCMUL -> "addcmul";
            case ADDCDIV -> "addcdiv";
        };
        Tensor second = t2 == null ? t1 : t2;
        boolean sameType = self.dtype().isFloatingPoint() && t1.dtype() == self.dtype() && second.dtype() == self.dtype();
        if (!sameType || (op != TernaryOp.AXPY && Autograd.needsGrad(self, t1, second))) return composite.get();
        checkDevice(name, self, t1);
        checkDevice(name, self, second);
        int[] shape = Broadcast.shape(name, self.shapeInternal(), Broadcast.shape(name, t1.shapeInternal(), second.shapeInternal()));
        Tensor out = Tensor.empty(name, self.dtype(), self.device(), shape);
        out.backend().ternary(op, broadcastView(self, shape), broadcastView(t1, shape), broadcastView(second, shape), value, out.view());
        Reference.reachabilityFence(self);
        Reference.reachabilityFence(t1);
        Reference.reachabilityFence(second);
        if (op != TernaryOp.AXPY) return out;
        return Autograd.record("AddBackward0", out, new Tensor[]{self, t1},
                (g, n) -> new Tensor[]{g, n[1] ? g.mul(value) : null});
    }

    /**
     * {@code self += value * f(t1, t2)} in one fused pass ({@code add_(t, alpha)}, {@code addcmul_},
     * {@code addcdiv_}); falls back to the composite when autograd records or dtypes differ.
     */
    static Tensor ternaryInPlace(TernaryOp op, Tensor self, Tensor t1, Tensor t2, double value, UnaryOperator<Tensor> composite) {
        String name = switch (op) {
            case AXPY -> "add_";
            case ADDCMUL -> "addcmul_";
            case ADDCDIV -> "addcdiv_";
        };
        Tensor second = t2 == null ? t1 : t2;
        boolean fusable = self.dtype().isFloatingPoint() && t1.dtype() == self.dtype() && second.dtype() == self.dtype()
                && !Autograd.needsGrad(self, t1, second);
        if (!fusable) return composite.apply(self);
        checkDevice(name, self, t1);
        checkDevice(name, self, second);
        int[] shape = Broadcast.shape(name, self.shapeInternal(), Broadcast.shape(name, t1.shapeInternal(), second.shapeInternal()));
        if (!Arrays.equals(shape, self.shapeInternal())) {
            throw new IllegalArgumentException(name + ": output with shape " + Arrays.toString(self.shapeInternal())
                    + " doesn't match the broadcast shape " + Arrays.toString(shape));
        }
        checkWritable(name, self);
        View sv = self.view();
        self.backend().ternary(op, sv, broadcastView(t1, shape), broadcastView(second, shape), value, sv);
        Reference.reachabilityFence(t1);
        Reference.reachabilityFence(second);
        self.bumpVersion();
        return self;
    }

    static Tensor unaryInPlace(UnaryOp op, Tensor self) {
        if (Autograd.needsGrad(self)) return inPlace(self, t -> unary(op, t));
        checkWritable(name(op) + "_", self);
        if (self.dtype().isIntegral() && !keepsIntegral(op)) {
            throw new IllegalArgumentException(name(op) + "_: result type Float can't be cast to the desired output type " + self.dtype());
        }
        View sv = self.view();
        self.backend().unary(op, sv, sv);
        self.bumpVersion();
        return self;
    }

    static Tensor fill_(Tensor self, double value) {
        checkWritable("fill_", self);
        if (Autograd.needsGrad(self)) {
            // the filled values do not depend on the old ones: a zero gradient, as PyTorch's FillBackward0
            return inPlace(self, t -> Autograd.record(value == 0 ? "ZeroBackward0" : "FillBackward0",
                    Tensor.fullLike(t, value), t, (g, n) -> new Tensor[]{Tensor.zerosLike(g)}));
        }
        if (self.numel() > 0) {
            if (self.dtype().isIntegral() && value == Math.rint(value)) self.backend().fillLong(self.view(), (long) value);
            else self.backend().fill(self.view(), value);
        }
        self.bumpVersion();
        return self;
    }

    static Tensor copyInto(Tensor self, Tensor src) {
        checkDevice("copy_", self, src);
        int[] shape = Broadcast.shape("copy_", self.shapeInternal(), src.shapeInternal());
        if (!Arrays.equals(shape, self.shapeInternal())) {
            throw new IllegalArgumentException("copy_: source of shape " + Arrays.toString(src.shapeInternal())
                    + " cannot be broadcast to the destination's shape " + Arrays.toString(self.shapeInternal()));
        }
        if (Autograd.needsGrad(self, src)) {
            DType dt = self.dtype();
            return inPlace(self, t -> src.expand(shape).to(dt).clone());
        }
        checkWritable("copy_", self);
        checkNoPartialOverlap("copy_", self, src);
        self.backend().copy(broadcastView(src, shape), self.view());
        Reference.reachabilityFence(src);
        self.bumpVersion();
        return self;
    }

    // ------------------------------------------------------------------ test helpers

    static boolean equal(Tensor a, Tensor b) {
        if (!Arrays.equals(a.shapeInternal(), b.shapeInternal())) return false;
        try (var off = GradMode.set(false)) {
            return a.eq(b).all().item() != 0;
        }
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol) {
        try (var off = GradMode.set(false)) {
            Broadcast.shape("allclose", a.shapeInternal(), b.shapeInternal());
            Tensor x = a.to(DType.FLOAT64), y = b.to(DType.FLOAT64);
            Tensor close = x.sub(y).abs().le(y.abs().mul(rtol).add(atol));
            // equal infinities are close; NaN never is
            close = close.logicalOr(x.eq(y));
            return close.all().item() != 0;
        }
    }
}
