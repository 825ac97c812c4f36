package dev.kindling.docs;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.amp.GradScaler;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.io.Checkpoint;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The code of the GradScaler section of mixed-precision.md. */
class GradScalerSnippetsTest {
    private final Sequential net;
    private final Adam opt;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();
    private final DataLoader loader;

    GradScalerSnippetsTest() {
        Kindling.manualSeed(0);
        net = new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2));
        opt = new Adam(net.parameters(), 1e-2);
        loader = DataLoader.builder(new TensorDataset(Tensor.randn(64, 10), Tensor.randint(0, 2, 64))).batchSize(16).build();
    }

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(Path.of("ckpt.safetensors"));
    }

    GradScaler loop() {
        // region amp-gradscaler-loop
        var scaler = new GradScaler();      // GradScaler.builder().initScale(65536).growthFactor(2).backoffFactor(0.5).growthInterval(2000).build()
        for (Batch b : loader) {
            try (var step = Kindling.scope()) {
                opt.zeroGrad();
                Tensor loss = lossFn.forward(net.forward(b.get(0)), b.get(1));
                scaler.scale(loss).backward();                 // gradients = scale * true gradients
                scaler.unscale_(opt);                          // true gradients again, checked for Inf/NaN
                Kindling.clipGradNorm(net.parameters(), 1.0);  // so clipping sees the real norm
                boolean stepped = scaler.step(opt);            // opt.step(), unless a gradient was Inf or NaN
                scaler.update();                               // back off after a skip, grow after 2000 clean steps
            }
        }
        // endregion
        return scaler;
    }

    @Test
    void theLoopTrains() {
        float[] before = net.parameters().get(0).toFloatArray();
        GradScaler scaler = loop();
        assertNotEquals(before[0], net.parameters().get(0).toFloatArray()[0]);
        assertEquals(65536.0, scaler.getScale(), 0.0, "four clean steps: no backoff, no growth yet");
        assertEquals(4, scaler.stateDict().get("_growth_tracker"));
    }

    @Test
    void theScalerGoesIntoTheCheckpointAndComesBack() {
        GradScaler scaler = loop();
        Map<String, Object> state = scaler.stateDict();
        checkpoint(scaler);
        assertEquals(state, Checkpoint.load(Path.of("ckpt.safetensors")).get("scaler"));
        assertEquals(state, scaler.stateDict());
    }

    void checkpoint(GradScaler scaler) {
        // region amp-gradscaler-checkpoint
        Checkpoint.save(Path.of("ckpt.safetensors"), Map.of(
                "model", net.stateDict(), "optimizer", opt.stateDict(), "scaler", scaler.stateDict()));
        Checkpoint.restore(Checkpoint.load(Path.of("ckpt.safetensors")),
                Map.of("model", net, "optimizer", opt, "scaler", scaler));
        // endregion
    }
}
