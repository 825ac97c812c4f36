package dev.kindling.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file all at once: the content goes to a temporary file in the same folder, is forced to disk,
 * and is then renamed over the target (an atomic replace on POSIX file systems), after which the folder
 * itself is forced so the rename survives a power cut. On any failure the target keeps its old content and
 * the temporary file is deleted, so a crash or a full disk never leaves a half-written checkpoint behind.
 */
final class AtomicFile {
    private AtomicFile() {}

    /** Writes the whole content of the file into the channel. */
    interface Body {
        void write(FileChannel out) throws IOException;
    }

    static void write(String op, Path target, Body body) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UncheckedIOException(new IOException(op + ": cannot write " + target + ": folder " + dir + " does not exist"));
        }
        // a hidden name that no other writer picks; CREATE_NEW keeps the default permissions (umask)
        Path tmp = dir.resolve("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                body.write(ch);
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(op + ": cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the original failure is the one worth reporting
                }
            }
        }
    }

    /** Writes all of {@code b}, in slices so NIO's per-thread temporary direct buffers stay small. */
    static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        final int slice = 1 << 23;
        while (b.hasRemaining()) {
            ByteBuffer part = b.duplicate();
            part.limit(Math.min(b.limit(), b.position() + slice));
            while (part.hasRemaining()) out.write(part);
            b.position(part.position());
        }
    }

    private static void forceDirectory(Path dir) {
        // Linux allows fsync on a directory opened read-only; other systems may refuse, which only costs durability
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort
        }
    }
}
