package dev.kindling.backend.cuda;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Compiled kernels of one device, cached twice: loaded in memory (an LRU of {@code maxLoaded} kernels, keyed by
 * source hash) and as binaries on disk under {@code dir/<compiler version>/<arch>/<hash>.cubin}, so a second run
 * of a program compiles nothing. The disk cache is bounded by {@code maxDiskBytes}: past it the files used longest
 * ago (a hit refreshes a file's time) are deleted. A disk that cannot be written is not an error: kernels are then
 * compiled once per run.
 *
 * @param <F> the handle of a loaded kernel
 */
final class KernelCache<F> {
    private static final Logger LOG = Logger.getLogger("dev.kindling.backend.cuda");

    /** How often each path was taken, for tests and {@code doctor()}. */
    record Stats(long memoryHits, long diskHits, long compiles, long evicted) {}

    private final String arch;
    private final KernelCompiler compiler;
    private final ModuleLoader<F> loader;
    private final Path dir;
    private final long maxDiskBytes;
    private final Map<String, F> loaded;
    private long memoryHits, diskHits, compiles, evicted;
    private boolean diskWarned;

    KernelCache(String arch, KernelCompiler compiler, ModuleLoader<F> loader, Path dir, int maxLoaded, long maxDiskBytes) {
        this.arch = arch;
        this.compiler = compiler;
        this.loader = loader;
        this.dir = dir == null ? null : dir.resolve(compiler.version()).resolve(arch);
        this.maxDiskBytes = maxDiskBytes;
        this.loaded = new LinkedHashMap<>(64, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, F> eldest) {
                if (size() <= maxLoaded) return false;
                evicted++;
                loader.unload(eldest.getValue());
                return true;
            }
        };
    }

    /** The default disk location: {@code -Dkindling.cudaCacheDir}, else {@code $XDG_CACHE_HOME/kindling/cuda}, else {@code ~/.cache/kindling/cuda}. */
    static Path defaultDir() {
        String p = System.getProperty("kindling.cudaCacheDir");
        if (p != null) return p.isEmpty() ? null : Path.of(p);
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kindling").resolve("cuda");
    }

    /** The loaded kernel of {@code source}: from memory, else from disk, else compiled (and written to disk). */
    synchronized F get(KernelSource source) {
        String hash = source.hash();
        F f = loaded.get(hash);
        if (f != null) {
            memoryHits++;
            return f;
        }
        byte[] image = readDisk(hash);
        if (image != null) {
            diskHits++;
        } else {
            image = compiler.compile(source, arch);
            compiles++;
            writeDisk(hash, image);
        }
        f = loader.load(image, source.name());
        loaded.put(hash, f);
        return f;
    }

    synchronized Stats stats() { return new Stats(memoryHits, diskHits, compiles, evicted); }

    /** Unloads every kernel (the device is being reset); the disk cache stays. */
    synchronized void clear() {
        for (F f : loaded.values()) loader.unload(f);
        loaded.clear();
    }

    private Path file(String hash) { return dir.resolve(hash + ".cubin"); }

    private byte[] readDisk(String hash) {
        if (dir == null) return null;
        Path f = file(hash);
        try {
            byte[] b = Files.readAllBytes(f);
            Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis()));
            return b.length == 0 ? null : b;
        } catch (IOException e) {
            return null; // not there (or unreadable): compile
        }
    }

    private void writeDisk(String hash, byte[] image) {
        if (dir == null) return;
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, hash, ".tmp");
            Files.write(tmp, image);
            try {
                Files.move(tmp, file(hash), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file(hash), StandardCopyOption.REPLACE_EXISTING);
            }
            trimDisk();
        } catch (IOException e) {
            if (!diskWarned) {
                diskWarned = true;
                LOG.warning("kindling: cannot write compiled CUDA kernels to " + dir + " (" + e.getMessage()
                        + "); they are compiled once per run instead (set -Dkindling.cudaCacheDir)");
            }
        }
    }

    /** Deletes the binaries used longest ago until the folder is within {@code maxDiskBytes}. */
    private void trimDisk() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".cubin")).forEach(files::add);
        }
        long total = 0;
        Map<Path, long[]> meta = new LinkedHashMap<>();
        for (Path p : files) {
            long[] m = {Files.size(p), Files.getLastModifiedTime(p).toMillis()};
            meta.put(p, m);
            total += m[0];
        }
        if (total <= maxDiskBytes) return;
        files.sort(Comparator.comparingLong(p -> meta.get(p)[1]));
        for (Path p : files) {
            if (total <= maxDiskBytes) break;
            Files.deleteIfExists(p);
            total -= meta.get(p)[0];
        }
    }
}
