package dev.kindling.backend.cuda;

import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * On a machine without a usable GPU (CI, development machines) the module loads, says why CUDA is off, and a
 * CUDA tensor fails with that reason; nothing throws a linker error.
 */
class CudaUnavailableHereTest {
    @Test
    void theRealProbeGivesAReasonAndCudaTensorsFailWithIt() {
        assumeFalse(Kindling.cudaAvailable(), "this machine has a usable GPU; the GPU tests cover it");
        CudaBackendProvider provider = new CudaBackendProvider();
        String reason = provider.unavailableReason();
        assertTrue(reason != null && !reason.isBlank());
        assertFalse(reason.contains("Exception:") && reason.contains("\tat "), reason);
        assertEquals(0, Kindling.deviceCount());
        var e = assertThrows(IllegalStateException.class, () -> Tensor.randn(2, 2).to(Device.cuda()));
        assertEquals("device cuda:0: the CUDA backend is installed but not usable here: " + reason, e.getMessage());
    }

    @Test
    void doctorSaysWhatWasFoundAndWhyNoGpuIsUsed() {
        assumeFalse(Kindling.cudaAvailable(), "this machine has a usable GPU; the GPU tests cover it");
        String report = Kindling.doctor();
        assertTrue(report.startsWith("Kindling doctor\nJava: 17") || report.startsWith("Kindling doctor\nJava: "), report);
        assertTrue(report.contains("\nBLAS: "), report);
        assertTrue(report.contains("\noneDNN: "), report);
        assertTrue(report.contains("\nCUDA:\n  kindling-cuda (org.bytedeco:cuda 13.1-9.19-1.5.13)"), report);
        assertTrue(report.contains("  CUDA runtime: "), report);
        assertTrue(report.contains("\nGPU: not used: the CUDA backend is installed but not usable here: "
                + new CudaBackendProvider().unavailableReason()), report);
    }
}
