package dev.kindling.data.datasets;

import com.sun.net.httpserver.HttpServer;
import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.data.Batch;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Image;
import dev.kindling.data.Sample;
import dev.kindling.data.transforms.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static dev.kindling.data.datasets.IdxTest.gzip;
import static dev.kindling.data.datasets.IdxTest.idx;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MnistTest {
    static final Path DEBIAN = Path.of("/usr/share/datasets/fashion-mnist");
    @TempDir Path root;

    /** n images of 28x28 where image i is filled with i, labels i % 10. */
    static byte[][] split(int n) {
        byte[] px = new byte[n * 784], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(px, i * 784, (i + 1) * 784, (byte) i);
            labels[i] = (byte) (i % 10);
        }
        return new byte[][]{gzip(idx(0x803, new int[]{n, 28, 28}, px)), gzip(idx(0x801, new int[]{n}, labels))};
    }

    static void writeSplit(Path dir, boolean train, int n) throws IOException {
        Files.createDirectories(dir);
        byte[][] s = split(n);
        String prefix = train ? "train" : "t10k";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), s[0]);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), s[1]);
    }

    /** A source whose system folder and mirrors are under the test's control. */
    static MNIST.Source source(Path system, List<String> mirrors, String[] md5) {
        return new MNIST.Source("FashionMNIST", "dataset-fashion-mnist", system, mirrors, md5, FashionMNIST.CLASSES);
    }

    @Test void findsTorchvisionLayoutAndPlainRoot() throws IOException {
        writeSplit(root.resolve("FashionMNIST").resolve("raw"), true, 12);
        var nowhere = source(root.resolve("none"), List.of(), new String[4]);
        var ds = new FashionMNIST(nowhere, root, true, false);
        assertEquals(12, ds.size());
        Sample s = ds.get(5);
        Image im = (Image) s.item(0);
        assertEquals(28, im.height());
        assertEquals(5, im.get(3, 4, 0));
        assertEquals(5L, s.item(1));
        assertEquals(5, ds.target(5));
        assertArrayEquals(new int[]{12}, ds.targets().shape());

        Path flat = root.resolve("flat");
        writeSplit(flat, false, 7);
        assertEquals(7, new FashionMNIST(nowhere, flat, false, false).size());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(12));
    }

    @Test void transformsApplyAndLoaderBatches() throws IOException {
        writeSplit(root, true, 10);
        var ds = new MNIST(root, true, Transforms.compose(Transforms.toTensor(), Transforms.normalize(0.5, 0.5)),
                Transforms.lambda((Long y) -> y * 2), false);
        Sample s = ds.get(3);
        assertArrayEquals(new int[]{1, 28, 28}, s.get(0).shape());
        assertEquals((3 / 255.0 - 0.5) / 0.5, s.get(0).select(1, 0).select(1, 0).item(), 1e-6);
        assertEquals(6L, s.item(1));
        Batch b = DataLoader.builder(ds).batchSize(4).build().iterator().next();
        assertArrayEquals(new int[]{4, 1, 28, 28}, b.get(0).shape());
        assertEquals(DType.INT64, b.get(1).dtype());
    }

    @Test void missingDataSaysWhereItLookedAndHowToGetIt() {
        var nowhere = source(root.resolve("system"), List.of("http://127.0.0.1:9/"), new String[]{"0", "0", "0", "0"});
        var e = assertThrows(IllegalStateException.class, () -> new FashionMNIST(nowhere, root, true, false));
        for (String part : new String[]{"train-images-idx3-ubyte", root.resolve("FashionMNIST").resolve("raw").toString(),
                root.resolve("system").toString(), "apt-get install dataset-fashion-mnist", "download=true"}) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' missing from: " + e.getMessage());
        }
        // download=true without a reachable mirror: the same advice plus the mirror's failure
        var d = assertThrows(IllegalStateException.class, () -> new FashionMNIST(nowhere, root, true, true));
        assertTrue(d.getMessage().contains("download failed") && d.getMessage().contains("127.0.0.1:9"), d.getMessage());
        assertTrue(d.getMessage().contains("apt-get install dataset-fashion-mnist"), d.getMessage());
        assertFalse(Files.exists(root.resolve("FashionMNIST/raw/train-images-idx3-ubyte.gz")), "no partial file is left");
    }

    @Test void downloadChecksMd5() throws Exception {
        byte[][] files = split(3);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String name = ex.getRequestURI().getPath().substring(1);
            byte[] body = name.startsWith("train-images") ? files[0] : name.startsWith("train-labels") ? files[1] : null;
            if (body == null) {
                ex.sendResponseHeaders(404, -1);
            } else {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
            ex.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            String[] md5 = {md5(files[0]), md5(files[1]), "x", "x"};
            var wrongSum = source(root.resolve("system"), List.of(url), new String[]{"0123", md5[1], "x", "x"});
            var e = assertThrows(IllegalStateException.class, () -> new FashionMNIST(wrongSum, root, true, true));
            assertTrue(e.getMessage().contains("MD5 checksum"), e.getMessage());
            assertFalse(Files.exists(root.resolve("FashionMNIST/raw/train-images-idx3-ubyte.gz")));

            var good = source(root.resolve("system"), List.of("http://127.0.0.1:9/", url), md5);
            var ds = new FashionMNIST(good, root, true, true);
            assertEquals(3, ds.size());
            assertTrue(Files.exists(root.resolve("FashionMNIST/raw/train-images-idx3-ubyte.gz")));
            // now found locally, without the network
            assertEquals(3, new FashionMNIST(source(root.resolve("system"), List.of(), new String[4]), root, true, false).size());
        } finally {
            server.stop(0);
        }
    }

    static String md5(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    }

    @Test void realFashionMnist() {
        assumeTrue(Files.isRegularFile(DEBIAN.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipping the real-data test");
        long t0 = System.nanoTime();
        var train = new FashionMNIST(root.resolve("empty"), true, Transforms.toTensor());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        var test = new FashionMNIST(root.resolve("empty"), false);
        assertEquals(60000, train.size());
        assertEquals(10000, test.size());
        assertEquals("Ankle boot", FashionMNIST.CLASSES.get(train.target(0)));   // the well-known first training image
        Tensor x = train.get(0).get(0);
        assertArrayEquals(new int[]{1, 28, 28}, x.shape());
        assertTrue(x.min().item() >= 0 && x.max().item() <= 1);
        // every class has 6000 training images
        long[] counts = new long[10];
        for (long y : train.targets().toLongArray()) counts[(int) y]++;
        for (long c : counts) assertEquals(6000, c);
        assertTrue(ms < 20_000, "decoding 60,000 images took " + ms + " ms");
    }
}
