package dev.kindling.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kindling.io.IoTesting.assertBitEqual;
import static dev.kindling.io.IoTesting.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weights moving between PyTorch and Kindling: a PyTorch MLP's state dict saved as safetensors and with
 * {@code torch.save} (fixtures from gen_io_fixtures.py) loads here bit for bit and computes PyTorch's output;
 * the file this test writes is checked by {@code gen_io_fixtures.py --verify} (see the script's header).
 */
class InteropTest {
    private static final List<String> MLP_KEYS = List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean",
            "1.running_var", "1.num_batches_tracked", "3.weight", "3.bias");

    @Test void loadsPyTorchStateDictsBothWays() {
        JsonNode expected = IoTesting.json("mlp.json");
        Map<String, Tensor> fromSt = Safetensors.load(fixture("mlp.safetensors"));
        Map<String, Tensor> fromPt = PyTorchFiles.loadStateDict(fixture("mlp.pt"));
        assertEquals(MLP_KEYS, List.copyOf(fromPt.keySet()));   // torch.save keeps the module order
        assertEquals(Map.of("format", "pt", "source", "gen_io_fixtures.py"), Safetensors.loadMetadata(fixture("mlp.safetensors")));
        for (String k : MLP_KEYS) {
            Tensor want = IoTesting.tensor(expected.get("tensors").get(k));
            assertBitEqual(want, fromSt.get(k), "safetensors " + k);
            assertBitEqual(want, fromPt.get(k), "torch.save " + k);
        }
        assertEquals(DType.INT64, fromPt.get("1.num_batches_tracked").dtype());
        assertEquals(0, fromPt.get("1.num_batches_tracked").dim());

        Tensor x = IoTesting.tensor(expected.get("input"));
        Tensor want = IoTesting.tensor(expected.get("output"));
        double eps = expected.get("bn_eps").doubleValue();
        for (Map<String, Tensor> sd : List.of(fromSt, fromPt)) {
            Tensor y = mlp(sd, x, eps);
            assertTrue(y.allclose(want, 1e-5, 1e-6), "MLP output " + y + " vs PyTorch " + want);
        }
    }

    /** Linear -> BatchNorm1d (eval) -> ReLU -> Linear with plain tensor ops. */
    static Tensor mlp(Map<String, Tensor> sd, Tensor x, double eps) {
        Tensor h = x.matmul(sd.get("0.weight").t()).add(sd.get("0.bias"));
        h = h.sub(sd.get("1.running_mean")).div(sd.get("1.running_var").add(eps).sqrt()).mul(sd.get("1.weight")).add(sd.get("1.bias"));
        return h.relu().matmul(sd.get("3.weight").t()).add(sd.get("3.bias"));
    }

    @Test void loadsEveryDtypeWrittenByTheScript() {
        JsonNode expected = IoTesting.json("dtypes.json");
        for (LoadOptions o : List.of(LoadOptions.defaults(), LoadOptions.mmap())) {
            Map<String, Tensor> got = Safetensors.load(fixture("dtypes.safetensors"), o);
            assertEquals(9, got.size());
            expected.fields().forEachRemaining(e -> assertBitEqual(IoTesting.tensor(e.getValue()), got.get(e.getKey()), e.getKey()));
        }
    }

    /** Writes target/io-roundtrip/kindling.safetensors for the script's --verify mode. */
    @Test void writesAFileForPyTorchToCheck() throws Exception {
        Map<String, Tensor> out = new LinkedHashMap<>();
        PyTorchFiles.loadStateDict(fixture("mlp.pt")).forEach((k, v) -> out.put("mlp." + k, v));
        out.put("f64", IoTesting.arange(DType.FLOAT64, 2, 3).div(4));
        out.put("transposed", IoTesting.arange(DType.FLOAT32, 2, 3).t());
        out.put("ids", Tensor.fromArray(new int[]{1, -2, 3}, 3));
        out.put("mask", Tensor.of(true, false, true, true));
        out.put("big", Tensor.of(1L << 62, -(1L << 40)));
        out.put("scalar", Tensor.scalar(2.5));
        out.put("empty", Tensor.zeros(0, 3));
        Path dirOut = Path.of("target", "io-roundtrip");
        Files.createDirectories(dirOut);
        Path file = dirOut.resolve("kindling.safetensors");
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("written_by", "kindling");
        meta.put("epoch", "3");
        Safetensors.save(out, file, meta);
        Map<String, Tensor> back = Safetensors.load(file);
        out.forEach((k, v) -> assertBitEqual(v.contiguous(), back.get(k), k));
    }
}
