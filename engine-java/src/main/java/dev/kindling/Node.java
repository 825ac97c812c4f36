package dev.kindling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One recorded op on the tape ({@code grad_fn}): where its input gradients go, the formula, and the
 * tensors it saved together with their versions, so an in-place change after recording is caught.
 */
class Node implements GradFn {
    final String name;
    final Node[] next;
    final int[][] inputShapes;
    final DType[] inputDTypes;
    final boolean[] needs;
    private Backward fn;
    private Tensor[] saved;
    private int[] savedVersions;
    private boolean released;
    final long sequence;
    List<UnaryOperator<Tensor>> hooks;
    Tensor retainGradOf;
    /**
     * For slice and select nodes: where the output lies in the input, so that backward can add the
     * gradient straight into that region of the input's gradient (see Engine) instead of padding it with
     * zeros to the input's size; unbind over n steps then costs one pass over the input, not n.
     */
    record SliceRegion(int dim, int start, int length, int step, boolean selected) {}

    SliceRegion region;
    /** In anomaly mode, where the forward op was called (PyTorch prints that traceback too). */
    final Throwable creation;

    private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

    Node(String name, Tensor[] inputs, Backward fn, Tensor[] saved) {
        this.name = name;
        this.fn = fn;
        this.sequence = SEQUENCE.incrementAndGet();
        this.creation = GradMode.anomalyEnabled() ? new Throwable("forward call that recorded " + name) : null;
        int n = inputs.length;
        next = new Node[n];
        inputShapes = new int[n][];
        inputDTypes = new DType[n];
        needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t != null && t.requiresGrad()) {
                next[i] = t.gradEdge();
                needs[i] = true;
            }
            if (t != null) {
                inputShapes[i] = t.shape();
                inputDTypes[i] = t.dtype();
            }
        }
        this.saved = saved;
        this.savedVersions = new int[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].version();
    }

    /** For leaves: a node without a formula that adds incoming gradients into {@code .grad}. */
    Node(String name) {
        this.name = name;
        this.next = new Node[0];
        this.inputShapes = new int[0][];
        this.inputDTypes = new DType[0];
        this.needs = new boolean[0];
        this.sequence = SEQUENCE.incrementAndGet();
        this.creation = null;
        this.saved = new Tensor[0];
        this.savedVersions = new int[0];
    }

    Tensor[] apply(Tensor grad) {
        if (released) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly"
                    + " access saved tensors after they have already been freed) at " + name + ". Specify"
                    + " retainGraph=true if you need to backward through the graph a second time.");
        }
        for (int i = 0; i < saved.length; i++) {
            if (saved[i].version() != savedVersions[i]) {
                Tensor t = saved[i];
                throw new IllegalStateException("one of the variables needed for gradient computation has been"
                        + " modified by an inplace operation: [" + t.dtype().torchName() + " "
                        + java.util.Arrays.toString(t.shape()) + "], which is used by " + name + ", is at version "
                        + t.version() + "; expected version " + savedVersions[i] + " instead.");
            }
        }
        return fn.apply(grad, needs);
    }

    /**
     * Frees what backward saved. Like PyTorch, only a node that saved tensors refuses a second backward;
     * one that saved none (add, views, cat) can run again, so a view taken once outside a training
     * loop ({@code wt = w.t()}) still works in every iteration.
     */
    void release() {
        if (saved.length == 0) return;
        released = true;
        fn = null;
        saved = new Tensor[0];
        savedVersions = new int[0];
    }

    boolean isAccumulator() { return false; }

    void addHook(UnaryOperator<Tensor> hook) {
        if (hooks == null) hooks = new ArrayList<>();
        hooks.add(hook);
    }

    @Override public String name() { return name; }

    @Override public List<GradFn> nextFunctions() { return java.util.Collections.unmodifiableList(java.util.Arrays.asList(next)); }

    @Override public String toString() { return "<" + name + " object>"; }

    /** The sink of a leaf tensor's gradients. */
    static final class Accumulate extends Node {
        final Tensor leaf;

        Accumulate(Tensor leaf) {
            super("AccumulateGrad");
            this.leaf = leaf;
        }

        @Override boolean isAccumulator() { return true; }
    }
}
