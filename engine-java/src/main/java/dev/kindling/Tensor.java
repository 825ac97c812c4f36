package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.TernaryOp;
import dev.kindling.backend.UnaryOp;
import dev.kindling.backend.View;
import dev.kindling.memory.Storage;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array on a device, with autograd: PyTorch's {@code torch.Tensor} for the JVM.
 * Methods carry PyTorch's names in lowerCamelCase; in-place variants end in {@code _}.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[][]{{1, 2}, {3, 4}}).requiresGrad(true);
 * Tensor y = x.matmul(x).sum();
 * y.backward();            // x.grad() is now d(sum(x @ x))/dx
 * }</pre>
 *
 * Data lives off the Java heap and is shared by views. It is freed when the tensor (and every view of it)
 * is closed, when the {@link Kindling#scope()} it was created in closes, or, as a safety net, after the
 * garbage collector finds it unreachable.
 */
public class Tensor implements AutoCloseable {
    /** Shared by a tensor and all of its views; bumped by every in-place change. */
    static final class Version {
        int value;
    }

    private final Storage storage;
    private final DType dtype;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final Version version;
    private boolean closed;
    Scope scope;

    private boolean requiresGrad;
    private Tensor grad;
    /**
     * True while {@link #grad} is a buffer autograd made and nobody was handed through {@link #grad()}:
     * clearing it ({@code zeroGrad()}, {@code setGrad(null)}) then returns its memory to the pool at once
     * rather than when the collector finds it, so a training loop reuses one gradient buffer per
     * parameter instead of allocating a new one every step.
     */
    private boolean gradRecyclable;
    private Node gradFn;
    private Node.Accumulate accumulator;
    private boolean retainsGrad;
    private boolean isView;
    /** For views: the non-view tensor whose memory this one reads, and its grad_fn when this history was made. */
    Tensor viewRoot;
    GradFn rootFnAtView;

    Tensor(Storage storage, DType dtype, int[] shape, int[] strides, int offset, Version version, boolean isView) {
        storage.retain();
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.version = version;
        this.isView = isView;
        Scope.register(this);
    }

    /**
     * A new tensor object over the same data, with no autograd history: the base of {@code nn.Parameter}.
     * The alias is owned by no scope.
     */
    protected Tensor(Tensor data) {
        this(data.storage, data.dtype, data.shape, data.strides, data.offset, data.version, false);
        Scope.escape(this);
    }

    // ---------------------------------------------------------------- internals for the ops layer

    static Tensor empty(DType dtype, Device device, int[] shape) { return empty("empty", dtype, device, shape); }

    /**
     * A new contiguous tensor; {@code op} names the public op in errors. The byte count is checked before
     * any allocation, so no backend ever sees a wrapped or impossible size.
     */
    static Tensor empty(String op, DType dtype, Device device, int[] shape) {
        long bytes = Shapes.storageBytes(op, shape, dtype);
        Backend b = Backends.of(device);
        Storage st;
        try {
            st = new Storage(b.allocate(Math.max(dtype.byteSize(), bytes)), device);
        } catch (IllegalArgumentException e) { // the backend's own limit (2 GiB per CPU storage)
            throw new IllegalArgumentException(op + ": cannot allocate a tensor of shape " + java.util.Arrays.toString(shape)
                    + " and dtype " + dtype + " (" + bytes + " bytes): " + e.getMessage(), e);
        }
        return new Tensor(st, dtype, shape.clone(), Shapes.contiguousStrides(shape), 0, new Version(), false);
    }

    /** A view: same storage and version counter, other layout. */
    Tensor alias(int[] newShape, int[] newStrides, int newOffset) {
        // a view of a closed tensor would revive data its owner gave up (and that may be freed already)
        if (closed) throw new IllegalStateException("tensor " + describe() + " was closed");
        return new Tensor(storage, dtype, newShape, newStrides, newOffset, version, true);
    }

    View view() {
        if (closed) throw new IllegalStateException("tensor " + describe() + " was closed");
        return new View(storage.buffer(), dtype, shape, strides, offset);
    }

    Backend backend() { return Backends.of(storage.device()); }

    Storage storage() { return storage; }

    int offset() { return offset; }

    int[] stridesInternal() { return strides; }

    int[] shapeInternal() { return shape; }

    int version() { return version.value; }

    void bumpVersion() { version.value++; }

    boolean isViewInternal() { return isView; }

    Node gradEdge() {
        if (gradFn != null) return gradFn;
        if (accumulator == null) accumulator = new Node.Accumulate(this);
        return accumulator;
    }

    void setGradFn(Node node) {
        // an in-place op gives this tensor a new node: a retained gradient follows it, as in PyTorch
        if (retainsGrad && gradFn != null && gradFn.retainGradOf == this) {
            gradFn.retainGradOf = null;
            node.retainGradOf = this;
        }
        this.gradFn = node;
        this.requiresGrad = true;
    }

    void accumulateGrad(Tensor g, boolean createGraph) {
        if (grad == null) {
            Tensor first = createGraph ? g : g.detach().clone();
            Scope.escape(first);
            grad = first;
            gradRecyclable = !createGraph;
        } else if (createGraph || grad.requiresGrad()) {
            Tensor sum = grad.add(g);
            Scope.escape(sum);
            grad = sum;
            gradRecyclable = false;
        } else {
            try (var off = GradMode.set(false)) {
                grad.add_(g);
            }
        }
    }

    String describe() {
        return dtype + java.util.Arrays.toString(shape);
    }

    // ---------------------------------------------------------------- properties

    /** The sizes of each dimension ({@code x.shape}); a copy. */
    public final int[] shape() { return shape.clone(); }

    /** Size of one dimension; negative dims count from the end. */
    public final int size(int dim) { return shape[Shapes.dim("size", dim, shape.length)]; }

    /** Number of dimensions ({@code x.dim()}). */
    public final int dim() { return shape.length; }

    /** Total number of elements ({@code x.numel()}). */
    public final long numel() { return Shapes.numel(shape); }

    /** The element type ({@code x.dtype}). */
    public final DType dtype() { return dtype; }

    /** The device holding the data ({@code x.device}). */
    public final Device device() { return storage.device(); }

    /** Element strides of each dimension; a copy. */
    public final int[] stride() { return strides.clone(); }

    /** Offset of the first element in the underlying storage, in elements ({@code x.storage_offset()}). */
    public final int storageOffset() { return offset; }

    /** True when the elements are laid out in row-major order without gaps ({@code x.is_contiguous()}). */
    public final boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    /** True once this tensor (or the scope that owned it) was closed. */
    public final boolean isClosed() { return closed || storage.isReleased(); }

    // ---------------------------------------------------------------- autograd

    /** True when autograd records operations on this tensor ({@code x.requires_grad}). */
    public final boolean requiresGrad() { return requiresGrad; }

    /** Sets {@code requires_grad} on a leaf; returns this for chaining ({@code Tensor.randn(3).requiresGrad(true)}). */
    public final Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value) {
            throw new IllegalStateException("requiresGrad: you can only change requires_grad flags of leaf"
                    + " variables; use detach() to get a tensor that does not require grad");
        }
        if (value && !dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("requiresGrad: only tensors of floating point dtype can require"
                    + " gradients, got " + dtype);
        }
        requiresGrad = value;
        return this;
    }

    /** The accumulated gradient of a leaf (or of a tensor that called {@link #retainGrad()}), or null. */
    public final Tensor grad() {
        gradRecyclable = false;
        return grad;
    }

    /** The gradient for code that uses it only for the moment (optimizer steps, clipping): not a hand-out. */
    final Tensor gradForUpdate() { return grad; }

    /** Replaces the gradient ({@code x.grad = g}); null clears it. */
    public final void setGrad(Tensor g) {
        if (g != null && !java.util.Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: assigned grad has shape " + java.util.Arrays.toString(g.shape)
                    + " but the tensor has shape " + java.util.Arrays.toString(shape));
        }
        if (g != null) Scope.escape(g);
        Tensor old = grad;
        boolean recycle = gradRecyclable && old != null && old != g;
        grad = g;
        gradRecyclable = false;
        if (recycle) old.close();
    }

    /** The op that produced this tensor, or null for leaves. */
    public final GradFn gradFn() { return gradFn; }

    /** True for tensors created by the user (or not requiring grad), false for results of recorded ops. */
    public final boolean isLeaf() { return gradFn == null; }

    /** Backpropagates from a scalar: fills {@code .grad} of every leaf that requires grad. */
    public final void backward() { backward(null, false, false); }

    /** Backpropagates with {@code gradient} as d(something)/d(this), required for non-scalars. */
    public final void backward(Tensor gradient) { backward(gradient, false, false); }

    /** Backpropagates and keeps the graph for another backward when {@code retainGraph}. */
    public final void backward(boolean retainGraph) { backward(null, retainGraph, false); }

    /** Backpropagates from this tensor ({@code x.backward(gradient, retain_graph, create_graph)}); {@code gradient} may be null for a scalar, {@code createGraph} records the backward pass for higher-order gradients. Throws if this tensor does not require grad. */
    public final void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: element 0 of tensors does not require grad and does not have a grad_fn");
        }
        if (gradient == null) {
            if (numel() != 1) {
                throw new IllegalStateException("backward: grad can be implicitly created only for scalar outputs,"
                        + " got shape " + java.util.Arrays.toString(shape) + "; pass a gradient");
            }
            gradient = Factory.full(shape, 1.0, dtype, device());
        } else if (!java.util.Arrays.equals(gradient.shape, shape)) {
            throw new IllegalArgumentException("backward: gradient has shape " + java.util.Arrays.toString(gradient.shape)
                    + " but the tensor has shape " + java.util.Arrays.toString(shape));
        }
        Engine.run(new Tensor[]{this}, new Tensor[]{gradient}, retainGraph, createGraph, null, false);
    }

    /** Makes a non-leaf keep its gradient in {@code .grad} during backward. */
    public final Tensor retainGrad() {
        if (!requiresGrad) throw new IllegalStateException("retainGrad: can't retain_grad on a tensor that has requires_grad=False");
        if (gradFn != null) {
            gradFn.retainGradOf = this;
            retainsGrad = true;
        }
        return this;
    }

    /** True when {@link #retainGrad()} was called, so this non-leaf keeps its {@code .grad} ({@code x.retains_grad}). */
    public final boolean retainsGrad() { return retainsGrad; }

    /**
     * Calls {@code hook} with this tensor's gradient during backward; a non-null return replaces it.
     * Returns a handle whose {@code close()} removes the hook.
     */
    public final AutoCloseable registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) throw new IllegalStateException("registerHook: cannot register a hook on a tensor that doesn't require gradient");
        Node n = gradEdge();
        n.addHook(hook);
        return () -> n.hooks.remove(hook);
    }

    /** A tensor sharing this one's data, cut from the graph ({@code x.detach()}). */
    public final Tensor detach() {
        if (closed) throw new IllegalStateException("detach: tensor " + describe() + " was closed");
        return new Tensor(storage, dtype, shape, strides, offset, version, isView);
    }

    /** Cuts this tensor from the graph in place, making it a leaf. */
    public final Tensor detach_() {
        gradFn = null;
        requiresGrad = false;
        return this;
    }

    /**
     * Like {@code x.data}: shares the data but not the graph nor the version counter, so changes made
     * through it are invisible to autograd (the seeds' {@code w.data = w.data - lr * w.grad.data}).
     */
    public final Tensor data() {
        if (closed) throw new IllegalStateException("data: tensor " + describe() + " was closed");
        return new Tensor(storage, dtype, shape, strides, offset, new Version(), isView);
    }

    /** Overwrites this tensor's values with {@code src}'s ({@code x.data = ...} becomes {@code x.data().copy_(...)}). */
    public final Tensor copy_(Tensor src) { return Pointwise.copyInto(this, src); }

    // ---------------------------------------------------------------- creation

    /** 1-D FLOAT32 tensor ({@code torch.tensor([1., 2.])}). */
    public static Tensor of(float... values) { return Factory.fromArray(values.clone(), new int[]{values.length}); }

    /** 1-D FLOAT64 tensor ({@code torch.tensor([1., 2.], dtype=torch.float64)}). */
    public static Tensor of(double... values) { return Factory.fromArray(values.clone(), new int[]{values.length}); }

    /** 1-D INT64 tensor, as PyTorch infers from Python ints. */
    public static Tensor of(long... values) { return Factory.fromArray(values.clone(), new int[]{values.length}); }

    /** 1-D tensor of Java ints; INT64 like {@code torch.tensor([1, 2])}. */
    public static Tensor of(int... values) {
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) l[i] = values[i];
        return Factory.fromArray(l, new int[]{values.length});
    }

    /** 1-D BOOL tensor ({@code torch.tensor([True, False])}). */
    public static Tensor of(boolean... values) { return Factory.fromArray(values.clone(), new int[]{values.length}); }

    /** 2-D FLOAT32 tensor from a rectangular array; ragged rows throw IllegalArgumentException. */
    public static Tensor of(float[][] values) { return Factory.nested(values); }

    /** 2-D FLOAT64 tensor from a rectangular array; ragged rows throw IllegalArgumentException. */
    public static Tensor of(double[][] values) { return Factory.nested(values); }

    /** 2-D INT64 tensor from a rectangular array; ragged rows throw IllegalArgumentException. */
    public static Tensor of(long[][] values) { return Factory.nested(values); }

    /** 2-D INT64 tensor from a rectangular array of Java ints; ragged rows throw IllegalArgumentException. */
    public static Tensor of(int[][] values) { return Factory.nested(values); }

    /** 3-D FLOAT32 tensor from a rectangular array; ragged rows throw IllegalArgumentException. */
    public static Tensor of(float[][][] values) { return Factory.nested(values); }

    /** 3-D FLOAT64 tensor from a rectangular array; ragged rows throw IllegalArgumentException. */
    public static Tensor of(double[][][] values) { return Factory.nested(values); }

    /** A 0-dimensional FLOAT32 tensor ({@code torch.tensor(3.)}). */
    public static Tensor scalar(double value) { return scalar(value, Kindling.defaultDType()); }

    /** 0-d tensor holding {@code value} as {@code dtype} ({@code torch.tensor(value, dtype=...)}). */
    public static Tensor scalar(double value, DType dtype) { return Factory.full(new int[0], value, dtype, Device.CPU); }

    /** A tensor over a copy of {@code data} with the given shape ({@code torch.tensor(data).view(shape)}). */
    public static Tensor fromArray(float[] data, int... shape) { return Factory.fromArray(data, Factory.checkSize("fromArray", data.length, shape)); }

    /** FLOAT64 tensor of {@code shape} from row-major data (copied); throws if the sizes do not match ({@code torch.tensor(data).reshape(shape)}). */
    public static Tensor fromArray(double[] data, int... shape) { return Factory.fromArray(data, Factory.checkSize("fromArray", data.length, shape)); }

    /** INT64 tensor of {@code shape} from row-major data (copied); throws if the sizes do not match. */
    public static Tensor fromArray(long[] data, int... shape) { return Factory.fromArray(data, Factory.checkSize("fromArray", data.length, shape)); }

    /** INT32 tensor of {@code shape} from row-major Java ints (copied); throws if the sizes do not match. */
    public static Tensor fromArray(int[] data, int... shape) { return Factory.fromArray(data, Factory.checkSize("fromArray", data.length, shape)); }

    /** BOOL tensor of {@code shape} from row-major data (copied); throws if the sizes do not match. */
    public static Tensor fromArray(boolean[] data, int... shape) { return Factory.fromArray(data, Factory.checkSize("fromArray", data.length, shape)); }

    /** Tensor of zeros in the default dtype on CPU ({@code torch.zeros(*shape)}). */
    public static Tensor zeros(int... shape) { return Factory.full("zeros", shape, 0, Kindling.defaultDType(), Device.CPU); }

    /** Tensor of zeros of {@code dtype} on CPU ({@code torch.zeros(shape, dtype=...)}). */
    public static Tensor zeros(int[] shape, DType dtype) { return Factory.full("zeros", shape, 0, dtype, Device.CPU); }

    /** Tensor of zeros of {@code dtype} on {@code device} ({@code torch.zeros(shape, dtype=..., device=...)}). */
    public static Tensor zeros(int[] shape, DType dtype, Device device) { return Factory.full("zeros", shape, 0, dtype, device); }

    /** Tensor of ones in the default dtype on CPU ({@code torch.ones(*shape)}). */
    public static Tensor ones(int... shape) { return Factory.full("ones", shape, 1, Kindling.defaultDType(), Device.CPU); }

    /** Tensor of ones of {@code dtype} on CPU ({@code torch.ones(shape, dtype=...)}). */
    public static Tensor ones(int[] shape, DType dtype) { return Factory.full("ones", shape, 1, dtype, Device.CPU); }

    /** Tensor filled with {@code value} in the default dtype ({@code torch.full(shape, value)}). */
    public static Tensor full(int[] shape, double value) { return Factory.full("full", shape, value, Kindling.defaultDType(), Device.CPU); }

    /** Tensor filled with {@code value} as {@code dtype} ({@code torch.full(shape, value, dtype=...)}). */
    public static Tensor full(int[] shape, double value, DType dtype) { return Factory.full("full", shape, value, dtype, Device.CPU); }

    /** Uninitialised memory (fast; contents are whatever the pool held). */
    public static Tensor empty(int... shape) { return empty(Kindling.defaultDType(), Device.CPU, Factory.checkShape("empty", shape)); }

    /** Uninitialised tensor of {@code dtype} on CPU ({@code torch.empty(shape, dtype=...)}); read it only after writing. */
    public static Tensor empty(int[] shape, DType dtype) { return empty(dtype, Device.CPU, Factory.checkShape("empty", shape)); }

    /** Zeros with the shape, dtype and device of {@code t} ({@code torch.zeros_like}). */
    public static Tensor zerosLike(Tensor t) { return Factory.full(t.shape, 0, t.dtype, t.device()); }

    /** Ones with the shape, dtype and device of {@code t} ({@code torch.ones_like}). */
    public static Tensor onesLike(Tensor t) { return Factory.full(t.shape, 1, t.dtype, t.device()); }

    /** {@code value} with the shape, dtype and device of {@code t} ({@code torch.full_like}). */
    public static Tensor fullLike(Tensor t, double value) { return Factory.full(t.shape, value, t.dtype, t.device()); }

    /** Uninitialised tensor with the shape, dtype and device of {@code t} ({@code torch.empty_like}). */
    public static Tensor emptyLike(Tensor t) { return empty(t.dtype, t.device(), t.shape); }

    /** Uniform [0, 1) samples with the shape and dtype of {@code t} ({@code torch.rand_like}). */
    public static Tensor randLike(Tensor t) { return Factory.rand(Kindling.defaultGenerator(), t.shape, Factory.floatingLike("rand_like", t)); }

    /** Standard normal samples with the shape and dtype of {@code t} ({@code torch.randn_like}). */
    public static Tensor randnLike(Tensor t) { return Factory.randn(Kindling.defaultGenerator(), t.shape, Factory.floatingLike("randn_like", t)); }

    /** Uniform on [0, 1) from the default generator ({@link Kindling#manualSeed}). */
    public static Tensor rand(int... shape) { return Factory.rand(Kindling.defaultGenerator(), shape, Kindling.defaultDType()); }

    /** Uniform [0, 1) samples drawn from {@code gen} ({@code torch.rand(*shape, generator=gen)}). */
    public static Tensor rand(Generator gen, int... shape) { return Factory.rand(gen, shape, Kindling.defaultDType()); }

    /** Standard normal samples. */
    public static Tensor randn(int... shape) { return Factory.randn(Kindling.defaultGenerator(), shape, Kindling.defaultDType()); }

    /** Standard normal samples drawn from {@code gen} ({@code torch.randn(*shape, generator=gen)}). */
    public static Tensor randn(Generator gen, int... shape) { return Factory.randn(gen, shape, Kindling.defaultDType()); }

    /** INT64 integers uniform in [low, high). */
    public static Tensor randint(long low, long high, int... shape) { return Factory.randint(Kindling.defaultGenerator(), low, high, shape); }

    /** INT64 integers uniform in [low, high) drawn from {@code gen} ({@code torch.randint(low, high, shape, generator=gen)}). */
    public static Tensor randint(Generator gen, long low, long high, int... shape) { return Factory.randint(gen, low, high, shape); }

    /** A random permutation of 0..n-1 (INT64). */
    public static Tensor randperm(int n) { return Factory.randperm(Kindling.defaultGenerator(), n); }

    /** A random permutation of {@code 0..n-1} (INT64) drawn from {@code gen} ({@code torch.randperm(n, generator=gen)}). */
    public static Tensor randperm(Generator gen, int n) { return Factory.randperm(gen, n); }

    /** Draws 0 or 1 with the probabilities held in this tensor ({@code torch.bernoulli(p)}). */
    public final Tensor bernoulli() { return Factory.bernoulli(Kindling.defaultGenerator(), this); }

    /** 0/1 samples with probabilities from this tensor, drawn from {@code gen} ({@code torch.bernoulli(p, generator=gen)}). */
    public final Tensor bernoulli(Generator gen) { return Factory.bernoulli(gen, this); }

    /** Fills with 0/1 draws of probability {@code p} in place ({@code x.bernoulli_(p)}). */
    public final Tensor bernoulli_(double p) { return Factory.bernoulliFill(Kindling.defaultGenerator(), this, p); }

    /** Fills with fair 0/1 draws in place ({@code x.bernoulli_()}, p = 0.5). */
    public final Tensor bernoulli_() { return bernoulli_(0.5); }

    /** Fills in place with uniform samples from [from, to). */
    public final Tensor uniform_(double from, double to) { return Factory.uniformFill(Kindling.defaultGenerator(), this, from, to); }

    /** Fills in place with uniform samples from [0, 1) ({@code x.uniform_()}). */
    public final Tensor uniform_() { return uniform_(0, 1); }

    /** Fills this tensor in place with uniform samples in [from, to) from {@code gen} ({@code x.uniform_(from, to, generator=gen)}). */
    public final Tensor uniform_(Generator gen, double from, double to) { return Factory.uniformFill(gen, this, from, to); }

    /** Fills in place with normal samples. */
    public final Tensor normal_(double mean, double std) { return Factory.normalFill(Kindling.defaultGenerator(), this, mean, std); }

    /** Fills in place with standard normal samples ({@code x.normal_()}). */
    public final Tensor normal_() { return normal_(0, 1); }

    /** Fills this tensor in place with normal samples from {@code gen} ({@code x.normal_(mean, std, generator=gen)}). */
    public final Tensor normal_(Generator gen, double mean, double std) { return Factory.normalFill(gen, this, mean, std); }

    /** {@code n x n} identity matrix in the default dtype ({@code torch.eye(n)}). */
    public static Tensor eye(int n) { return Factory.eye(n, n); }

    /** {@code n x m} matrix with ones on the diagonal ({@code torch.eye(n, m)}). */
    public static Tensor eye(int n, int m) { return Factory.eye(n, m); }

    /** 0, 1, ..., end-1 as INT64. */
    public static Tensor arange(long end) { return Factory.arange(0, end, 1); }

    /** INT64 values {@code start, start+1, ..., end-1} ({@code torch.arange(start, end)}). */
    public static Tensor arange(long start, long end) { return Factory.arange(start, end, 1); }

    /** INT64 values from {@code start} towards {@code end} (exclusive) in steps of {@code step} ({@code torch.arange(start, end, step)}). */
    public static Tensor arange(long start, long end, long step) { return Factory.arange(start, end, step); }

    /** start, start+step, ... below end, as FLOAT32. */
    public static Tensor arange(double start, double end, double step) { return Factory.arangeFloat(start, end, step); }

    /** {@code [start, start + 1, ...)} below {@code end}, floating point ({@code torch.arange(0.5, 4.0)}). */
    public static Tensor arange(double start, double end) { return arange(start, end, 1); }

    /** {@code steps} evenly spaced values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) { return Factory.linspace(start, end, steps); }

    // ---------------------------------------------------------------- pointwise math

    /** Elementwise {@code this + other} with broadcasting and type promotion ({@code torch.add}). */
    public final Tensor add(Tensor other) { return Pointwise.binary(BinaryOp.ADD, this, other); }

    /** {@code this + alpha * other}, PyTorch's {@code add(other, alpha=...)}. */
    public final Tensor add(Tensor other, double alpha) {
        return Pointwise.ternary(TernaryOp.AXPY, this, other, null, alpha, () -> add(other.mul(alpha)));
    }

    /** Adds a scalar to every element ({@code x + s}), with PyTorch's scalar type promotion. */
    public final Tensor add(double other) { return Pointwise.binary(BinaryOp.ADD, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this - other} with broadcasting and type promotion ({@code torch.sub}). */
    public final Tensor sub(Tensor other) { return Pointwise.binary(BinaryOp.SUB, this, other); }

    /** {@code this - alpha * other}, rounded as one multiply-add like PyTorch. */
    public final Tensor sub(Tensor other, double alpha) {
        return Pointwise.ternary(TernaryOp.AXPY, this, other, null, -alpha, () -> sub(other.mul(alpha)));
    }

    /** Subtracts a scalar from every element ({@code x - 2}). */
    public final Tensor sub(double other) { return Pointwise.binary(BinaryOp.SUB, this, Pointwise.scalarFor(this, other)); }

    /** {@code other - this} ({@code torch.rsub}). */
    public final Tensor rsub(double other) { return Pointwise.binary(BinaryOp.SUB, Pointwise.scalarFor(this, other), this); }

    /** Elementwise {@code this * other} with broadcasting and type promotion ({@code torch.mul}). */
    public final Tensor mul(Tensor other) { return Pointwise.binary(BinaryOp.MUL, this, other); }

    /** Multiplies every element by a scalar ({@code x * 2}). */
    public final Tensor mul(double other) { return Pointwise.binary(BinaryOp.MUL, this, Pointwise.scalarFor(this, other)); }

    /** True division: integer inputs give a floating result, as in PyTorch. */
    public final Tensor div(Tensor other) { return Pointwise.binary(BinaryOp.DIV, this, other); }

    /** Divides every element by a scalar; true division, so integer tensors give floats ({@code x / 2}). */
    public final Tensor div(double other) { return Pointwise.binary(BinaryOp.DIV, this, Pointwise.scalarFor(this, other)); }

    /** {@code other / this}. */
    public final Tensor rdiv(double other) { return Pointwise.binary(BinaryOp.DIV, Pointwise.scalarFor(this, other), this); }

    /** Elementwise {@code this ** exponent} with broadcasting ({@code torch.pow}). */
    public final Tensor pow(Tensor exponent) { return Pointwise.binary(BinaryOp.POW, this, exponent); }

    /** Raises every element to a scalar power ({@code x ** 2}). */
    public final Tensor pow(double exponent) { return Pointwise.powScalar(this, exponent); }

    /** Elementwise Python-style modulus, result has the sign of the divisor ({@code torch.remainder}). */
    public final Tensor remainder(Tensor other) { return Pointwise.binary(BinaryOp.REMAINDER, this, other); }

    /** Python-style modulus by a scalar, result has the sign of the divisor ({@code torch.remainder(x, s)}). */
    public final Tensor remainder(double other) { return Pointwise.binary(BinaryOp.REMAINDER, this, Pointwise.scalarFor(this, other)); }

    /** C-style modulus by a scalar, result has the sign of the dividend ({@code torch.fmod}). */
    public final Tensor fmod(double other) { return Pointwise.binary(BinaryOp.FMOD, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise division rounded towards negative infinity ({@code torch.floor_divide}, {@code //}). */
    public final Tensor floorDivide(Tensor other) { return Pointwise.binary(BinaryOp.FLOOR_DIVIDE, this, other); }

    /** Division by a scalar rounded towards negative infinity ({@code x // s}). */
    public final Tensor floorDivide(double other) { return Pointwise.binary(BinaryOp.FLOOR_DIVIDE, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise four-quadrant arctangent of {@code this / other} ({@code torch.atan2}). */
    public final Tensor atan2(Tensor other) { return Pointwise.binary(BinaryOp.ATAN2, this, other); }

    /** Elementwise maximum with broadcasting; NaN propagates ({@code torch.maximum}). */
    public final Tensor maximum(Tensor other) { return Pointwise.binary(BinaryOp.MAXIMUM, this, other); }

    /** Elementwise minimum with broadcasting; NaN propagates ({@code torch.minimum}). */
    public final Tensor minimum(Tensor other) { return Pointwise.binary(BinaryOp.MINIMUM, this, other); }

    /** Elementwise negation ({@code torch.neg}, {@code -x}). */
    public final Tensor neg() { return Pointwise.unary(UnaryOp.NEG, this); }

    /** Elementwise absolute value ({@code torch.abs}). */
    public final Tensor abs() { return Pointwise.unary(UnaryOp.ABS, this); }

    /** Elementwise exponential ({@code torch.exp}); integer inputs give floats. */
    public final Tensor exp() { return Pointwise.unary(UnaryOp.EXP, this); }

    /** Elementwise {@code exp(x) - 1}, accurate for small x ({@code torch.expm1}). */
    public final Tensor expm1() { return Pointwise.unary(UnaryOp.EXPM1, this); }

    /** Elementwise natural logarithm ({@code torch.log}); integer inputs give floats. */
    public final Tensor log() { return Pointwise.unary(UnaryOp.LOG, this); }

    /** Elementwise {@code log(1 + x)}, accurate for small x ({@code torch.log1p}). */
    public final Tensor log1p() { return Pointwise.unary(UnaryOp.LOG1P, this); }

    /** Elementwise square root ({@code torch.sqrt}); negative inputs give NaN. */
    public final Tensor sqrt() { return Pointwise.unary(UnaryOp.SQRT, this); }

    /** Elementwise reciprocal square root {@code 1 / sqrt(x)} ({@code torch.rsqrt}). */
    public final Tensor rsqrt() { return Pointwise.unary(UnaryOp.RSQRT, this); }

    /** Elementwise sine ({@code torch.sin}). */
    public final Tensor sin() { return Pointwise.unary(UnaryOp.SIN, this); }

    /** Elementwise cosine ({@code torch.cos}). */
    public final Tensor cos() { return Pointwise.unary(UnaryOp.COS, this); }

    /** Elementwise tangent ({@code torch.tan}). */
    public final Tensor tan() { return Pointwise.unary(UnaryOp.TAN, this); }

    /** Elementwise hyperbolic tangent ({@code torch.tanh}). */
    public final Tensor tanh() { return Pointwise.unary(UnaryOp.TANH, this); }

    /** Elementwise logistic sigmoid {@code 1 / (1 + exp(-x))} ({@code torch.sigmoid}). */
    public final Tensor sigmoid() { return Pointwise.unary(UnaryOp.SIGMOID, this); }

    /** Elementwise {@code max(x, 0)} ({@code torch.relu}). */
    public final Tensor relu() { return Pointwise.unary(UnaryOp.RELU, this); }

    /** Elementwise sign: -1, 0 or 1 ({@code torch.sign}). */
    public final Tensor sign() { return Pointwise.unary(UnaryOp.SIGN, this); }

    /** Elementwise floor ({@code torch.floor}). */
    public final Tensor floor() { return Pointwise.unary(UnaryOp.FLOOR, this); }

    /** Elementwise ceiling ({@code torch.ceil}). */
    public final Tensor ceil() { return Pointwise.unary(UnaryOp.CEIL, this); }

    /** Rounds half to even, like {@code torch.round}. */
    public final Tensor round() { return Pointwise.unary(UnaryOp.ROUND, this); }

    /** Elementwise rounding towards zero ({@code torch.trunc}). */
    public final Tensor trunc() { return Pointwise.unary(UnaryOp.TRUNC, this); }

    /** Elementwise {@code 1 / x} ({@code torch.reciprocal}); integer inputs give floats. */
    public final Tensor reciprocal() { return Pointwise.unary(UnaryOp.RECIPROCAL, this); }

    /** Elementwise {@code x * x} ({@code torch.square}). */
    public final Tensor square() { return Pointwise.unary(UnaryOp.SQUARE, this); }

    /** Elementwise Gauss error function ({@code torch.erf}). */
    public final Tensor erf() { return Pointwise.unary(UnaryOp.ERF, this); }

    /** Limits values to [min, max]; pass {@code Double.NaN} for no bound on one side. */
    public final Tensor clamp(double min, double max) { return Pointwise.clamp(this, min, max); }

    /** Elementwise {@code max(x, min)} ({@code torch.clamp(x, min=min)}). */
    public final Tensor clampMin(double min) { return Pointwise.clamp(this, min, Double.NaN); }

    /** Clamps from below only, like {@code x.clamp(min)} with one positional argument. */
    public final Tensor clamp(double min) { return clampMin(min); }

    /** Elementwise {@code min(x, max)} ({@code torch.clamp(x, max=max)}). */
    public final Tensor clampMax(double max) { return Pointwise.clamp(this, Double.NaN, max); }

    // in place

    /** In-place {@code this += other}; {@code other} must broadcast to this shape and the result dtype must fit this one ({@code x.add_}). */
    public final Tensor add_(Tensor other) { return Pointwise.binaryInPlace(BinaryOp.ADD, this, other); }

    /** {@code this += alpha * other} in one fused pass (rounded as one multiply-add, like PyTorch). */
    public final Tensor add_(Tensor other, double alpha) {
        return Pointwise.ternaryInPlace(TernaryOp.AXPY, this, other, null, alpha,
                t -> Pointwise.binaryInPlace(BinaryOp.ADD, t, alpha == 1 ? other : other.mul(alpha)));
    }

    /** In-place {@code this += other} for a scalar ({@code x.add_(s)}). */
    public final Tensor add_(double other) { return Pointwise.binaryInPlace(BinaryOp.ADD, this, Pointwise.scalarFor(this, other)); }

    /** In-place {@code this -= other} with broadcasting ({@code x.sub_}). */
    public final Tensor sub_(Tensor other) { return Pointwise.binaryInPlace(BinaryOp.SUB, this, other); }

    /** In-place {@code this -= other} for a scalar ({@code x.sub_(s)}). */
    public final Tensor sub_(double other) { return Pointwise.binaryInPlace(BinaryOp.SUB, this, Pointwise.scalarFor(this, other)); }

    /** In-place {@code this *= other} with broadcasting ({@code x.mul_}). */
    public final Tensor mul_(Tensor other) { return Pointwise.binaryInPlace(BinaryOp.MUL, this, other); }

    /** In-place {@code this *= other} for a scalar ({@code x.mul_(s)}). */
    public final Tensor mul_(double other) { return Pointwise.binaryInPlace(BinaryOp.MUL, this, Pointwise.scalarFor(this, other)); }

    /** In-place {@code this /= other} with broadcasting ({@code x.div_}). */
    public final Tensor div_(Tensor other) { return Pointwise.binaryInPlace(BinaryOp.DIV, this, other); }

    /** In-place {@code this /= other} for a scalar ({@code x.div_(s)}). */
    public final Tensor div_(double other) { return Pointwise.binaryInPlace(BinaryOp.DIV, this, Pointwise.scalarFor(this, other)); }

    /** In-place {@code this **= exponent} ({@code x.pow_}). */
    public final Tensor pow_(double exponent) { return Pointwise.inPlace(this, t -> t.pow(exponent)); }

    /** In-place negation ({@code x.neg_()}). */
    public final Tensor neg_() { return Pointwise.unaryInPlace(UnaryOp.NEG, this); }

    /** In-place absolute value ({@code x.abs_()}). */
    public final Tensor abs_() { return Pointwise.unaryInPlace(UnaryOp.ABS, this); }

    /** In-place exponential ({@code x.exp_()}). */
    public final Tensor exp_() { return Pointwise.unaryInPlace(UnaryOp.EXP, this); }

    /** In-place natural logarithm ({@code x.log_()}). */
    public final Tensor log_() { return Pointwise.unaryInPlace(UnaryOp.LOG, this); }

    /** In-place square root ({@code x.sqrt_()}). */
    public final Tensor sqrt_() { return Pointwise.unaryInPlace(UnaryOp.SQRT, this); }

    /** In-place logistic sigmoid ({@code x.sigmoid_()}). */
    public final Tensor sigmoid_() { return Pointwise.unaryInPlace(UnaryOp.SIGMOID, this); }

    /** In-place hyperbolic tangent ({@code x.tanh_()}). */
    public final Tensor tanh_() { return Pointwise.unaryInPlace(UnaryOp.TANH, this); }

    /** In-place {@code max(x, 0)} ({@code x.relu_()}). */
    public final Tensor relu_() { return Pointwise.unaryInPlace(UnaryOp.RELU, this); }

    /** In-place floor ({@code x.floor_()}). */
    public final Tensor floor_() { return Pointwise.unaryInPlace(UnaryOp.FLOOR, this); }

    /** In-place ceiling ({@code x.ceil_()}). */
    public final Tensor ceil_() { return Pointwise.unaryInPlace(UnaryOp.CEIL, this); }

    /** In-place rounding to the nearest integer ({@code x.round_()}). */
    public final Tensor round_() { return Pointwise.unaryInPlace(UnaryOp.ROUND, this); }

    /** In-place sign ({@code x.sign_()}). */
    public final Tensor sign_() { return Pointwise.unaryInPlace(UnaryOp.SIGN, this); }

    /** In-place clamp into [min, max]; NaN leaves that side unbounded ({@code x.clamp_(min, max)}). */
    public final Tensor clamp_(double min, double max) { return Pointwise.inPlace(this, t -> t.clamp(min, max)); }

    /** In-place {@code max(x, min)} ({@code x.clamp_(min=min)}). */
    public final Tensor clampMin_(double min) { return clamp_(min, Double.NaN); }

    /** Clamps from below in place, like {@code x.clamp_(min)} with one positional argument. */
    public final Tensor clamp_(double min) { return clampMin_(min); }

    /** In-place {@code min(x, max)} ({@code x.clamp_(max=max)}). */
    public final Tensor clampMax_(double max) { return clamp_(Double.NaN, max); }

    /** In-place elementwise maximum with {@code other} (PyTorch's {@code torch.maximum(x, other, out=x)}). */
    public final Tensor maximum_(Tensor other) { return Pointwise.binaryInPlace(BinaryOp.MAXIMUM, this, other); }

    /** {@code this += value * t1 * t2} in place. */
    public final Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        return Pointwise.ternaryInPlace(TernaryOp.ADDCMUL, this, t1, t2, value, t -> t.add_(t1.mul(t2).mul(value)));
    }

    /** {@code this += t1 * t2} in place ({@code x.addcmul_(t1, t2)}, value = 1). */
    public final Tensor addcmul_(Tensor t1, Tensor t2) { return addcmul_(t1, t2, 1); }

    /** {@code this + value * t1 * t2} ({@code torch.addcmul}), in one pass. */
    public final Tensor addcmul(Tensor t1, Tensor t2, double value) {
        return Pointwise.ternary(TernaryOp.ADDCMUL, this, t1, t2, value, () -> add(t1.mul(t2).mul(value)));
    }

    /** {@code this + t1 * t2} ({@code torch.addcmul(x, t1, t2)}, value = 1). */
    public final Tensor addcmul(Tensor t1, Tensor t2) { return addcmul(t1, t2, 1); }

    /** {@code this + value * t1 / t2} ({@code torch.addcdiv}), in one pass. */
    public final Tensor addcdiv(Tensor t1, Tensor t2, double value) {
        return Pointwise.ternary(TernaryOp.ADDCDIV, this, t1, t2, value, () -> add(t1.mul(value).div(t2)));
    }

    /** {@code this + t1 / t2} ({@code torch.addcdiv(x, t1, t2)}, value = 1). */
    public final Tensor addcdiv(Tensor t1, Tensor t2) { return addcdiv(t1, t2, 1); }

    /** {@code this += value * t1 / t2} in place. */
    public final Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        return Pointwise.ternaryInPlace(TernaryOp.ADDCDIV, this, t1, t2, value, t -> t.add_(t1.mul(value).div(t2)));
    }

    /** {@code this += t1 / t2} in place ({@code x.addcdiv_(t1, t2)}, value = 1). */
    public final Tensor addcdiv_(Tensor t1, Tensor t2) { return addcdiv_(t1, t2, 1); }

    /** {@code this += weight * (end - this)} in place. */
    public final Tensor lerp_(Tensor end, double weight) { return add_(end.sub(this), weight); }

    /** Fills this tensor with zeros in place ({@code x.zero_()}). */
    public final Tensor zero_() { return Pointwise.fill_(this, 0); }

    /** Fills this tensor with {@code value} in place ({@code x.fill_(value)}). */
    public final Tensor fill_(double value) { return Pointwise.fill_(this, value); }

    // ---------------------------------------------------------------- comparison and logic

    /** Elementwise {@code this == other} as BOOL, with broadcasting ({@code torch.eq}). */
    public final Tensor eq(Tensor other) { return Pointwise.binary(BinaryOp.EQ, this, other); }

    /** Elementwise {@code this == value} as BOOL ({@code x == s}). */
    public final Tensor eq(double other) { return Pointwise.binary(BinaryOp.EQ, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this != other} as BOOL, with broadcasting ({@code torch.ne}). */
    public final Tensor ne(Tensor other) { return Pointwise.binary(BinaryOp.NE, this, other); }

    /** Elementwise {@code this != value} as BOOL ({@code x != s}). */
    public final Tensor ne(double other) { return Pointwise.binary(BinaryOp.NE, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this < other} as BOOL, with broadcasting ({@code torch.lt}). */
    public final Tensor lt(Tensor other) { return Pointwise.binary(BinaryOp.LT, this, other); }

    /** Elementwise {@code this < value} as BOOL ({@code x < s}). */
    public final Tensor lt(double other) { return Pointwise.binary(BinaryOp.LT, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this <= other} as BOOL, with broadcasting ({@code torch.le}). */
    public final Tensor le(Tensor other) { return Pointwise.binary(BinaryOp.LE, this, other); }

    /** Elementwise {@code this <= value} as BOOL ({@code x <= s}). */
    public final Tensor le(double other) { return Pointwise.binary(BinaryOp.LE, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this > other} as BOOL, with broadcasting ({@code torch.gt}). */
    public final Tensor gt(Tensor other) { return Pointwise.binary(BinaryOp.GT, this, other); }

    /** Elementwise {@code this > value} as BOOL ({@code x > s}). */
    public final Tensor gt(double other) { return Pointwise.binary(BinaryOp.GT, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise {@code this >= other} as BOOL, with broadcasting ({@code torch.ge}). */
    public final Tensor ge(Tensor other) { return Pointwise.binary(BinaryOp.GE, this, other); }

    /** Elementwise {@code this >= value} as BOOL ({@code x >= s}). */
    public final Tensor ge(double other) { return Pointwise.binary(BinaryOp.GE, this, Pointwise.scalarFor(this, other)); }

    /** Elementwise logical AND (nonzero is true) as BOOL ({@code torch.logical_and}). */
    public final Tensor logicalAnd(Tensor other) { return Pointwise.binary(BinaryOp.LOGICAL_AND, this, other); }

    /** Elementwise logical OR (nonzero is true) as BOOL ({@code torch.logical_or}). */
    public final Tensor logicalOr(Tensor other) { return Pointwise.binary(BinaryOp.LOGICAL_OR, this, other); }

    /** Elementwise logical XOR (nonzero is true) as BOOL ({@code torch.logical_xor}). */
    public final Tensor logicalXor(Tensor other) { return Pointwise.binary(BinaryOp.LOGICAL_XOR, this, other); }

    /** Elementwise logical NOT (nonzero is true) as BOOL ({@code torch.logical_not}). */
    public final Tensor logicalNot() { return Pointwise.unary(UnaryOp.LOGICAL_NOT, this); }

    /** BOOL mask of NaN elements ({@code torch.isnan}). */
    public final Tensor isnan() { return Pointwise.unary(UnaryOp.ISNAN, this); }

    /** BOOL mask of infinite elements ({@code torch.isinf}). */
    public final Tensor isinf() { return Pointwise.unary(UnaryOp.ISINF, this); }

    /** BOOL mask of finite elements ({@code torch.isfinite}). */
    public final Tensor isfinite() { return Pointwise.unary(UnaryOp.ISFINITE, this); }

    /** {@code cond ? a : b} elementwise with broadcasting ({@code torch.where}). */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) { return Pointwise.where(cond, a, b); }

    /** {@code a} where {@code cond} is true, else the scalar {@code b} ({@code torch.where(cond, a, b)}). */
    public static Tensor where(Tensor cond, Tensor a, double b) { return Pointwise.where(cond, a, Pointwise.scalarFor(a, b)); }

    /** The scalar {@code a} where {@code cond} is true, else {@code b} ({@code torch.where(cond, a, b)}). */
    public static Tensor where(Tensor cond, double a, Tensor b) { return Pointwise.where(cond, Pointwise.scalarFor(b, a), b); }

    /** {@code this} where {@code mask} is false, {@code value} where it is true. */
    public final Tensor maskedFill(Tensor mask, double value) { return Pointwise.maskedFill(this, mask, value); }

    /** In-place: sets elements where the BOOL {@code mask} is true to {@code value} ({@code x.masked_fill_}). */
    public final Tensor maskedFill_(Tensor mask, double value) { return Pointwise.inPlace(this, t -> t.maskedFill(mask, value)); }

    /** True when shapes and values are equal ({@code torch.equal}). */
    public final boolean equal(Tensor other) { return Pointwise.equal(this, other); }

    /** {@code |this - other| <= atol + rtol * |other|} everywhere (NaNs unequal). */
    public final boolean allclose(Tensor other, double rtol, double atol) { return Pointwise.allclose(this, other, rtol, atol); }

    /** True when all elements are close with {@code rtol=1e-5, atol=1e-8} ({@code torch.allclose}). */
    public final boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements as a 0-d tensor ({@code x.sum()}). */
    public final Tensor sum() { return Reduce.sum(this, Reduce.ALL, false); }

    /** Sum over {@code dim}, which is removed ({@code x.sum(dim)}). */
    public final Tensor sum(int dim) { return Reduce.sum(this, new int[]{dim}, false); }

    /** Sum over {@code dim}, kept with size 1 when {@code keepdim} ({@code x.sum(dim, keepdim)}). */
    public final Tensor sum(int dim, boolean keepdim) { return Reduce.sum(this, new int[]{dim}, keepdim); }

    /** Sum over several dims ({@code x.sum(dims, keepdim)}). */
    public final Tensor sum(int[] dims, boolean keepdim) { return Reduce.sum(this, dims, keepdim); }

    /** Sum over several dims, which are removed ({@code x.sum((0, 2))}). */
    public final Tensor sum(int[] dims) { return sum(dims, false); }

    /** Mean of all elements as a 0-d tensor ({@code x.mean()}). */
    public final Tensor mean() { return Reduce.mean(this, Reduce.ALL, false); }

    /** Mean over {@code dim}, which is removed ({@code x.mean(dim)}). */
    public final Tensor mean(int dim) { return Reduce.mean(this, new int[]{dim}, false); }

    /** Mean over {@code dim}, kept with size 1 when {@code keepdim} ({@code x.mean(dim, keepdim)}). */
    public final Tensor mean(int dim, boolean keepdim) { return Reduce.mean(this, new int[]{dim}, keepdim); }

    /** Mean over several dims ({@code x.mean(dims, keepdim)}). */
    public final Tensor mean(int[] dims, boolean keepdim) { return Reduce.mean(this, dims, keepdim); }

    /** Mean over several dims, which are removed ({@code x.mean((2, 3))}). */
    public final Tensor mean(int[] dims) { return mean(dims, false); }

    /** Product of all elements as a 0-d tensor ({@code x.prod()}). */
    public final Tensor prod() { return Reduce.prod(this, Reduce.ALL, false); }

    /** Product over {@code dim} ({@code x.prod(dim, keepdim)}). */
    public final Tensor prod(int dim, boolean keepdim) { return Reduce.prod(this, new int[]{dim}, keepdim); }

    /** Product over {@code dim}, which is removed ({@code x.prod(dim)}). */
    public final Tensor prod(int dim) { return prod(dim, false); }

    /** The largest element (0-d). */
    public final Tensor max() { return Reduce.amax(this, Shapes.allDims(dim()), false, "max"); }

    /** Largest values along {@code dim} and their indices. */
    public final ValuesIndices max(int dim) { return Reduce.maxDim(this, dim, false, true); }

    /** Largest values along {@code dim} and their indices, keeping {@code dim} when {@code keepdim} ({@code x.max(dim, keepdim)}). */
    public final ValuesIndices max(int dim, boolean keepdim) { return Reduce.maxDim(this, dim, keepdim, true); }

    /** The smallest element (0-d) ({@code x.min()}). */
    public final Tensor min() { return Reduce.amin(this, Shapes.allDims(dim()), false, "min"); }

    /** Smallest values along {@code dim} and their indices ({@code x.min(dim)}). */
    public final ValuesIndices min(int dim) { return Reduce.maxDim(this, dim, false, false); }

    /** Smallest values along {@code dim} and their indices, keeping {@code dim} when {@code keepdim} ({@code x.min(dim, keepdim)}). */
    public final ValuesIndices min(int dim, boolean keepdim) { return Reduce.maxDim(this, dim, keepdim, false); }

    /** Maximum over several dims, values only ({@code torch.amax(x, dims, keepdim)}). */
    public final Tensor amax(int[] dims, boolean keepdim) { return Reduce.amax(this, dims, keepdim, "amax"); }

    /** The largest element, 0-d ({@code x.amax()}). */
    public final Tensor amax() { return amax(Shapes.allDims(dim()), false); }

    /** Maximum over {@code dim}, values only, dim removed ({@code x.amax(dim)}). */
    public final Tensor amax(int dim) { return amax(new int[]{dim}, false); }

    /** Maximum over {@code dim}, values only ({@code x.amax(dim, keepdim)}). */
    public final Tensor amax(int dim, boolean keepdim) { return amax(new int[]{dim}, keepdim); }

    /** Maximum over several dims, values only, dims removed ({@code x.amax((2, 3))}). */
    public final Tensor amax(int[] dims) { return amax(dims, false); }

    /** Minimum over several dims, values only ({@code torch.amin(x, dims, keepdim)}). */
    public final Tensor amin(int[] dims, boolean keepdim) { return Reduce.amin(this, dims, keepdim, "amin"); }

    /** The smallest element, 0-d ({@code x.amin()}). */
    public final Tensor amin() { return amin(Shapes.allDims(dim()), false); }

    /** Minimum over {@code dim}, values only, dim removed ({@code x.amin(dim)}). */
    public final Tensor amin(int dim) { return amin(new int[]{dim}, false); }

    /** Minimum over {@code dim}, values only ({@code x.amin(dim, keepdim)}). */
    public final Tensor amin(int dim, boolean keepdim) { return amin(new int[]{dim}, keepdim); }

    /** Minimum over several dims, values only, dims removed ({@code x.amin((2, 3))}). */
    public final Tensor amin(int[] dims) { return amin(dims, false); }

    /** Index of the largest element of the flattened tensor. */
    public final Tensor argmax() { return Reduce.maxDim("argmax", reshape(-1), 0, false, true).indices(); }

    /** INT64 indices of the largest values along {@code dim} ({@code x.argmax(dim)}). */
    public final Tensor argmax(int dim) { return Reduce.maxDim("argmax", this, dim, false, true).indices(); }

    /** INT64 indices of the largest values along {@code dim}, kept when {@code keepdim} ({@code x.argmax(dim, keepdim)}). */
    public final Tensor argmax(int dim, boolean keepdim) { return Reduce.maxDim("argmax", this, dim, keepdim, true).indices(); }

    /** INT64 index of the smallest element in the flattened tensor ({@code x.argmin()}). */
    public final Tensor argmin() { return Reduce.maxDim("argmin", reshape(-1), 0, false, false).indices(); }

    /** INT64 indices of the smallest values along {@code dim} ({@code x.argmin(dim)}). */
    public final Tensor argmin(int dim) { return Reduce.maxDim("argmin", this, dim, false, false).indices(); }

    /** INT64 indices of the smallest values along {@code dim}, kept when {@code keepdim} ({@code x.argmin(dim, keepdim)}). */
    public final Tensor argmin(int dim, boolean keepdim) { return Reduce.maxDim("argmin", this, dim, keepdim, false).indices(); }

    /** Variance, unbiased (Bessel's correction) like {@code torch.var}. */
    public final Tensor var() { return Reduce.var(this, Shapes.allDims(dim()), true, false); }

    /** Variance of all elements, with Bessel's correction when {@code unbiased} ({@code x.var(unbiased=...)}). */
    public final Tensor var(boolean unbiased) { return Reduce.var(this, Shapes.allDims(dim()), unbiased, false); }

    /** Variance over {@code dim} ({@code x.var(dim, unbiased=..., keepdim=...)}). */
    public final Tensor var(int dim, boolean unbiased, boolean keepdim) { return Reduce.var(this, new int[]{dim}, unbiased, keepdim); }

    /** Unbiased variance over {@code dim}, which is removed ({@code x.var(dim)}). */
    public final Tensor var(int dim) { return var(dim, true, false); }

    /** Variance over {@code dim}, which is removed ({@code x.var(dim, unbiased)}). */
    public final Tensor var(int dim, boolean unbiased) { return var(dim, unbiased, false); }

    /** Variance over several dims ({@code x.var(dims, unbiased=..., keepdim=...)}). */
    public final Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reduce.var(this, dims, unbiased, keepdim); }

    /** Unbiased variance over several dims, which are removed ({@code x.var((0, 1))}). */
    public final Tensor var(int[] dims) { return var(dims, true, false); }

    /** Unbiased standard deviation of all elements ({@code x.std()}). */
    public final Tensor std() { return Reduce.std(this, Shapes.allDims(dim()), true, false); }

    /** Standard deviation of all elements, with Bessel's correction when {@code unbiased} ({@code x.std(unbiased=...)}). */
    public final Tensor std(boolean unbiased) { return Reduce.std(this, Shapes.allDims(dim()), unbiased, false); }

    /** Standard deviation over {@code dim} ({@code x.std(dim, unbiased=..., keepdim=...)}). */
    public final Tensor std(int dim, boolean unbiased, boolean keepdim) { return Reduce.std(this, new int[]{dim}, unbiased, keepdim); }

    /** Unbiased standard deviation over {@code dim}, which is removed ({@code x.std(dim)}). */
    public final Tensor std(int dim) { return std(dim, true, false); }

    /** Standard deviation over {@code dim}, which is removed ({@code x.std(dim, unbiased)}). */
    public final Tensor std(int dim, boolean unbiased) { return std(dim, unbiased, false); }

    /** Standard deviation over several dims ({@code torch.std(x, dims, unbiased, keepdim)}). */
    public final Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return Reduce.std(this, dims, unbiased, keepdim); }

    /** Unbiased standard deviation over several dims, which are removed ({@code x.std((0, 1))}). */
    public final Tensor std(int[] dims) { return std(dims, true, false); }

    /** {@code log(sum(exp(x)))} along {@code dim}, computed without overflow. */
    public final Tensor logsumexp(int dim, boolean keepdim) { return Reduce.logsumexp(this, dim, keepdim); }

    /** {@code log(sum(exp(x)))} along {@code dim}, which is removed ({@code x.logsumexp(dim)}). */
    public final Tensor logsumexp(int dim) { return logsumexp(dim, false); }

    /** Softmax along {@code dim} ({@code torch.softmax(x, dim)}). */
    public final Tensor softmax(int dim) { return Reduce.softmax(this, dim); }

    /** Log-softmax along {@code dim}, numerically stable ({@code torch.log_softmax(x, dim)}). */
    public final Tensor logSoftmax(int dim) { return Reduce.logSoftmax(this, dim); }

    /** True (BOOL 0-d) when every element is non-zero. */
    public final Tensor all() { return Reduce.logical(this, Shapes.allDims(dim()), false, true); }

    /** BOOL: whether all elements along {@code dim} are nonzero ({@code x.all(dim)}). */
    public final Tensor all(int dim) { return Reduce.logical(this, new int[]{dim}, false, true); }

    /** BOOL 0-d: whether any element is nonzero ({@code x.any()}). */
    public final Tensor any() { return Reduce.logical(this, Shapes.allDims(dim()), false, false); }

    /** BOOL: whether any element along {@code dim} is nonzero ({@code x.any(dim)}). */
    public final Tensor any(int dim) { return Reduce.logical(this, new int[]{dim}, false, false); }

    /** The p-norm of all elements ({@code torch.linalg.vector_norm}); p may be infinite. */
    public final Tensor norm(double p) { return Reduce.norm(this, p); }

    /** Euclidean (2-) norm of all elements as a 0-d tensor ({@code x.norm()}). */
    public final Tensor norm() { return norm(2); }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product with PyTorch's rules for 1-D operands and batch broadcasting. */
    public final Tensor matmul(Tensor other) { return LinAlg.matmul(this, other); }

    /** Product of two 2-D matrices. */
    public final Tensor mm(Tensor other) { return LinAlg.mm(this, other); }

    /**
     * {@code this + mat1 @ mat2} for 2-D matrices, with {@code this} broadcast to the product's shape
     * ({@code torch.addmm(input, mat1, mat2)}): one gemm that accumulates onto the broadcast input.
     * <pre>{@code Tensor y = bias.addmm(x, weight.t());   // F.linear(x, weight, bias)}</pre>
     */
    public final Tensor addmm(Tensor mat1, Tensor mat2) { return LinAlg.addmm(this, mat1, mat2); }

    /** Batched product of 3-D tensors {@code [B,N,M] @ [B,M,P]}. */
    public final Tensor bmm(Tensor other) { return LinAlg.bmm(this, other); }

    /** Inner product of two 1-D tensors. */
    public final Tensor dot(Tensor other) { return LinAlg.dot(this, other); }

    /** Outer product of two 1-D tensors. */
    public final Tensor outer(Tensor other) { return LinAlg.outer(this, other); }

    /** Transpose of a tensor of at most 2 dimensions. */
    public final Tensor t() {
        if (dim() > 2) throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, but got " + dim() + "-D " + java.util.Arrays.toString(shape));
        return dim() < 2 ? this.alias(shape, strides, offset).linkView(this, "TBackward0", g -> g.t()) : Shapes.transpose(this, 0, 1, "TBackward0");
    }

    // ---------------------------------------------------------------- shapes and views

    /** A view with another shape; -1 infers one size. Fails when the layout cannot be viewed. */
    public final Tensor view(int... newShape) { return Shapes.view(this, newShape); }

    /** Like {@link #view} but copies when the layout requires it. */
    public final Tensor reshape(int... newShape) { return Shapes.reshape(this, newShape); }

    /** A view with {@code other}'s shape ({@code x.view_as(other)}); throws when the strides do not allow a view. */
    public final Tensor viewAs(Tensor other) { return view(other.shape); }

    /** Reshaped to {@code other}'s shape, a view when possible ({@code x.reshape_as(other)}). */
    public final Tensor reshapeAs(Tensor other) { return reshape(other.shape); }

    /** {@code x[start:end]} along {@code dim}: a view. Bounds are clamped like Python slices; negatives count from the end. */
    public final Tensor slice(int dim, int start, int end) { return Shapes.slice(this, dim, start, end, 1); }

    /** View of {@code start:end:step} along {@code dim} ({@code x[..., start:end:step]}); indices are clamped like Python slices. */
    public final Tensor slice(int dim, int start, int end, int step) { return Shapes.slice(this, dim, start, end, step); }

    /** {@code x[..., index, ...]}: removes {@code dim}. */
    public final Tensor select(int dim, int index) { return Shapes.select(this, dim, index); }

    /** View of {@code length} elements along {@code dim} from {@code start} ({@code x.narrow(dim, start, length)}). */
    public final Tensor narrow(int dim, int start, int length) { return Shapes.narrow(this, dim, start, length); }

    /** View with {@code dim0} and {@code dim1} swapped ({@code x.transpose(dim0, dim1)}). */
    public final Tensor transpose(int dim0, int dim1) { return Shapes.transpose(this, dim0, dim1); }

    /** View with the dims reordered ({@code x.permute(*dims)}); {@code dims} must be a permutation. */
    public final Tensor permute(int... dims) { return Shapes.permute(this, dims); }

    /** Broadcasts size-1 dimensions to {@code sizes} without copying; -1 keeps a size. */
    public final Tensor expand(int... sizes) { return Shapes.expand(this, sizes); }

    /** View broadcast to {@code other}'s shape without copying ({@code x.expand_as(other)}). */
    public final Tensor expandAs(Tensor other) { return expand(other.shape); }

    /** View with all size-1 dims removed ({@code x.squeeze()}). */
    public final Tensor squeeze() { return Shapes.squeeze(this, null); }

    /** View with {@code dim} removed if it has size 1, else unchanged ({@code x.squeeze(dim)}). */
    public final Tensor squeeze(int dim) { return Shapes.squeeze(this, dim); }

    /** View with a size-1 dim inserted at {@code dim} ({@code x.unsqueeze(dim)}). */
    public final Tensor unsqueeze(int dim) { return Shapes.unsqueeze(this, dim); }

    /** 1-D tensor of all elements, a view when possible ({@code x.flatten()}). */
    public final Tensor flatten() { return flatten(0, -1); }

    /** Merges dims {@code startDim..-1} into one ({@code x.flatten(start_dim)}). */
    public final Tensor flatten(int startDim) { return flatten(startDim, -1); }

    /** Merges dims {@code startDim..endDim} (inclusive) into one ({@code x.flatten(start_dim, end_dim)}). */
    public final Tensor flatten(int startDim, int endDim) { return Shapes.flatten(this, startDim, endDim); }

    /** Splits {@code dim} into {@code sizes}, one of which may be -1 ({@code x.unflatten(dim, sizes)}). */
    public final Tensor unflatten(int dim, int... sizes) { return Shapes.unflatten(this, dim, sizes); }

    /** This tensor if already contiguous, else a contiguous copy. */
    public final Tensor contiguous() { return isContiguous() ? this : clone(); }

    /** A copy with its own memory; gradients flow back to this tensor. */
    @Override public final Tensor clone() { return Pointwise.cloneOp(this); }

    /** Tiles the tensor ({@code x.repeat(2, 1)}). */
    public final Tensor repeat(int... repeats) { return Shapes.repeat(this, repeats); }

    /** Copy with the order of elements reversed along {@code dims} ({@code torch.flip}). */
    public final Tensor flip(int... dims) { return Shapes.flip(this, dims); }

    /** Concatenates tensors along an existing {@code dim}; other dims must match ({@code torch.cat}). */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Shapes.cat(tensors, dim); }

    /** Concatenates tensors along dim 0 ({@code torch.cat(tensors)}). */
    public static Tensor cat(List<Tensor> tensors) { return Shapes.cat(tensors, 0); }

    /** Stacks same-shape tensors along a new {@code dim} ({@code torch.stack}). */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Shapes.stack(tensors, dim); }

    /** Stacks same-shape tensors along a new dim 0 ({@code torch.stack(tensors)}). */
    public static Tensor stack(List<Tensor> tensors) { return Shapes.stack(tensors, 0); }

    /** Pieces of {@code splitSize} along {@code dim} (the last may be smaller); views. */
    public final List<Tensor> split(int splitSize, int dim) { return Shapes.split(this, splitSize, dim); }

    /** Pieces of {@code splitSize} along dim 0 ({@code x.split(splitSize)}). */
    public final List<Tensor> split(int splitSize) { return split(splitSize, 0); }

    /** Views of the given sizes along {@code dim}; the sizes must sum to the dim's size ({@code x.split(sizes, dim)}). */
    public final List<Tensor> split(int[] sizes, int dim) { return Shapes.split(this, sizes, dim); }

    /** Views of the given sizes along dim 0 ({@code x.split(sizes)}). */
    public final List<Tensor> split(int[] sizes) { return split(sizes, 0); }

    /** Up to {@code chunks} views of (nearly) equal size along {@code dim} ({@code x.chunk(chunks, dim)}). */
    public final List<Tensor> chunk(int chunks, int dim) { return Shapes.chunk(this, chunks, dim); }

    /** Up to {@code chunks} views along dim 0 ({@code x.chunk(chunks)}). */
    public final List<Tensor> chunk(int chunks) { return chunk(chunks, 0); }

    /** Views of each slice along {@code dim}, with {@code dim} removed ({@code x.unbind(dim)}). */
    public final List<Tensor> unbind(int dim) { return Shapes.unbind(this, dim); }

    /** Views of each slice along dim 0 ({@code x.unbind()}). */
    public final List<Tensor> unbind() { return unbind(0); }

    // ---------------------------------------------------------------- indexing

    /** Entries along {@code dim} at the INT64 1-D {@code index} ({@code x.index_select(dim, index)}). */
    public final Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    /** Values gathered along {@code dim} at INT64 {@code index}, which gives the output shape ({@code torch.gather}). */
    public final Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** A copy with {@code src} values written at {@code index} along {@code dim}. */
    public final Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false); }

    /** Copy with {@code value} written along {@code dim} at {@code index} ({@code x.scatter(dim, index, value)}). */
    public final Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatter(this, dim, index, Factory.full(index.shape, value, dtype, device()), false); }

    /** Copy with {@code src} added along {@code dim} at {@code index}; duplicates accumulate ({@code x.scatter_add}). */
    public final Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true); }

    /** In-place: writes {@code src} along {@code dim} at {@code index} ({@code x.scatter_(dim, index, src)}). */
    public final Tensor scatter_(int dim, Tensor index, Tensor src) { return Pointwise.inPlace(this, t -> t.scatter(dim, index, src)); }

    /** In-place: adds {@code src} along {@code dim} at {@code index} ({@code x.scatter_add_}). */
    public final Tensor scatterAdd_(int dim, Tensor index, Tensor src) { return Pointwise.inPlace(this, t -> t.scatterAdd(dim, index, src)); }

    /** A copy with {@code src} slices added at {@code index} along {@code dim}. */
    public final Tensor indexAdd(int dim, Tensor index, Tensor src) { return Indexing.indexAdd(this, dim, index, src); }

    /** The elements where {@code mask} is true, as a 1-D tensor. */
    public final Tensor maskedSelect(Tensor mask) { return Indexing.maskedSelect(this, mask); }

    /** Coordinates of non-zero elements, {@code [n, dim]} INT64. */
    public final Tensor nonzero() { return Indexing.nonzero(this); }

    /** One-hot encoding of an INT64 tensor of class indices; {@code numClasses} -1 infers it. */
    public final Tensor oneHot(int numClasses) { return Indexing.oneHot(this, numClasses); }

    /** One-hot encoding with the number of classes inferred from the largest index ({@code F.one_hot(x)}). */
    public final Tensor oneHot() { return oneHot(-1); }

    /** The {@code k} largest values along the last dim, sorted, and their indices ({@code x.topk(k)}). */
    public final ValuesIndices topk(int k) { return Indexing.topk(this, k, -1, true, true); }

    /** The {@code k} largest (or smallest) values along {@code dim} and their indices ({@code x.topk(k, dim, largest, sorted)}). */
    public final ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) { return Indexing.topk(this, k, dim, largest, sorted); }

    /** The {@code k} largest values along {@code dim}, sorted, and their indices ({@code x.topk(k, dim)}). */
    public final ValuesIndices topk(int k, int dim) { return topk(k, dim, true, true); }

    /** The {@code k} largest (or smallest) values along {@code dim}, sorted, and their indices ({@code x.topk(k, dim, largest)}). */
    public final ValuesIndices topk(int k, int dim, boolean largest) { return topk(k, dim, largest, true); }

    /** Values sorted along {@code dim} and the INT64 indices that sort them ({@code x.sort(dim, descending)}). */
    public final ValuesIndices sort(int dim, boolean descending) { return Indexing.sort(this, dim, descending); }

    /** Values sorted ascending along {@code dim} and their indices ({@code x.sort(dim)}). */
    public final ValuesIndices sort(int dim) { return sort(dim, false); }

    /** Values sorted ascending along the last dim and their indices ({@code x.sort()}). */
    public final ValuesIndices sort() { return sort(-1, false); }

    /** INT64 indices that sort along {@code dim} ({@code x.argsort(dim, descending)}). */
    public final Tensor argsort(int dim, boolean descending) { return sort(dim, descending).indices(); }

    /** INT64 indices that sort ascending along the last dim ({@code x.argsort()}). */
    public final Tensor argsort() { return argsort(-1, false); }

    /** INT64 indices that sort ascending along {@code dim} ({@code x.argsort(dim)}). */
    public final Tensor argsort(int dim) { return argsort(dim, false); }

    // ---------------------------------------------------------------- convolution helpers

    /**
     * Extracts sliding blocks ({@code torch.nn.functional.unfold}): {@code [N, C, H, W]} to
     * {@code [N, C*kh*kw, L]}. The building block of convolution and pooling.
     */
    public final Tensor unfold2d(int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        return Conv2d.unfold(this, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    /** The adjoint of {@link #unfold2d} ({@code torch.nn.functional.fold}): sums blocks back into {@code [N, C, H, W]}. */
    public final Tensor fold2d(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw) {
        return Conv2d.fold(this, h, w, kh, kw, sh, sw, ph, pw, dh, dw);
    }

    // ---------------------------------------------------------------- conversion

    /** This tensor in another dtype (a copy; the same tensor when the dtype already matches). */
    public final Tensor to(DType target) { return Pointwise.cast(this, target); }

    /** {@code x.half()}: a FLOAT16 copy (or this tensor when it already is one), rounded to nearest even. */
    public final Tensor half() { return to(DType.FLOAT16); }

    /** {@code x.bfloat16()}: a BFLOAT16 copy (or this tensor when it already is one), rounded to nearest even. */
    public final Tensor bfloat16() { return to(DType.BFLOAT16); }

    /** {@code x.float()} (a Java keyword, hence the underscore): a FLOAT32 copy, or this tensor when it already is one. */
    public final Tensor float_() { return to(DType.FLOAT32); }

    /** {@code x.double()} (a Java keyword, hence the underscore): a FLOAT64 copy, or this tensor when it already is one. */
    public final Tensor double_() { return to(DType.FLOAT64); }

    /** This tensor on another device: a copy (differentiable), or this tensor when it is there already. */
    public final Tensor to(Device target) {
        if (Args.notNull("to", "device", target).equals(device())) return this;
        return DeviceCopy.to(this, target);
    }

    /** Moved to {@code target} and converted to {@code dtype} ({@code x.to(device, dtype)}). */
    public final Tensor to(Device target, DType dtype) { return to(target).to(dtype); }

    /** The value of a one-element tensor, as a double. */
    public final double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: a Tensor with " + numel() + " elements cannot be converted to a scalar");
        }
        try {
            return switch (dtype) {
                case FLOAT32, FLOAT16, BFLOAT16 -> ((float[]) backend().read(view()))[0];
                case FLOAT64 -> ((double[]) backend().read(view()))[0];
                case INT64 -> ((long[]) backend().read(view()))[0];
                case INT32 -> ((int[]) backend().read(view()))[0];
                case BOOL -> ((boolean[]) backend().read(view()))[0] ? 1 : 0;
            };
        } finally {
            Reference.reachabilityFence(this); // a temporary's memory must not go back to the pool mid-read
        }
    }

    /** The exact value of a one-element integer tensor. */
    public final long longItem() {
        if (numel() != 1) {
            throw new IllegalStateException("longItem: a Tensor with " + numel() + " elements cannot be converted to a scalar");
        }
        try {
            return dtype == DType.INT64 ? ((long[]) backend().read(view()))[0] : (long) item();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** A copy of the elements in row-major order, converted to float. */
    public final float[] toFloatArray() { return (float[]) readAs("toFloatArray", DType.FLOAT32); }

    /** All elements in row-major order as doubles (copied, converted from the dtype). */
    public final double[] toDoubleArray() { return (double[]) readAs("toDoubleArray", DType.FLOAT64); }

    /** All elements in row-major order as longs (copied, converted from the dtype). */
    public final long[] toLongArray() { return (long[]) readAs("toLongArray", DType.INT64); }

    /** All elements in row-major order as ints (copied, converted from the dtype). */
    public final int[] toIntArray() { return (int[]) readAs("toIntArray", DType.INT32); }

    /** All elements in row-major order as booleans (copied; nonzero is true). */
    public final boolean[] toBooleanArray() { return (boolean[]) readAs("toBooleanArray", DType.BOOL); }

    /**
     * The values as a Java array of {@code t}'s type. Both tensors stay reachable until the native read
     * ends: a temporary such as {@code x.mul(3)} is otherwise collectable while its memory is still read,
     * and the Cleaner could hand that memory to another tensor mid-read.
     */
    private Object readAs(String op, DType t) {
        Factory.hostCount(op, this);
        Tensor c = to(t);
        try {
            return backend().read(c.view());
        } finally {
            Reference.reachabilityFence(c);
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The elements in row-major order as raw bytes in {@code order}, in a new heap buffer (position 0, limit
     * {@code numel() * dtype().byteSize()}); a non-contiguous tensor gives its contiguous values.
     *
     * <pre>{@code ByteBuffer le = w.toByteBuffer(ByteOrder.LITTLE_ENDIAN);   // as safetensors stores it}</pre>
     */
    public final ByteBuffer toByteBuffer(ByteOrder order) {
        long bytes = numel() * dtype.byteSize();
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalStateException("toByteBuffer: " + describe() + " holds " + bytes + " bytes, more than a ByteBuffer can");
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(order);
        if (bytes == 0) return out;
        if (isContiguous()) {
            backend().readBytes(view(), out);
            Reference.reachabilityFence(this);
        } else {
            try (var off = GradMode.set(false); Tensor c = detach().clone()) {
                c.backend().readBytes(c.view(), out);
            }
        }
        return out;
    }

    /**
     * A new CPU tensor of {@code dtype} and {@code shape} over a copy of the raw bytes of {@code src}, read
     * from its position in its byte order (the position is left unchanged).
     *
     * <pre>{@code Tensor w = Tensor.fromByteBuffer(bytes.order(ByteOrder.LITTLE_ENDIAN), DType.FLOAT32, 3, 4);}</pre>
     */
    public static Tensor fromByteBuffer(ByteBuffer src, DType dtype, int... shape) {
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("fromByteBuffer: negative dimension in shape " + java.util.Arrays.toString(shape));
        }
        long bytes = Shapes.storageBytes("fromByteBuffer", shape, dtype);
        if (src.remaining() < bytes) {
            throw new IllegalArgumentException("fromByteBuffer: shape " + java.util.Arrays.toString(shape) + " of " + dtype
                    + " needs " + bytes + " bytes but the buffer has " + src.remaining());
        }
        Tensor t = empty("fromByteBuffer", dtype, Device.CPU, shape);
        if (bytes > 0) t.backend().writeBytes(t.view(), src);
        return t;
    }

    /** Prints like PyTorch: {@code tensor([[0.1234, 1.0000]], requires_grad=True)}. */
    @Override public String toString() { return Formatter.format(this); }

    /**
     * Releases this tensor's reference to its data now; the memory returns to the pool once no view uses
     * it. Using a closed tensor throws. Closing twice is harmless.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        Scope.forget(this);
        storage.release();
    }

    // ---------------------------------------------------------------- helpers for views with autograd

    /** Records {@code this} (a fresh alias) as a view of {@code base} with the given gradient formula. */
    final Tensor linkView(Tensor base, String name, UnaryOperator<Tensor> backward) {
        Autograd.record(name, this, base, (g, needs) -> new Tensor[]{backward.apply(g)});
        // the root and its node as this history knows them: in-place changes through views and rebasing
        // of stale views rely on them (ViewInPlace)
        viewRoot = base.viewRoot != null ? base.viewRoot : base;
        rootFnAtView = base.viewRoot != null ? base.rootFnAtView : base.gradFn();
        return this;
    }

    static List<Tensor> listOf(Tensor... ts) { return new ArrayList<>(List.of(ts)); }
}
