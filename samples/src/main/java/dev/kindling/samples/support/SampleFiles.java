package dev.kindling.samples.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the samples find their data and put their pictures, whether they run from the repository root
 * ({@code mvn -pl samples exec:java}) or from {@code samples/} (tests).
 */
public final class SampleFiles {
    private SampleFiles() {}

    /** The {@code samples/} module folder. */
    public static Path samplesDir() {
        Path here = Path.of("").toAbsolutePath();
        if (Files.isDirectory(here.resolve("samples/data"))) return here.resolve("samples");
        if (Files.isDirectory(here.resolve("data")) && Files.exists(here.resolve("pom.xml"))) return here;
        throw new IllegalStateException("samples: run from the repository root or from samples/ (looked in " + here + ")");
    }

    /** A file of {@code samples/data/}, e.g. {@code data("breast_cancer.csv")}. */
    public static Path data(String name) {
        Path p = samplesDir().resolve("data").resolve(name);
        if (!Files.exists(p)) throw new IllegalStateException("samples: data file " + p + " is missing");
        return p;
    }

    /**
     * Where a sample writes an output file such as a PNG: next to the chapter's README normally,
     * under {@code samples/target/fast-output/} in fast mode so that CI runs leave the sources alone.
     */
    public static Path output(String chapterDir, String name) {
        Path dir = Fast.enabled() ? samplesDir().resolve("target/fast-output").resolve(chapterDir)
                : samplesDir().resolve(chapterDir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("samples: cannot create " + dir, e);
        }
        return dir.resolve(name);
    }

    /** A scratch file for checkpoints, under {@code samples/target/}. */
    public static Path scratch(String name) {
        Path dir = samplesDir().resolve("target/checkpoints");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("samples: cannot create " + dir, e);
        }
        return dir.resolve(name);
    }
}
