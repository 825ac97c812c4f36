package dev.kindling.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.DType;
import dev.kindling.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads the PyTorch fixtures written by {@code src/test/python/gen_optim_fixtures.py}. */
public final class Fixtures {
    private Fixtures() {}

    public static JsonNode load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/optim/" + name)) {
            if (in == null) throw new IllegalStateException("missing fixture " + name + "; run gen_optim_fixtures.py");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double[] doubles(JsonNode arr) {
        double[] d = new double[arr.size()];
        for (int i = 0; i < d.length; i++) d[i] = arr.get(i).asDouble();
        return d;
    }

    public static int[] ints(JsonNode arr) {
        int[] d = new int[arr.size()];
        for (int i = 0; i < d.length; i++) d[i] = arr.get(i).asInt();
        return d;
    }

    public static DType dtype(String name) { return "float64".equals(name) ? DType.FLOAT64 : DType.FLOAT32; }

    /** Tensors of the given flat values and shapes, in {@code dtype}. */
    public static List<Tensor> tensors(JsonNode flat, JsonNode shapes, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
            double[] v = doubles(flat.get(i));
            Tensor t = Tensor.fromArray(v, ints(shapes.get(i)));
            out.add(dtype == DType.FLOAT64 ? t : t.to(dtype));
        }
        return out;
    }

    public static Tensor matrix(JsonNode rows, DType dtype) {
        double[][] m = new double[rows.size()][];
        for (int i = 0; i < m.length; i++) m[i] = doubles(rows.get(i));
        return Tensor.of(m).to(dtype);
    }

    /** Builds an optimizer from a PyTorch name and options, through the builders. */
    public static Optimizer optimizer(String name, JsonNode o, List<Tensor> params) {
        double lr = o.path("lr").asDouble();
        double wd = o.path("weight_decay").asDouble(0);
        boolean maximize = o.path("maximize").asBoolean(false);
        return switch (name) {
            case "SGD" -> SGD.builder(params).lr(lr).momentum(o.path("momentum").asDouble(0))
                    .dampening(o.path("dampening").asDouble(0)).weightDecay(wd)
                    .nesterov(o.path("nesterov").asBoolean(false)).maximize(maximize).build();
            case "Adam", "AdamW" -> {
                Adam.Builder b = name.equals("Adam") ? Adam.builder(params) : AdamW.builder(params);
                b.lr(lr).amsgrad(o.path("amsgrad").asBoolean(false)).maximize(maximize).eps(o.path("eps").asDouble(1e-8));
                if (o.has("weight_decay")) b.weightDecay(wd);
                if (o.has("betas")) b.betas(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble());
                yield b.build();
            }
            case "RMSprop" -> RMSprop.builder(params).lr(lr).alpha(o.path("alpha").asDouble(0.99))
                    .eps(o.path("eps").asDouble(1e-8)).weightDecay(wd).momentum(o.path("momentum").asDouble(0))
                    .centered(o.path("centered").asBoolean(false)).maximize(maximize).build();
            case "Adagrad" -> Adagrad.builder(params).lr(lr).lrDecay(o.path("lr_decay").asDouble(0)).weightDecay(wd)
                    .initialAccumulatorValue(o.path("initial_accumulator_value").asDouble(0))
                    .eps(o.path("eps").asDouble(1e-10)).maximize(maximize).build();
            default -> throw new IllegalArgumentException("unknown optimizer " + name);
        };
    }

    /** Max over elements of |actual - expected| / max(|expected|, floor); exactness when {@code rtol == 0}. */
    public static String compare(List<Tensor> actual, JsonNode expected, double rtol, String what) {
        for (int i = 0; i < actual.size(); i++) {
            double[] a = actual.get(i).toDoubleArray();
            double[] e = doubles(expected.get(i));
            for (int j = 0; j < a.length; j++) {
                boolean ok = rtol == 0 ? Double.compare(a[j], e[j]) == 0
                        : Math.abs(a[j] - e[j]) <= rtol * Math.max(Math.abs(e[j]), 1e-3);
                if (!ok) {
                    return what + ": param " + i + " element " + j + " is " + a[j] + ", PyTorch has " + e[j]
                            + " (diff " + (a[j] - e[j]) + ")";
                }
            }
        }
        return null;
    }

    static Map<String, Object> noState() { return Map.of(); }
}
