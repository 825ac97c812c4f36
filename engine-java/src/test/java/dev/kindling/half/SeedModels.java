package dev.kindling.half;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.nn.F;
import dev.kindling.testing.Fixtures;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The fixture script's small seed MLP and CNN, as functions of a state dict (gen_half_fixtures.py's Mlp and Cnn). */
final class SeedModels {
    private SeedModels() {}

    static Map<String, Tensor> params(JsonNode spec, DType dtype) {
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            p.put(e.getKey(), Fixtures.tensor(e.getValue()).to(dtype).requiresGrad(true));
        }
        return p;
    }

    /** The logits; each layer's output dtype goes into {@code dtypes} when it is not null. */
    static Tensor forward(String model, Map<String, Tensor> p, Tensor x, Map<String, DType> dtypes) {
        if (model.equals("mlp")) {
            Tensor h = layer(dtypes, "fc1", F.linear(x, p.get("fc1.weight"), p.get("fc1.bias"))).relu();
            h = layer(dtypes, "fc2", F.linear(h, p.get("fc2.weight"), p.get("fc2.bias"))).relu();
            return layer(dtypes, "fc3", F.linear(h, p.get("fc3.weight"), p.get("fc3.bias")));
        }
        Tensor h = F.maxPool2d(layer(dtypes, "conv1", F.conv2d(x, p.get("conv1.weight"), p.get("conv1.bias"), 1, 1)).relu(), 2);
        h = F.maxPool2d(layer(dtypes, "conv2", F.conv2d(h, p.get("conv2.weight"), p.get("conv2.bias"), 1, 1)).relu(), 2);
        return layer(dtypes, "fc", F.linear(h.flatten(1), p.get("fc.weight"), p.get("fc.bias")));
    }

    private static Tensor layer(Map<String, DType> dtypes, String name, Tensor out) {
        if (dtypes != null) dtypes.put(name, out.dtype());
        return out;
    }
}
