package dev.kindling.docs;

import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.memory.MemoryStats;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The code of devices.md, memory.md and troubleshooting.md. */
class DevicesMemorySnippetsTest {

    @Test
    void devices() {
        var model = new Sequential(new Linear(20, 3));
        Tensor x = Tensor.randn(4, 20);
        // region devices-select
        Device device = Kindling.cudaAvailable() ? Device.cuda() : Device.CPU;   // "cuda" if available else "cpu"
        model.to(device);                                                        // model.to(device)
        Tensor xOnDevice = x.to(device);                                         // X.to(device)
        System.out.println(xOnDevice.device());                                  // cpu
        // endregion
        assertEquals(Device.CPU, xOnDevice.device());
    }

    @Test
    void cudaFailsClearly() {
        // region devices-cuda-error
        try {
            Tensor.randn(2, 2).to(Device.cuda());
        } catch (IllegalStateException e) {
            System.out.println(e.getMessage());
            // device cuda:0: no CUDA backend is installed; add the dependency dev.kindling:kindling-cuda (an NVIDIA GPU
            // with its driver and the CUDA 13 libraries are needed too), or use Device.CPU; Kindling.doctor() says what was found
        }
        // endregion
        var e = assertThrows(IllegalStateException.class, () -> Tensor.randn(2, 2).to(Device.cuda()));
        assertTrue(e.getMessage().contains("CUDA backend") && e.getMessage().contains("dev.kindling:kindling-cuda"), e.getMessage());
    }

    @Test
    void doctor() {
        // region devices-doctor
        System.out.println(Kindling.doctor());   // which BLAS, oneDNN and CUDA libraries were found, and why a GPU is (not) used
        // endregion
        assertTrue(Kindling.doctor().contains("\nGPU: not used: no CUDA backend is installed; add the dependency dev.kindling:kindling-cuda"),
                Kindling.doctor());
        assertTrue(Kindling.doctor().contains("\nProducts: "), Kindling.doctor());
    }

    @Test
    void scopes() {
        var model = new Sequential(new Linear(20, 16), new ReLU(), new Linear(16, 3));
        var optimizer = new Adam(model.parameters(), 1e-3);
        var criterion = new CrossEntropyLoss();
        Tensor x = Tensor.randn(32, 20);
        Tensor y = Tensor.randint(0, 3, 32);
        // region memory-scope
        double lossValue;
        try (var step = Kindling.scope()) {        // every tensor made inside belongs to the scope...
            optimizer.zeroGrad();
            Tensor loss = criterion.forward(model.forward(x), y);
            loss.backward();
            optimizer.step();
            lossValue = loss.item();
        }                                          // ...and is freed here: activations, saved tensors, temporaries
        // endregion
        assertTrue(lossValue > 0);
        // region memory-keep
        Tensor logits;
        try (var s = Kindling.scope()) {
            Tensor hidden = model.forward(x);      // freed when the scope closes
            logits = s.keep(hidden.softmax(1));    // survives: owned by the enclosing scope (or none)
        }
        System.out.println(logits.sum(1));         // still usable
        // endregion
        assertEquals(32.0, logits.sum().item(), 1e-3);
        // region memory-close
        Tensor big = Tensor.zeros(1024, 1024);     // 4 MiB off the Java heap
        big.close();                               // released now, not when the GC notices
        // endregion
        assertTrue(big.isClosed());
        // region memory-stats
        MemoryStats stats = Kindling.memoryStats();
        System.out.println(stats);   // MemoryStats(live=1.2 MiB, peak=5.3 MiB, pooled=4.0 MiB, allocations=..., ...)
        Kindling.resetPeakMemory();
        Kindling.emptyCache();       // give pooled buffers back to the operating system
        // endregion
        assertTrue(stats.allocations() > 0);
    }

    @Test
    void nativeBlas() {
        // region troubleshooting-blas
        System.out.println(Kindling.nativeBlasStatus());   // "OpenBLAS", or "Java fallback (<why>)"
        System.out.println(Kindling.nativeBlas());         // true when matmul runs on OpenBLAS
        System.out.println(Kindling.getNumThreads());      // Kindling's own pool
        Kindling.setNumThreads(2);                         // torch.set_num_threads(2)
        // endregion
        assertEquals(2, Kindling.getNumThreads());
    }
}
