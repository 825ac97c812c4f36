package dev.kindling.io;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.kindling.io.IoTesting.assertBitEqual;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @TempDir Path dir;

    /** An optimizer state dict shaped like PyTorch's: Integer-keyed state, param_groups of plain values. */
    private static Map<String, Object> adamState(Tensor m0, Tensor v0) {
        Map<Integer, Object> state = new LinkedHashMap<>();
        Map<String, Object> p0 = new LinkedHashMap<>();
        p0.put("step", Tensor.scalar(3));
        p0.put("exp_avg", m0);
        p0.put("exp_avg_sq", v0);
        state.put(0, p0);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 1e-3);
        group.put("betas", List.of(0.9, 0.999));
        group.put("eps", 1e-8);
        group.put("weight_decay", 0.0);
        group.put("amsgrad", false);
        group.put("foreach", null);
        group.put("params", List.of(0, 1));
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", state);
        sd.put("param_groups", List.of(group));
        return sd;
    }

    @Test void roundTripsANestedTrainingCheckpoint() {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("fc1.weight", Tensor.randn(4, 3));
        model.put("fc1.bias", Tensor.randn(4));
        model.put("bn.num_batches_tracked", Tensor.scalar(12, DType.INT64));
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("epoch", 5);
        ckpt.put("global_step", 1L << 40);
        ckpt.put("loss", 0.4);
        ckpt.put("acc", 0.75f);
        ckpt.put("best", Double.NaN);
        ckpt.put("name", "run-1/ü");
        ckpt.put("done", true);
        ckpt.put("model", model);
        ckpt.put("optimizer", adamState(Tensor.randn(4, 3), Tensor.rand(4, 3)));
        ckpt.put("scheduler", Map.of("last_epoch", 5, "base_lrs", List.of(0.1)));
        ckpt.put("history", new double[]{1.5, 0.9, Double.NEGATIVE_INFINITY});
        ckpt.put("seeds", new long[]{1, Long.MAX_VALUE});
        ckpt.put("shape", new int[]{2, 3});
        ckpt.put("flags", new boolean[]{true, false});
        ckpt.put("fl", new float[]{0.1f, Float.NaN});
        ckpt.put("nothing", null);
        ckpt.put("list", new ArrayList<>(List.of(1, "two", List.of(3L))));
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, ckpt);

        for (LoadOptions o : List.of(LoadOptions.defaults(), LoadOptions.mmap())) {
            Map<String, Object> back = Checkpoint.load(p, o);
            assertEquals(List.copyOf(ckpt.keySet()), List.copyOf(back.keySet()));
            assertEquals(5, back.get("epoch"));   // Integer stays Integer
            assertEquals(1L << 40, back.get("global_step"));
            assertEquals(0.4, back.get("loss"));
            assertEquals(0.75f, back.get("acc"));
            assertTrue(Double.isNaN((Double) back.get("best")));
            assertEquals("run-1/ü", back.get("name"));
            assertEquals(true, back.get("done"));
            assertNull(back.get("nothing"));
            assertTrue(back.containsKey("nothing"));
            assertArrayEquals(new double[]{1.5, 0.9, Double.NEGATIVE_INFINITY}, (double[]) back.get("history"));
            assertArrayEquals(new long[]{1, Long.MAX_VALUE}, (long[]) back.get("seeds"));
            assertArrayEquals(new int[]{2, 3}, (int[]) back.get("shape"));
            assertArrayEquals(new boolean[]{true, false}, (boolean[]) back.get("flags"));
            assertArrayEquals(new float[]{0.1f, Float.NaN}, (float[]) back.get("fl"));
            assertEquals(List.of(1, "two", List.of(3L)), back.get("list"));
            assertEquals(Map.of("last_epoch", 5, "base_lrs", List.of(0.1)), back.get("scheduler"));

            @SuppressWarnings("unchecked") Map<String, Tensor> m = (Map<String, Tensor>) back.get("model");
            assertEquals(List.copyOf(model.keySet()), List.copyOf(m.keySet()));
            model.forEach((k, t) -> assertBitEqual(t, m.get(k), k));

            Map<?, ?> opt = assertInstanceOf(Map.class, back.get("optimizer"));
            Map<?, ?> state = assertInstanceOf(Map.class, opt.get("state"));
            assertEquals(List.of(0), List.copyOf(state.keySet()));   // Integer keys, as PyTorch's optimizer uses
            @SuppressWarnings("unchecked") Map<String, Object> saved = (Map<String, Object>) ((Map<?, ?>) ckpt.get("optimizer")).get("state");
            Map<?, ?> p0 = (Map<?, ?>) state.get(0);
            Map<?, ?> p0Saved = (Map<?, ?>) ((Map<?, ?>) saved).get(0);
            for (String k : List.of("step", "exp_avg", "exp_avg_sq")) assertBitEqual((Tensor) p0Saved.get(k), (Tensor) p0.get(k), k);
            Map<?, ?> group = (Map<?, ?>) ((List<?>) opt.get("param_groups")).get(0);
            assertEquals(List.of(0.9, 0.999), group.get("betas"));
            assertEquals(List.of(0, 1), group.get("params"));
            assertEquals(false, group.get("amsgrad"));
            assertTrue(group.containsKey("foreach"));
        }
    }

    @Test void isAPlainSafetensorsFileWithPathNames() {
        Path p = dir.resolve("c.safetensors");
        Checkpoint.save(p, Map.of("model", Map.of("fc.weight", Tensor.ones(2)), "optimizer", adamState(Tensor.zeros(2), Tensor.zeros(2))));
        Map<String, Tensor> raw = Safetensors.load(p);
        assertTrue(raw.containsKey("model/fc.weight"), raw.keySet().toString());
        assertTrue(raw.containsKey("optimizer/state/0/exp_avg"), raw.keySet().toString());
        Map<String, String> meta = Safetensors.loadMetadata(p);
        assertEquals("kindling.checkpoint", meta.get("format"));
        assertEquals("1", meta.get("version"));
    }

    @Test void sharedTensorsAreStoredOnceAndCollidingPathsStayDistinct() {
        Tensor shared = Tensor.randn(3);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("a", shared);
        c.put("b", List.of(shared));
        c.put("x/y", Tensor.ones(1));                 // same path name as x -> y below
        c.put("x", Map.of("y", Tensor.zeros(1)));
        Path p = dir.resolve("s.safetensors");
        Checkpoint.save(p, c);
        assertEquals(3, Safetensors.load(p).size());
        Map<String, Object> back = Checkpoint.load(p);
        assertSame(back.get("a"), ((List<?>) back.get("b")).get(0));
        assertEquals(1f, ((Tensor) back.get("x/y")).item());
        assertEquals(0f, ((Tensor) ((Map<?, ?>) back.get("x")).get("y")).item());
    }

    @Test void refusesWhatItCannotStore() {
        Path p = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(p, Map.of("model", Map.of("w", new Object()))));
        assertTrue(e.getMessage().contains("'model/w'") && e.getMessage().contains("java.lang.Object"), e.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(p, Map.of("m", Map.of(1.5, 1))));
        assertTrue(key.getMessage().contains("keys must be String, Integer or Long"), key.getMessage());
    }

    @Test void plainSafetensorsFileIsNotACheckpoint() {
        Path p = dir.resolve("plain.safetensors");
        Safetensors.save(Map.of("w", Tensor.ones(1)), p);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoint.load(p));
        assertTrue(e.getMessage().contains("not a Kindling checkpoint"), e.getMessage());
        Safetensors.save(Map.of("w", Tensor.ones(1)), p, Map.of("format", "kindling.checkpoint", "version", "1",
                "structure", "{\"map\":[[\"w\",{\"tensor\":\"gone\"}]]}"));
        FileFormatException missing = assertThrows(FileFormatException.class, () -> Checkpoint.load(p));
        assertTrue(missing.getMessage().contains("'gone' is named in the structure but missing"), missing.getMessage());
        Safetensors.save(Map.of(), p, Map.of("format", "kindling.checkpoint", "version", "1", "structure", "{\"weird\":1}"));
        assertTrue(assertThrows(FileFormatException.class, () -> Checkpoint.load(p)).getMessage().contains("unknown value tag 'weird'"));
        Safetensors.save(Map.of(), p, Map.of("format", "kindling.checkpoint", "version", "9", "structure", "{}"));
        assertTrue(assertThrows(FileFormatException.class, () -> Checkpoint.load(p)).getMessage().contains("version 9"));
    }
}
