package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Map;

/**
 * Runs its modules in order, each on the previous one's output ({@code torch.nn.Sequential}). Children are
 * named {@code "0"}, {@code "1"}, ... unless built from a map.
 *
 * <pre>{@code var net = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));}</pre>
 */
public class Sequential extends Module {
    /** Chains {@code modules} in order, named "0", "1", ... */
    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** Named children in the map's iteration order: {@code new Sequential(new LinkedHashMap<>(Map.of(...)))}. */
    public Sequential(Map<String, ? extends Module> modules) {
        modules.forEach(this::registerModule);
    }

    /** Appends {@code module} under the next index; returns this. */
    public Sequential add(Module module) {
        if (module == null) throw new IllegalArgumentException("Sequential.add: module must not be null");
        registerModule(Integer.toString(size()), module);
        return this;
    }

    /** The {@code i}-th module (negative counts from the end). */
    public Module get(int i) {
        int n = size();
        int j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) throw new IndexOutOfBoundsException("Sequential: index " + i + " is out of range for " + n + " modules");
        return children().get(j);
    }

    /** The number of modules held. */
    public int size() { return namedChildren().size(); }

    @Override public Tensor forward(Tensor x) {
        for (Module m : children()) x = m.forward(x);
        return x;
    }
}
