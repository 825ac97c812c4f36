package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Holds modules by name so that they are registered ({@code torch.nn.ModuleDict}); look them up in your forward.
 *
 * <pre>{@code final ModuleDict heads = new ModuleDict(); heads.put("cls", new Linear(64, 10));}</pre>
 */
public class ModuleDict extends Module {
    /** An empty dict. */
    public ModuleDict() {}

    /** A dict holding {@code modules} in the map's iteration order. */
    public ModuleDict(Map<String, ? extends Module> modules) { modules.forEach(this::put); }

    /** Adds or replaces the module called {@code name}; returns it. */
    public <M extends Module> M put(String name, M module) { return registerModule(name, module); }

    /** The module called {@code name}; throws naming the known keys when absent. */
    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) throw new IllegalArgumentException("ModuleDict: no module named \"" + name + "\"; keys are " + keySet());
        return m;
    }

    /** Whether a module is called {@code name}. */
    public boolean containsKey(String name) { return namedChildren().containsKey(name); }

    /** The names, in insertion order. */
    public Set<String> keySet() { return namedChildren().keySet(); }

    /** The number of modules held. */
    public int size() { return namedChildren().size(); }

    /** Names and modules, in insertion order. */
    public LinkedHashMap<String, Module> items() { return namedChildren(); }

    /** A ModuleDict has no forward of its own: call {@code get(name).forward(x)}. */
    @Override public Tensor forward(Tensor x) {
        throw new IllegalStateException(where() + ": a ModuleDict has no forward; call get(name).forward(x) with one of " + keySet());
    }
}
