package dev.kindling.io;

import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A save that fails half way leaves the previous file as it was and no temporary file behind. */
class AtomicWriteTest {
    @TempDir Path dir;

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test void failureWhileWritingTensorDataKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("model.safetensors");
        Safetensors.save(Map.of("w", Tensor.randn(64, 64)), p);
        byte[] before = Files.readAllBytes(p);

        Map<String, Tensor> next = new LinkedHashMap<>();
        next.put("a", Tensor.randn(256, 256));   // written first (same dtype, name order)
        Tensor closed = Tensor.randn(8);
        closed.close();
        next.put("z", closed);                   // its data access throws after "a" is on disk
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Safetensors.save(next, p));
        assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("released"), e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(List.of(p), files());
        assertEquals(List.of("w"), List.copyOf(Safetensors.load(p).keySet()));
    }

    @Test void diskFullMidWriteKeepsTheOldFile() throws IOException {
        Path p = dir.resolve("ckpt.bin");
        Files.write(p, new byte[]{1, 2, 3});
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write("test", p, out -> {
            out.write(ByteBuffer.wrap(new byte[4096]));
            throw new IOException("No space left on device");
        }));
        assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("ckpt.bin"), e.getMessage());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(p));
        assertEquals(List.of(p), files());
    }

    @Test void checkpointSaveIsAtomicToo() throws IOException {
        Path p = dir.resolve("ckpt.safetensors");
        Checkpoint.save(p, Map.of("epoch", 1, "w", Tensor.ones(3)));
        byte[] before = Files.readAllBytes(p);
        Tensor closed = Tensor.ones(3);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Checkpoint.save(p, Map.of("epoch", 2, "w", closed)));
        assertArrayEquals(before, Files.readAllBytes(p));
        assertEquals(1, Checkpoint.load(p).get("epoch"));
        assertEquals(List.of(p), files());
    }

    @Test void successfulWriteReplacesTheFile() throws IOException {
        Path p = dir.resolve("f.bin");
        Files.write(p, new byte[]{9});
        AtomicFile.write("test", p, out -> out.write(ByteBuffer.wrap(new byte[]{4, 5})));
        assertArrayEquals(new byte[]{4, 5}, Files.readAllBytes(p));
        assertEquals(List.of(p), files());
    }
}
