package dev.kindling.io;

import java.nio.file.Path;

/**
 * A file that cannot be read as the format it claims: truncated, forged offsets, an unknown dtype, a pickle
 * asking for a global outside the allowed list. The message names the file and the problem.
 *
 * <pre>{@code
 * try { Safetensors.load(path); }
 * catch (FileFormatException e) { log.warn(e.getMessage()); }   // "model.safetensors: header length 9e18 ..."
 * }</pre>
 */
public class FileFormatException extends RuntimeException {
    private final transient Path file;

    /** A problem with {@code file}; the message starts with the file's path. */
    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem with {@code file} caused by {@code cause} (e.g. an I/O or JSON error). */
    public FileFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that was being read. */
    public Path file() { return file; }
}
