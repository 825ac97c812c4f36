package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.Iterator;
import java.util.List;

/**
 * Holds modules in a list so that they are registered (named {@code "0"}, {@code "1"}, ...), without
 * defining how they are chained ({@code torch.nn.ModuleList}). Iterate it in your own forward.
 *
 * <pre>{@code final ModuleList blocks = new ModuleList(new Linear(8, 8), new Linear(8, 8));}</pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    /** A list holding {@code modules} under the names "0", "1", ... */
    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    /** A list holding {@code modules} under the names "0", "1", ... */
    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** Appends {@code module} under the next index ({@code append}); returns this. */
    public ModuleList add(Module module) {
        if (module == null) throw new IllegalArgumentException("ModuleList.add: module must not be null");
        registerModule(Integer.toString(size()), module);
        return this;
    }

    /** The {@code i}-th module (negative counts from the end). */
    public Module get(int i) {
        int n = size();
        int j = i < 0 ? i + n : i;
        if (j < 0 || j >= n) throw new IndexOutOfBoundsException("ModuleList: index " + i + " is out of range for " + n + " modules");
        return children().get(j);
    }

    /** The number of modules held. */
    public int size() { return namedChildren().size(); }

    @Override public Iterator<Module> iterator() { return children().iterator(); }

    /** A ModuleList has no forward of its own (as in PyTorch): iterate it in your module's forward. */
    @Override public Tensor forward(Tensor x) {
        throw new IllegalStateException(where() + ": a ModuleList has no forward; iterate over it in your own forward, or use Sequential");
    }
}
