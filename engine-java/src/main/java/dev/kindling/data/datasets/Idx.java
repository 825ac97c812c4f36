package dev.kindling.data.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, plain or gzip-compressed (detected from the
 * content, not the name). Only unsigned-byte data is supported: magic {@code 0x00000801} (labels,
 * {@code [N]}) and {@code 0x00000803} (images, {@code [N, rows, cols]}), or any 1 to 4 dimensions of
 * unsigned bytes ({@code 0x000008NN}). The whole payload is decoded into one byte array at once.
 *
 * <pre>{@code
 * Idx.Data images = Idx.read(Path.of("train-images-idx3-ubyte.gz"));   // shape [60000, 28, 28]
 * int pixel = images.bytes()[0] & 0xFF;
 * }</pre>
 */
public final class Idx {
    /** Labels: unsigned bytes, one dimension. */
    public static final int MAGIC_LABELS = 0x801;
    /** Images: unsigned bytes, three dimensions. */
    public static final int MAGIC_IMAGES = 0x803;

    private Idx() { }

    /** An IDX file's content: its dimensions and its bytes in row-major order. */
    public record Data(int[] shape, byte[] bytes) {
        /** Number of items along the first dimension. */
        public int count() { return shape[0]; }
    }

    /**
     * Reads an IDX file. Errors name the file: missing, wrong magic number, corrupt gzip data,
     * truncated data, or bytes left over after the data.
     */
    public static Data read(Path file) {
        boolean gzip;
        try (InputStream probe = Files.newInputStream(file)) {
            gzip = probe.read() == 0x1f && probe.read() == 0x8b;
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("IDX file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read IDX file " + file + ": " + e.getMessage(), e);
        }
        String what = (gzip ? "gzip-compressed " : "") + "IDX file " + file;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
             InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] head = in.readNBytes(4);
            if (head.length < 4) throw new IllegalArgumentException(what + " is truncated: it has no complete 4-byte magic number");
            int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
            int ndim = magic & 0xFF;
            if ((magic >>> 8) != 0x08 || ndim < 1 || ndim > 4) {
                throw new IllegalArgumentException(what + " has magic number 0x" + String.format("%08X", magic)
                        + ", expected 0x00000801 (labels) or 0x00000803 (images): unsigned bytes in 1 to 4 dimensions;"
                        + " is it an IDX file, and is it complete?");
            }
            byte[] dims = in.readNBytes(4 * ndim);
            if (dims.length < 4 * ndim) throw new IllegalArgumentException(what + " is truncated inside its header of " + ndim + " dimension sizes");
            int[] shape = new int[ndim];
            long n = 1;
            for (int d = 0; d < ndim; d++) {
                int o = 4 * d;
                shape[d] = ((dims[o] & 0xFF) << 24) | ((dims[o + 1] & 0xFF) << 16) | ((dims[o + 2] & 0xFF) << 8) | (dims[o + 3] & 0xFF);
                if (shape[d] < 0) throw new IllegalArgumentException(what + " has a negative dimension size in its header: " + Arrays.toString(shape));
                n *= shape[d];
            }
            if (n > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(what + ": shape " + Arrays.toString(shape) + " holds more than 2^31 bytes");
            }
            byte[] bytes = in.readNBytes((int) n);
            if (bytes.length < n) {
                throw new IllegalArgumentException(what + " is truncated: shape " + Arrays.toString(shape) + " needs " + n
                        + " bytes of data but only " + bytes.length + " follow the header");
            }
            if (in.read() >= 0) {
                throw new IllegalArgumentException(what + " has bytes left over after the " + n + " bytes of shape "
                        + Arrays.toString(shape) + ": the header does not match the data");
            }
            return new Data(shape, bytes);
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(what + " is corrupt or truncated (gzip: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    /** Reads an IDX file and checks its number of dimensions (3 for images, 1 for labels). */
    public static Data read(Path file, int expectedDims) {
        Data d = read(file);
        if (d.shape().length != expectedDims) {
            throw new IllegalArgumentException("IDX file " + file + " has " + d.shape().length + " dimensions " + Arrays.toString(d.shape())
                    + ", expected " + expectedDims + " (magic 0x" + String.format("%08X", 0x800 + expectedDims) + ")");
        }
        return d;
    }
}
