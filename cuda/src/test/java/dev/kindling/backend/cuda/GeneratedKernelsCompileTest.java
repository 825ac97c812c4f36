package dev.kindling.backend.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel the backend can generate compiles with NVIDIA's compiler for a Hopper GPU. NVRTC and nvcc share
 * the front end, so this catches template mistakes on a machine with the CUDA toolkit but no GPU (skipped
 * where nvcc is missing). All kernels go into one translation unit and stop at PTX (the front end and NVVM,
 * where template mistakes show; ptxas would double the ~10 s).
 */
class GeneratedKernelsCompileTest {
    static Path nvcc() {
        for (String p : new String[]{System.getenv("CUDA_HOME"), "/usr/local/cuda"}) {
            if (p != null && Files.isExecutable(Path.of(p, "bin", "nvcc"))) return Path.of(p, "bin", "nvcc");
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator)) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "nvcc"))) return Path.of(d, "nvcc");
            }
        }
        return null;
    }

    @Test
    void everyGeneratedKernelCompilesToPtxForSm90(@TempDir Path dir) throws IOException, InterruptedException {
        Path nvcc = nvcc();
        assumeTrue(nvcc != null, "nvcc not found (CUDA_HOME, /usr/local/cuda, PATH): cannot compile the generated kernels here");
        List<KernelSource> all = KernelCatalog.all();
        assertTrue(all.size() > 300, "catalog has " + all.size() + " kernels");
        assertEquals(all.size(), all.stream().map(KernelSource::name).distinct().count(), "kernel names must be unique per source");
        Path cu = dir.resolve("all.cu");
        Files.writeString(cu, KernelCatalog.translationUnit(all));
        Process p = new ProcessBuilder(nvcc.toString(), "-std=c++17", "-arch=sm_90", "-ptx", "-o", dir.resolve("all.ptx").toString(),
                cu.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "nvcc took more than 5 minutes");
        assertEquals(0, p.exitValue(), "nvcc failed:\n" + log + "\n" + Nvrtc.numbered(Files.readString(cu)));
        String ptx = Files.readString(dir.resolve("all.ptx"));
        for (KernelSource k : all) assertTrue(ptx.contains(".entry " + k.name() + "("), k.name() + " missing from the PTX");
    }
}
