package dev.kindling.docs;

import dev.kindling.Device;
import dev.kindling.Tensor;
import dev.kindling.io.Checkpoint;
import dev.kindling.io.LoadOptions;
import dev.kindling.io.PyTorchFiles;
import dev.kindling.io.Safetensors;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.SGD;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The code of saving.md; it writes into the working directory as the guide does, and cleans up. */
class SavingSnippetsTest {
    private final Sequential net = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));

    @AfterEach
    void cleanUp() throws Exception {
        Files.deleteIfExists(Path.of("model.safetensors"));
        Files.deleteIfExists(Path.of("ckpt.safetensors"));
    }

    void stateDicts(Map<String, Tensor> sd, Path path) {
        // region saving-safetensors
        Safetensors.save(net.stateDict(), Path.of("model.safetensors"));
        net.loadStateDict(Safetensors.load(Path.of("model.safetensors")));

        Safetensors.save(sd, path, Map.of("format", "pt"));                 // with __metadata__
        Map<String, String> meta = Safetensors.loadMetadata(path);          // header only
        var big = Safetensors.load(path, LoadOptions.mmap());               // read through a memory map
        var onGpu = Safetensors.load(path, Device.cuda());            // once a CUDA backend is installed
        // endregion
    }

    @Test
    void safetensors() {
        // every line runs; the last one needs a CUDA backend, which this build does not have
        var e = assertThrows(IllegalStateException.class, () -> stateDicts(net.stateDict(), Path.of("model.safetensors")));
        assertEquals(true, e.getMessage().contains("CUDA"), e.getMessage());
    }

    // fields, because the block declares a local "epoch" from the loaded checkpoint
    private final SGD opt = new SGD(net.parameters(), 0.001, 0.9);
    private final int epoch = 5;
    private final double loss = 0.4;

    int checkpointBlock() {
        // region saving-checkpoint
        Checkpoint.save(Path.of("ckpt.safetensors"), Map.of(
                "epoch", epoch, "model", net.stateDict(), "optimizer", opt.stateDict(), "loss", loss));
        Map<String, Object> c = Checkpoint.load(Path.of("ckpt.safetensors"));
        int epoch = (Integer) c.get("epoch");
        Checkpoint.restore(c, Map.of("model", net, "optimizer", opt));     // all or nothing
        // endregion
        return epoch;
    }

    @Test
    void checkpoints() {
        assertEquals(5, checkpointBlock());
    }

    // Compiled, not run: the .pt files come from PyTorch (InteropTest in engine-java reads real ones).
    void fromPyTorch() {
        // region saving-pytorch
        net.loadStateDict(PyTorchFiles.loadStateDict(Path.of("weights.pt")));   // torch.save(model.state_dict(), ...)
        Map<?, ?> ckpt = (Map<?, ?>) PyTorchFiles.load(Path.of("checkpoint.pt"));  // {"epoch": .., "model": .., ...}
        // endregion
    }
}
