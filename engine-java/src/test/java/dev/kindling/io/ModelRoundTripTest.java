package dev.kindling.io;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.BatchNorm1d;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.Optimizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A trained model and its optimizer, saved and restored, behave exactly like the originals. */
class ModelRoundTripTest {
    @TempDir Path dir;

    private static Sequential model() {
        return new Sequential(new Linear(6, 8), new BatchNorm1d(8), new ReLU(), new Linear(8, 3));
    }

    private static void step(Sequential m, Optimizer opt, Tensor x, Tensor y) {
        Tensor loss = new CrossEntropyLoss().forward(m.forward(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    @Test
    void safetensorsStateDictGivesIdenticalOutputs() {
        Kindling.manualSeed(1);
        Tensor x = Tensor.randn(16, 6), y = Tensor.randint(0, 3, 16);
        Sequential trained = model();
        Adam opt = new Adam(trained.parameters(), 1e-2);
        for (int i = 0; i < 5; i++) step(trained, opt, x, y);
        Path file = dir.resolve("model.safetensors");
        Safetensors.save(trained.stateDict(), file);

        Sequential fresh = model();
        fresh.loadStateDict(Safetensors.load(file));
        trained.eval();
        fresh.eval();
        assertTrue(trained.forward(x).equal(fresh.forward(x)), "eval outputs differ after reload");
        assertEquals(trained.stateDict().get("1.num_batches_tracked").longItem(),
                fresh.stateDict().get("1.num_batches_tracked").longItem());
    }

    @Test
    void checkpointResumesTrainingExactly() {
        Kindling.manualSeed(2);
        Tensor x = Tensor.randn(16, 6), y = Tensor.randint(0, 3, 16);
        Sequential a = model();
        Adam optA = new Adam(a.parameters(), 1e-2);
        for (int i = 0; i < 3; i++) step(a, optA, x, y);

        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("epoch", 3);
        ckpt.put("model", a.stateDict());
        ckpt.put("optimizer", optA.stateDict());
        ckpt.put("loss", 0.25);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, ckpt);

        Map<String, Object> back = Checkpoint.load(file);
        Sequential b = model();
        @SuppressWarnings("unchecked") Map<String, Tensor> sd = (Map<String, Tensor>) back.get("model");
        b.loadStateDict(sd);
        Adam optB = new Adam(b.parameters(), 1e-2);
        @SuppressWarnings("unchecked") Map<String, Object> os = (Map<String, Object>) back.get("optimizer");
        optB.loadStateDict(os);
        assertEquals(3, back.get("epoch"));
        assertEquals(0.25, back.get("loss"));

        // both continue for three more steps and stay bit-identical
        for (int i = 0; i < 3; i++) {
            step(a, optA, x, y);
            step(b, optB, x, y);
        }
        a.eval();
        b.eval();
        assertTrue(a.forward(x).equal(b.forward(x)), "resumed training diverged from the uninterrupted run");
    }
}
