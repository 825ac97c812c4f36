package dev.kindling.bench;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.io.LoadOptions;
import dev.kindling.io.PyTorchFiles;
import dev.kindling.io.Safetensors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Save/load throughput of a 128 MiB FLOAT32 state dict (32 tensors of 1024x1024): safetensors save (with its
 * fsync and atomic rename), load through heap reads, load through a memory map, and, when a file made by
 * {@code bench/python/io_bench.py} is given, PyTorchFiles.loadStateDict of a torch.save file. Files live in the page cache
 * (warm reads). Compare with {@code OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/python/io_bench.py}.
 *
 * <pre>java -cp ... dev.kindling.bench.IoBench [dir] [torch_file.pt]</pre>
 */
public final class IoBench {
    private IoBench() {}

    interface Body { void run() throws Exception; }

    static double medianMs(int warmup, int reps, Body b) throws Exception {
        for (int i = 0; i < warmup; i++) b.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long s = System.nanoTime();
            b.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }

    public static void main(String[] args) throws Exception {
        Kindling.setNumThreads(2);
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("iobench");
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (int i = 0; i < 32; i++) sd.put("layer" + i + ".weight", Tensor.randn(1024, 1024));
        double mib = 32 * 4.0;
        Path st = dir.resolve("bench.safetensors");
        double save = medianMs(2, 7, () -> Safetensors.save(sd, st));
        double load = medianMs(2, 7, () -> Safetensors.load(st).values().forEach(Tensor::close));
        double mmap = medianMs(2, 7, () -> Safetensors.load(st, LoadOptions.mmap()).values().forEach(Tensor::close));
        System.out.printf("state dict %.0f MiB (32 x [1024, 1024] float32)%n", mib);
        System.out.printf("Safetensors.save (fsync + rename) %8.1f ms  %6.0f MiB/s%n", save, mib / save * 1e3);
        System.out.printf("Safetensors.load (heap reads)     %8.1f ms  %6.0f MiB/s%n", load, mib / load * 1e3);
        System.out.printf("Safetensors.load (mmap)           %8.1f ms  %6.0f MiB/s%n", mmap, mib / mmap * 1e3);
        if (args.length > 1) {
            Path pt = Path.of(args[1]);
            double tl = medianMs(2, 7, () -> PyTorchFiles.loadStateDict(pt).values().forEach(Tensor::close));
            System.out.printf("PyTorchFiles.loadStateDict        %8.1f ms  %6.0f MiB/s%n", tl, mib / tl * 1e3);
        }
        Files.deleteIfExists(st);
    }
}
