package dev.kindling.data.datasets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path dir;

    /** An IDX file of unsigned bytes: magic 0x0800 + ndim, big-endian sizes, then the data. */
    static byte[] idx(int magic, int[] shape, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + data.length);
        b.putInt(magic);
        for (int s : shape) b.putInt(s);
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bos)) { gz.write(raw); }
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] pixels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7);
        return b;
    }

    Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    @Test void readsPlainAndGzip() throws IOException {
        byte[] px = pixels(3 * 4 * 5);
        byte[] raw = idx(0x803, new int[]{3, 4, 5}, px);
        for (Path p : new Path[]{write("a-idx3-ubyte", raw), write("b-idx3-ubyte.gz", gzip(raw)), write("c-no-suffix", gzip(raw))}) {
            Idx.Data d = Idx.read(p, 3);
            assertArrayEquals(new int[]{3, 4, 5}, d.shape());
            assertArrayEquals(px, d.bytes());
            assertEquals(3, d.count());
        }
        Idx.Data labels = Idx.read(write("l", idx(0x801, new int[]{4}, new byte[]{0, 9, (byte) 200, 1})), 1);
        assertEquals(200, labels.bytes()[2] & 0xFF);
    }

    static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' missing from: " + e.getMessage());
    }

    @Test void wrongMagicNamesTheFile() throws IOException {
        Path p = write("bad-magic", idx(0x0D03, new int[]{1, 1, 1}, new byte[4]));
        var e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p));
        assertMessage(e, p.toString(), "0x00000D03", "0x00000803");
        Path text = write("not-idx.txt", "hello, world".getBytes());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(text)), text.toString(), "magic");
        Path labels = write("labels", idx(0x801, new int[]{2}, new byte[2]));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(labels, 3)), labels.toString(), "expected 3");
    }

    @Test void truncatedFilesNameTheFile() throws IOException {
        byte[] raw = idx(0x803, new int[]{2, 3, 3}, pixels(18));
        Path shortData = write("short", Arrays.copyOf(raw, raw.length - 5));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(shortData)), shortData.toString(), "truncated", "18", "13");
        Path shortHeader = write("short-header", Arrays.copyOf(raw, 9));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(shortHeader)), shortHeader.toString(), "truncated");
        Path tiny = write("tiny", new byte[]{0, 0});
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(tiny)), tiny.toString(), "truncated");
        byte[] gz = gzip(raw);
        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(cut)), cut.toString(), "gzip");
        Path extra = write("extra", Arrays.copyOf(raw, raw.length + 3));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Idx.read(extra)), extra.toString(), "left over");
    }

    @Test void corruptGzipNamesTheFile() throws IOException {
        byte[] gz = gzip(idx(0x803, new int[]{2, 3, 3}, pixels(18)));
        for (int i = 12; i < gz.length - 8; i++) gz[i] ^= 0x5A;
        Path p = write("corrupt.gz", gz);
        var e = assertThrows(RuntimeException.class, () -> Idx.read(p));
        assertMessage(e, p.toString());
        Path missing = dir.resolve("nope");
        assertMessage(assertThrows(UncheckedIOException.class, () -> Idx.read(missing)), missing.toString(), "does not exist");
    }
}
