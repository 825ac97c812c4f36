package dev.kindling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Runs backward: collects the graph below the roots iteratively (no recursion, so long chains cannot
 * overflow the stack), then executes nodes once all of their consumers have contributed, newest first,
 * summing incoming gradients and reducing broadcast ones back to the input's shape.
 */
final class Engine {
    private Engine() {}

    /**
     * @param inputs null for {@code backward()} (gradients go into leaves' {@code .grad}); otherwise the
     *               tensors whose gradients {@code Kindling.grad} returns, with {@code .grad} untouched
     */
    static Tensor[] run(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                        Tensor[] inputs, boolean allowUnused) {
        // PyTorch runs backward on its own threads, where autocast is off: so here, even when called inside a region
        try (Kindling.Guard noAutocast = Autocast.suspend()) {
            return runGraph(roots, rootGrads, retainGraph, createGraph, inputs, allowUnused);
        }
    }

    private static Tensor[] runGraph(Tensor[] roots, Tensor[] rootGrads, boolean retainGraph, boolean createGraph,
                                     Tensor[] inputs, boolean allowUnused) {
        Map<Node, Integer> dependencies = new IdentityHashMap<>();
        Map<Node, Tensor> pending = new IdentityHashMap<>();
        Deque<Node> stack = new ArrayDeque<>();
        for (int i = 0; i < roots.length; i++) {
            Tensor r = roots[i];
            if (!r.requiresGrad()) {
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not"
                        + " have a grad_fn");
            }
            if (r.viewRoot != null) ViewInPlace.refresh(r, null);
            Node n = r.gradEdge();
            if (!dependencies.containsKey(n)) {
                dependencies.put(n, 0);
                stack.push(n);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node next : n.next) {
                if (next == null) continue;
                Integer d = dependencies.get(next);
                if (d == null) {
                    dependencies.put(next, 1);
                    stack.push(next);
                } else {
                    dependencies.put(next, d + 1);
                }
            }
        }
        // a node may be asked for several times (Kindling.grad(y, List.of(x, x)))
        Map<Node, List<Integer>> captures = new IdentityHashMap<>();
        Tensor[] results = inputs == null ? null : new Tensor[inputs.length];
        if (inputs != null) {
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].requiresGrad()) {
                    throw new IllegalStateException("Kindling.grad: input " + i + " does not require grad");
                }
                captures.computeIfAbsent(inputs[i].gradEdge(), k -> new ArrayList<>()).add(i);
            }
        }
        // Kindling.grad runs only the nodes through which a requested input is reached, as PyTorch does:
        // the rest of the graph is neither computed nor freed (another backward may still need it)
        Set<Node> execute = inputs == null ? null : leadingTo(captures.keySet(), dependencies, roots);
        // pending gradients this engine created itself (sums, region buffers): only these may be added to in
        // place; any other tensor may be shared with a formula's other outputs or belong to the caller
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        try (var mode = GradMode.set(createGraph)) {
            for (int i = 0; i < roots.length; i++) {
                accumulate(pending, owned, roots[i].gradEdge(), rootGrads[i], createGraph);
            }
            PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequence, a.sequence));
            for (Tensor r : roots) {
                Node n = r.gradEdge();
                if (dependencies.get(n) == 0 && !ready.contains(n)) ready.add(n);
            }
            List<Node> done = new ArrayList<>();
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor grad = pending.remove(node);
                if (grad != null) owned.remove(grad);
                if (grad != null) {
                    if (node.hooks != null) {
                        for (var hook : node.hooks) {
                            Tensor replaced = hook.apply(grad);
                            if (replaced != null && !java.util.Arrays.equals(replaced.shape(), grad.shape())) {
                                throw new IllegalStateException("hook: a hook on the gradient of " + node.name
                                        + " returned shape " + java.util.Arrays.toString(replaced.shape())
                                        + " but the gradient has shape " + java.util.Arrays.toString(grad.shape()));
                            }
                            if (replaced != null) grad = replaced;
                        }
                    }
                    if (node.retainGradOf != null) node.retainGradOf.accumulateGrad(grad, createGraph);
                    List<Integer> capture = captures.get(node);
                    if (capture != null) {
                        for (int i : capture) results[i] = grad;
                    }
                    if (node.isAccumulator()) {
                        if (inputs == null) {
                            Tensor leaf = ((Node.Accumulate) node).leaf;
                            // two threads may backward into the same parameter (PyTorch locks here too)
                            synchronized (leaf) {
                                leaf.accumulateGrad(grad, createGraph);
                            }
                        }
                    } else if (node.region != null && !createGraph && node.next[0] != null
                            && (execute == null || execute.contains(node))) {
                        if (GradMode.anomalyEnabled()) checkFinite(grad, node, 0);
                        addIntoRegion(pending, owned, node, grad);
                    } else if (execute == null || execute.contains(node)) {
                        Tensor[] grads = node.apply(grad);
                        done.add(node);
                        for (int i = 0; i < node.next.length; i++) {
                            Node next = node.next[i];
                            if (next == null || i >= grads.length || grads[i] == null) continue;
                            Tensor g = fit(grads[i], node, i);
                            if (GradMode.anomalyEnabled()) checkFinite(g, node, i);
                            accumulate(pending, owned, next, g, createGraph);
                        }
                    }
                }
                for (Node next : node.next) {
                    if (next == null) continue;
                    int d = dependencies.get(next) - 1;
                    dependencies.put(next, d);
                    if (d == 0) ready.add(next);
                }
            }
            if (!retainGraph) for (Node n : done) n.release();
        }
        if (results != null && !allowUnused) {
            for (int i = 0; i < results.length; i++) {
                if (results[i] == null) {
                    throw new IllegalStateException("Kindling.grad: input " + i + " was not used in the graph;"
                            + " pass allowUnused=true to get null for it");
                }
            }
        }
        return results;
    }

    /** The nodes from which one of {@code targets} can be reached (targets themselves only if so too). */
    private static Set<Node> leadingTo(Set<Node> targets, Map<Node, Integer> dependencies, Tensor[] roots) {
        // a topological order (consumers before producers), then a sweep from the producers back up
        Map<Node, Integer> remaining = new IdentityHashMap<>(dependencies);
        Deque<Node> queue = new ArrayDeque<>();
        Set<Node> queued = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor r : roots) {
            Node n = r.gradEdge();
            if (remaining.get(n) == 0 && queued.add(n)) queue.add(n);
        }
        List<Node> order = new ArrayList<>();
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            order.add(n);
            for (Node next : n.next) {
                if (next == null) continue;
                int d = remaining.get(next) - 1;
                remaining.put(next, d);
                if (d == 0) queue.add(next);
            }
        }
        Set<Node> leading = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = order.size() - 1; i >= 0; i--) {
            Node n = order.get(i);
            for (Node next : n.next) {
                if (next != null && (targets.contains(next) || leading.contains(next))) {
                    leading.add(n);
                    break;
                }
            }
        }
        return leading;
    }

    /** Sums a broadcast gradient back to the input's shape and dtype. */
    private static Tensor fit(Tensor g, Node node, int i) {
        int[] shape = node.inputShapes[i];
        if (!java.util.Arrays.equals(g.shape(), shape)) g = Broadcast.sumTo(g, shape);
        if (g.dtype() != node.inputDTypes[i]) g = g.to(node.inputDTypes[i]);
        return g;
    }

    private static void accumulate(Map<Node, Tensor> pending, Set<Tensor> owned, Node n, Tensor g, boolean createGraph) {
        Tensor prev = pending.get(n);
        if (prev == null) {
            pending.put(n, g);
        } else if (!createGraph && owned.contains(prev)) {
            prev.add_(g);
        } else {
            Tensor sum = prev.add(g);
            pending.put(n, sum);
            if (!createGraph) owned.add(sum);
        }
    }

    /** A slice or select node's backward without padding: its gradient is added into its region of the input's. */
    private static void addIntoRegion(Map<Node, Tensor> pending, Set<Tensor> owned, Node node, Tensor grad) {
        Node next = node.next[0];
        Tensor buf = pending.get(next);
        if (buf == null || !owned.contains(buf)) {
            Tensor fresh = Factory.full(node.inputShapes[0], 0, node.inputDTypes[0], grad.device());
            if (buf != null) fresh.add_(buf);
            pending.put(next, fresh);
            owned.add(fresh);
            buf = fresh;
        }
        Node.SliceRegion r = node.region;
        if (r.length() == 0) return;
        Tensor part = buf.slice(r.dim(), r.start(), r.start() + (r.length() - 1) * r.step() + 1, r.step());
        part.add_(r.selected() ? grad.unsqueeze(r.dim()) : grad);
    }

    private static void checkFinite(Tensor g, Node node, int i) {
        boolean finite;
        try (var off = GradMode.set(false)) {
            finite = g.isfinite().all().item() != 0;
        }
        if (!finite) {
            throw new IllegalStateException("Function '" + node.name + "' returned nan or inf values in its "
                    + ordinal(i) + " output (the gradient for its input " + i + ")."
                    + (node.creation == null ? "" : " The cause shows the forward call that recorded it."), node.creation);
        }
    }

    private static String ordinal(int i) {
        return i == 0 ? "0th" : i == 1 ? "1st" : i == 2 ? "2nd" : i + "th";
    }
}
