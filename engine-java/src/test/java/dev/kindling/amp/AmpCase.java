package dev.kindling.amp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.SGD;
import dev.kindling.testing.Fixtures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of {@code fixtures/amp/grad_scaler.json} (written by {@code src/test/python/gen_amp_fixtures.py}):
 * the 10-5-2 MLP with the fixture's weights, its optimizers and its GradScaler, built fresh.
 */
final class AmpCase {
    static final JsonNode FIX = Fixtures.load("fixtures/amp/grad_scaler.json");

    final JsonNode spec;
    final DType dtype;
    final Sequential net;
    final List<Tensor> params;
    final List<Optimizer> opts = new ArrayList<>();
    GradScaler scaler;
    final Tensor x;
    final Tensor y;

    AmpCase(JsonNode spec) {
        this.spec = spec;
        this.dtype = Fixtures.dtype(spec.get("dtype").asText());
        net = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2));
        net.to(dtype);
        JsonNode m = FIX.get("model");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (int i = 0; i < m.get("keys").size(); i++) {
            sd.put(m.get("keys").get(i).asText(), weights(m.get("params").get(i), Fixtures.ints(m.get("shapes").get(i))));
        }
        net.loadStateDict(sd);
        params = net.parameters();
        for (JsonNode o : spec.get("optimizers")) {
            List<Tensor> ps = new ArrayList<>();
            for (JsonNode i : o.get("params")) ps.add(params.get(i.asInt()));
            opts.add(o.get("type").asText().equals("SGD")
                    ? new SGD(ps, o.get("lr").asDouble(), o.get("momentum").asDouble())
                    : new Adam(ps, o.get("lr").asDouble()));
        }
        JsonNode s = spec.get("scaler");
        scaler = GradScaler.builder().initScale(s.get("init_scale").asDouble()).growthFactor(s.get("growth_factor").asDouble())
                .backoffFactor(s.get("backoff_factor").asDouble()).growthInterval(s.get("growth_interval").asInt()).build();
        x = weights(FIX.get("x"), Fixtures.ints(FIX.get("x_shape")));
        long[] labels = new long[FIX.get("y").size()];
        for (int i = 0; i < labels.length; i++) labels[i] = FIX.get("y").get(i).asLong();
        y = Tensor.of(labels);
    }

    static List<JsonNode> cases() {
        List<JsonNode> out = new ArrayList<>();
        FIX.get("cases").forEach(out::add);
        return out;
    }

    /** Float64 fixture values in this case's dtype (rounded to float32 as PyTorch's {@code .to} does). */
    Tensor weights(JsonNode flat, int[] shape) {
        Tensor t = Tensor.fromArray(Fixtures.doubles(flat), shape);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    JsonNode step(int k) { return spec.get("trajectory").get(k); }

    int steps() { return spec.get("trajectory").size(); }

    Double clip() { return spec.get("clip").isNull() ? null : spec.get("clip").asDouble(); }

    /** The Inf or NaN the script wrote into a gradient at step {@code k}: [param, flat index, value], or null. */
    JsonNode injection(int k) { return spec.get("inject").get(String.valueOf(k)); }

    /** Replaces each parameter's gradient with PyTorch's scaled gradient of step {@code k}. */
    void feedScaledGrads(int k) {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).setGrad(weights(step(k).get("scaled_grads").get(i), params.get(i).shape()));
        }
    }

    /** Forward, scaled backward and the step's injected Inf/NaN, in Kindling; returns the scaled loss. */
    Tensor ownScaledGrads(int k) {
        Tensor scaled = scaler.scale(new CrossEntropyLoss().forward(net.forward(x), y));
        scaled.backward();
        JsonNode inj = injection(k);
        if (inj != null) {
            Tensor p = params.get(inj.get(0).asInt());
            double[] g = p.grad().toDoubleArray();
            g[inj.get(1).asInt()] = switch (inj.get(2).asText()) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw new IllegalArgumentException("injected value " + inj.get(2));
            };
            try (var off = Kindling.noGrad()) {
                p.grad().copy_(Tensor.fromArray(g, p.shape()));
            }
        }
        return scaled;
    }

    /** The documented loop after backward: unscale_ and clip when the case clips, then step each optimizer, update. */
    List<Boolean> finishStep() {
        if (clip() != null) {
            for (Optimizer o : opts) scaler.unscale_(o);
            Kindling.clipGradNorm(params, clip());
        }
        List<Boolean> stepped = new ArrayList<>();
        for (Optimizer o : opts) stepped.add(scaler.step(o));
        return stepped;
    }

    static List<Boolean> booleans(JsonNode arr) {
        List<Boolean> out = new ArrayList<>();
        arr.forEach(b -> out.add(b.asBoolean()));
        return out;
    }
}
