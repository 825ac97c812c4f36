package dev.kindling.backend.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two-level kernel cache with a fake compiler and loader: hits, misses, disk reuse and both evictions. */
class KernelCacheTest {
    /** Compiles to the source's bytes prefixed with the arch, counting calls. */
    static final class FakeCompiler implements KernelCompiler {
        int calls;

        @Override public byte[] compile(KernelSource source, String arch) {
            calls++;
            return (arch + ":" + source.code()).getBytes(StandardCharsets.UTF_8);
        }

        @Override public String version() { return "fake-1.0"; }
    }

    /** "Loads" an image as its text; records unloads. */
    static final class FakeLoader implements ModuleLoader<String> {
        final List<String> unloaded = new ArrayList<>();

        @Override public String load(byte[] image, String name) { return name + "=" + new String(image, StandardCharsets.UTF_8); }

        @Override public void unload(String kernel) { unloaded.add(kernel); }
    }

    private static KernelSource src(int i) { return new KernelSource("k" + i, "extern \"C\" __global__ void k" + i + "() {} // " + "x".repeat(100)); }

    @Test
    void compilesOnceThenHitsMemoryThenDiskAcrossInstances(@TempDir Path dir) throws IOException {
        FakeCompiler c = new FakeCompiler();
        KernelCache<String> cache = new KernelCache<>("sm_90", c, new FakeLoader(), dir, 16, 1 << 20);
        String k = cache.get(src(1));
        assertSame(k, cache.get(src(1)));
        assertEquals(new KernelCache.Stats(1, 0, 1, 0), cache.stats());
        Path file = dir.resolve("fake-1.0").resolve("sm_90").resolve(src(1).hash() + ".cubin");
        assertArrayEquals(("sm_90:" + src(1).code()).getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));

        KernelCache<String> second = new KernelCache<>("sm_90", c, new FakeLoader(), dir, 16, 1 << 20);
        assertEquals(k, second.get(src(1)));
        assertEquals(new KernelCache.Stats(0, 1, 0, 0), second.stats());
        assertEquals(1, c.calls);

        // another architecture, or another source, is another key
        KernelCache<String> other = new KernelCache<>("sm_80", c, new FakeLoader(), dir, 16, 1 << 20);
        other.get(src(1));
        assertEquals(2, c.calls);
        second.get(src(2));
        assertEquals(3, c.calls);
    }

    @Test
    void theMemoryLruUnloadsTheKernelUsedLongestAgo(@TempDir Path dir) {
        FakeLoader loader = new FakeLoader();
        KernelCache<String> cache = new KernelCache<>("sm_90", new FakeCompiler(), loader, dir, 2, 1 << 20);
        String k1 = cache.get(src(1));
        cache.get(src(2));
        cache.get(src(1)); // k1 is now the most recent
        cache.get(src(3)); // evicts k2
        assertEquals(1, loader.unloaded.size());
        assertTrue(loader.unloaded.get(0).startsWith("k2="), loader.unloaded.toString());
        assertSame(k1, cache.get(src(1)));
        assertEquals(1, cache.stats().evicted());
        cache.clear();
        assertEquals(3, loader.unloaded.size());
    }

    @Test
    void theDiskCacheDropsTheOldestFilesPastItsLimit(@TempDir Path dir) throws IOException {
        long each = ("sm_90:" + src(0).code()).length();
        KernelCache<String> cache = new KernelCache<>("sm_90", new FakeCompiler(), new FakeLoader(), dir, 16, 3 * each);
        Path sub = dir.resolve("fake-1.0").resolve("sm_90");
        for (int i = 0; i < 3; i++) {
            cache.get(src(i));
            Files.setLastModifiedTime(sub.resolve(src(i).hash() + ".cubin"), FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        cache.get(src(3)); // four files, room for three: the oldest (k0) goes
        try (Stream<Path> s = Files.list(sub)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(3, names.size(), names.toString());
            assertFalse(names.contains(src(0).hash() + ".cubin"), names.toString());
        }
    }

    @Test
    void anUnwritableDiskOnlyCostsRecompiles(@TempDir Path dir) throws IOException {
        Path blocked = dir.resolve("file");
        Files.writeString(blocked, "not a folder");
        FakeCompiler c = new FakeCompiler();
        KernelCache<String> cache = new KernelCache<>("sm_90", c, new FakeLoader(), blocked, 16, 1 << 20);
        assertTrue(cache.get(src(1)).startsWith("k1="));
        KernelCache<String> none = new KernelCache<>("sm_90", c, new FakeLoader(), null, 16, 1 << 20);
        none.get(src(1));
        assertEquals(2, c.calls);
    }

    @Test
    void theHashIsTheSha256OfTheSource() {
        KernelSource s = new KernelSource("k", "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", s.hash());
        assertEquals(64, src(1).hash().length());
        assertFalse(src(1).hash().equals(src(2).hash()));
    }

    @Test
    void theDefaultFolderFollowsThePropertyThenXdgThenHome() {
        String old = System.getProperty("kindling.cudaCacheDir");
        try {
            System.setProperty("kindling.cudaCacheDir", "/tmp/kc");
            assertEquals(Path.of("/tmp/kc"), KernelCache.defaultDir());
            System.clearProperty("kindling.cudaCacheDir");
            Path d = KernelCache.defaultDir();
            assertTrue(d.endsWith(Path.of("kindling", "cuda")), d.toString());
        } finally {
            if (old == null) System.clearProperty("kindling.cudaCacheDir");
            else System.setProperty("kindling.cudaCacheDir", old);
        }
    }
}
