package dev.kindling.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.kindling.io.IoTesting.assertBitEqual;
import static dev.kindling.io.IoTesting.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code torch.save} files: real ones from the fixture script, and hostile or broken ones. */
class PyTorchFilesTest {
    @TempDir Path dir;

    @Test void readsViewsAndEveryStorageType() {
        LinkedHashMap<String, Tensor> sd = PyTorchFiles.loadStateDict(fixture("views.pt"));
        JsonNode expected = IoTesting.json("views.json");
        assertEquals(List.copyOf(iterable(expected.fieldNames())), List.copyOf(sd.keySet()));
        expected.fields().forEachRemaining(e -> assertBitEqual(IoTesting.tensor(e.getValue()), sd.get(e.getKey()), e.getKey()));
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test void readsAWholeTorchCheckpoint() {
        // {"epoch": 3, "model": state_dict, "optimizer": Adam state_dict, "loss": 0.25} from torch.save
        JsonNode expected = IoTesting.json("checkpoint.json");
        Map<?, ?> ckpt = assertInstanceOf(Map.class, PyTorchFiles.load(fixture("checkpoint.pt")));
        assertEquals(3L, ckpt.get("epoch"));
        assertEquals(0.25, ckpt.get("loss"));
        Map<?, ?> model = assertInstanceOf(Map.class, ckpt.get("model"));
        assertBitEqual(IoTesting.tensor(expected.get("fc_weight")), (Tensor) model.get("0.weight"), "model 0.weight");
        Map<?, ?> opt = assertInstanceOf(Map.class, ckpt.get("optimizer"));
        Map<?, ?> p0 = assertInstanceOf(Map.class, ((Map<?, ?>) opt.get("state")).get(0L));
        assertBitEqual(IoTesting.tensor(expected.get("exp_avg_0")), (Tensor) p0.get("exp_avg"), "exp_avg");
        assertBitEqual(IoTesting.tensor(expected.get("step_0")), (Tensor) p0.get("step"), "step");
        Map<?, ?> group = (Map<?, ?>) ((List<?>) opt.get("param_groups")).get(0);
        assertEquals(List.of(expected.get("betas").get(0).doubleValue(), expected.get("betas").get(1).doubleValue()), group.get("betas"));
        assertEquals(expected.get("params").size(), ((List<?>) group.get("params")).size());
        assertEquals(0L, ((List<?>) group.get("params")).get(0));
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorchFiles.loadStateDict(fixture("checkpoint.pt")));
        assertTrue(e.getMessage().contains("entry 'epoch' holds a Long"), e.getMessage());
    }

