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
    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends Module> modules) { modules.forEach(this::put); }

    /** Adds or replaces the module called {@code name}; returns it. */
    public <M extends Module> M put(String name, M module) { return registerModule(name, module); }

    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) throw new IllegalArgumentException("ModuleDict: no module named \"" + name + "\"; keys are " + keySet());
        return m;
    }

    public boolean containsKey(String name) { return namedChildren().containsKey(name); }

    public Set<String> keySet() { return namedChildren().keySet(); }

    public int size() { return namedChildren().size(); }

    public LinkedHashMap<String, Module> items() { return namedChildren(); }

    /** A ModuleDict has no forward of its own: call {@code get(name).forward(x)}. */
    @Override public Tensor forward(Tensor x) {
        throw new IllegalStateException(where() + ": a ModuleDict has no forward; call get(name).forward(x) with one of " + keySet());
    }
}