    @Test void refusesOsSystemFromARealTorchSave() {
        // torch.save of an object whose __reduce__ returns os.system: pickled as posix.system
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorchFiles.load(fixture("evil_reduce.pt")));
        assertTrue(e.getMessage().contains("refusing pickle global 'posix.system'"), e.getMessage());
    }

    @Test void refusesHandCraftedGlobals() {
        FileFormatException os = assertThrows(FileFormatException.class, () -> PyTorchFiles.load(fixture("evil_os_system.pt")));
        assertTrue(os.getMessage().contains("'os.system'"), os.getMessage());
        FileFormatException eval = assertThrows(FileFormatException.class, () -> PyTorchFiles.loadStateDict(fixture("evil_eval.pt")));
        assertTrue(eval.getMessage().contains("'builtins.eval'"), eval.getMessage());
        assertTrue(eval.getMessage().contains("evil_eval.pt"), eval.getMessage());
    }

    @Test void refusesAGlobalBeforeAnythingCouldCallIt() throws IOException {
        // GLOBAL subprocess.Popen, then garbage: the refusal must come at the GLOBAL, not at a later REDUCE
        byte[] pkl = ascii("\u0080\u0002csubprocess\nPopen\n\u00ff\u00ff");
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorchFiles.load(zip(pkl)));
        assertTrue(e.getMessage().contains("'subprocess.Popen'"), e.getMessage());
        // a torch class that is not on the list is refused too
        byte[] module = ascii("\u0080\u0002ctorch.nn.modules.linear\nLinear\n)R.");
        assertTrue(assertThrows(FileFormatException.class, () -> PyTorchFiles.load(zip(module))).getMessage()
                .contains("'torch.nn.modules.linear.Linear'"));
    }

    @Test void readsPlainPickledValues() throws IOException {
        // {'epoch': 3, 'lr': 0.5, 'name': 'x', 'ok': True, 'big': 2**70, 'ids': [1, 2], 'pair': (None, -1)}
        byte[] pkl = ascii("\u0080\u0002}q\u0000(X\u0005\u0000\u0000\u0000epochK\u0003X\u0002\u0000\u0000\u0000lrG?\u00e0\u0000\u0000\u0000\u0000\u0000\u0000"
                + "X\u0004\u0000\u0000\u0000nameX\u0001\u0000\u0000\u0000xX\u0002\u0000\u0000\u0000ok\u0088"
                + "X\u0003\u0000\u0000\u0000big\u008a\u0009\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0040"
                + "X\u0003\u0000\u0000\u0000ids]q\u0001(K\u0001K\u0002eX\u0004\u0000\u0000\u0000pairNJ\u00ff\u00ff\u00ff\u00ff\u0086u.");
        Object v = PyTorchFiles.load(zip(pkl));
        Map<?, ?> m = assertInstanceOf(Map.class, v);
        assertEquals(3L, m.get("epoch"));
        assertEquals(0.5, m.get("lr"));
        assertEquals("x", m.get("name"));
        assertEquals(true, m.get("ok"));
        assertEquals(java.math.BigInteger.TWO.pow(70), m.get("big"));
        assertEquals(List.of(1L, 2L), m.get("ids"));
        assertEquals(java.util.Arrays.asList(null, -1L), m.get("pair"));
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorchFiles.loadStateDict(zip(pkl)));
        assertTrue(e.getMessage().contains("not a state dict: entry 'epoch' holds a Long"), e.getMessage());
    }

    @Test void brokenArchivesAndPickles() throws IOException {
        FileFormatException noPkl = assertThrows(FileFormatException.class, () -> PyTorchFiles.load(fixture("no_data_pkl.pt")));
        assertTrue(noPkl.getMessage().contains("no <name>/data.pkl entry"), noPkl.getMessage());
        Path notZip = dir.resolve("notzip.pt");
        Files.write(notZip, "hello".getBytes(StandardCharsets.US_ASCII));
        assertTrue(assertThrows(FileFormatException.class, () -> PyTorchFiles.load(notZip)).getMessage().contains("not a zip archive"));
        // a safetensors file is not a torch.save file either
        assertThrows(FileFormatException.class, () -> PyTorchFiles.load(fixture("mlp.safetensors")));
        assertMessage(ascii("\u0080\u0002X\u00ff\u00ff\u00ff\u0000abc."), "runs past the end of the pickle");
        assertMessage(ascii("\u0080\u0002K\u0001"), "ends in the middle");
        assertMessage(ascii("\u0080\u0002h\u0005."), "memo key 5 was never stored");
        assertMessage(ascii("\u0080\u0002e."), "no MARK");
        assertMessage(ascii("\u0080\u0002\u00fe."), "unsupported pickle opcode 0xfe");
        assertMessage(ascii("\u0080\u0002K\u0001K\u0002."), "STOP with 2 values");
    }

    @Test void storagesAreCheckedAgainstTheArchive() throws IOException {
        // _rebuild_tensor_v2(storage('0', FloatStorage, numel 4), offset, size, stride, False, OrderedDict())
        String head = "\u0080\u0002}(X\u0001\u0000\u0000\u0000wctorch._utils\n_rebuild_tensor_v2\n((X\u0007\u0000\u0000\u0000storagectorch\nFloatStorage\n"
                + "X\u0001\u0000\u0000\u00000X\u0003\u0000\u0000\u0000cpuK\u0004tQ";
        String tail = "\u0089ccollections\nOrderedDict\n)RtRu.";
        byte[] okPkl = ascii(head + "K\u0001K\u0002K\u0001\u0086K\u0001K\u0002\u0086" + tail);   // offset 1, size (2,1), stride (1,2)
        byte[] data = new byte[16];
        java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[]{10, 11, 12, 13});
        Tensor w = PyTorchFiles.loadStateDict(zip(okPkl, "archive/data/0", data)).get("w");
        assertEquals(List.of(11f, 12f), List.of(w.toFloatArray()[0], w.toFloatArray()[1]));
        // a view reaching past its storage
        byte[] past = ascii(head + "K\u0003K\u0002\u0085K\u0001\u0085" + tail);
        assertTrue(assertThrows(FileFormatException.class, () -> PyTorchFiles.load(zip(past, "archive/data/0", data)))
                .getMessage().contains("reaches past its storage of 4 elements"));
        // storage shorter than its declared numel
        assertTrue(assertThrows(FileFormatException.class, () -> PyTorchFiles.load(zip(okPkl, "archive/data/0", new byte[12])))
                .getMessage().contains("truncated archive"));
        assertTrue(assertThrows(FileFormatException.class, () -> PyTorchFiles.load(zip(okPkl)))
                .getMessage().contains("storage '0' is missing"));
    }

    /** Random flips and truncations of a real data.pkl: a clean refusal or a load, never anything else. */
    @Test void fuzzedPicklesFailCleanly() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(fixture("mlp.pt").toFile())) {
            for (var e : java.util.Collections.list(z.entries())) {
                try (var in = z.getInputStream(e)) {
                    entries.put(e.getName().replaceFirst("^[^/]+/", "archive/"), in.readAllBytes());
                }
            }
        }
        byte[] pkl = entries.remove("archive/data.pkl");
        Object[] rest = entries.entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray();
        java.util.Random rnd = new java.util.Random(11);
        int refused = 0;
        for (int iter = 0; iter < 300; iter++) {
            byte[] b = iter % 4 == 0 ? java.util.Arrays.copyOf(pkl, rnd.nextInt(pkl.length)) : pkl.clone();
            if (iter % 4 != 0) for (int f = 0, n = 1 + rnd.nextInt(3); f < n; f++) b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            Path p = zip(b, rest);
            try {
                PyTorchFiles.load(p);
            } catch (FileFormatException e) {
                refused++;
            } catch (Throwable t) {
                org.junit.jupiter.api.Assertions.fail("iteration " + iter + ": " + t, t);
            }
            Files.delete(p);
        }
        assertTrue(refused > 100, "refused " + refused);
    }

    private void assertMessage(byte[] pkl, String expected) throws IOException {
        Path p = zip(pkl);
        FileFormatException e = assertThrows(FileFormatException.class, () -> PyTorchFiles.load(p));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] ascii(String s) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) b[i] = (byte) s.charAt(i);
        return b;
    }

    private int zips;

    private Path zip(byte[] pkl, Object... more) throws IOException {
        Path p = dir.resolve("crafted" + (zips++) + ".pt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            put(z, "archive/data.pkl", pkl);
            for (int i = 0; i < more.length; i += 2) put(z, (String) more[i], (byte[]) more[i + 1]);
        }
        Files.write(p, bytes.toByteArray());
        return p;
    }

    private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        OutputStream o = z;
        o.write(data);
        z.closeEntry();
    }
}
