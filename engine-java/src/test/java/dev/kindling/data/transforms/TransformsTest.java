package dev.kindling.data.transforms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.data.Image;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Against torch values from src/test/python/data_transforms.py. */
class TransformsTest {
    static JsonNode fx;

    @BeforeAll static void load() throws Exception {
        try (InputStream in = TransformsTest.class.getResourceAsStream("/fixtures/data/transforms.json")) {
            fx = new ObjectMapper().readTree(in);
        }
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }

    static int[] ints(JsonNode a) {
        int[] d = new int[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asInt();
        return d;
    }

    static Image image(JsonNode bytes, JsonNode hwc) {
        int[] v = ints(bytes), s = ints(hwc);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return new Image(b, s[0], s[1], s[2]);
    }

    static void close(double[] expected, Tensor got, double tol) {
        double[] g = got.toDoubleArray();
        assertEquals(expected.length, g.length);
        for (int i = 0; i < g.length; i++) assertEquals(expected[i], g[i], tol, "element " + i);
    }

    @Test void toTensorMatchesTorch() {
        JsonNode c = fx.get("to_tensor");
        Tensor t = Transforms.toTensor().apply(image(c.get("bytes"), c.get("hwc")));
        assertArrayEquals(new int[]{3, 3, 4}, t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        close(doubles(c.get("expected")), t, 0);
        assertArrayEquals(new int[]{1, 2, 2}, Transforms.toTensor().apply(Image.gray(new byte[4], 2, 2)).shape());
    }

    @Test void normalizeMatchesTorch() {
        JsonNode c = fx.get("normalize");
        Tensor x = Tensor.fromArray(doubles(c.get("input")), ints(c.get("shape"))).to(DType.FLOAT32);
        close(doubles(c.get("expected")), Transforms.normalize(doubles(c.get("mean")), doubles(c.get("std"))).apply(x), 1e-6);
        close(x.sub(0.5).div(0.25).toDoubleArray(), Transforms.normalize(0.5, 0.25).apply(x), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(new double[]{0, 0}, new double[]{1, 1}).apply(x));
        assertTrue(e.getMessage().contains("3 channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Transforms.normalize(0, 0));
    }

    @Test void resizeMatchesInterpolate() {
        JsonNode c = fx.get("resize");
        Tensor x = Tensor.fromArray(doubles(c.get("input")), ints(c.get("shape")));
        for (JsonNode k : c.get("cases")) {
            int[] s = ints(k.get("size"));
            Tensor y = Transforms.resize(s[0], s[1]).apply(x);
            assertArrayEquals(new int[]{2, s[0], s[1]}, y.shape());
            close(doubles(k.get("expected")), y, 1e-12);
        }
        JsonNode b = fx.get("resize_bytes");
        int[] s = ints(b.get("size"));
        Image im = Transforms.resize(s[0], s[1]).apply(image(b.get("bytes"), b.get("hwc")));
        int[] want = ints(b.get("expected"));
        for (int i = 0; i < want.length; i++) assertEquals(want[i], im.data()[i] & 0xFF, "byte " + i);
        // resize(int): the smaller edge becomes size, the aspect ratio stays
        assertArrayEquals(new int[]{2, 10, 14}, Transforms.resize(10).apply(x).shape());
        Image tall = Transforms.resize(4).apply(Image.gray(new byte[20 * 10], 20, 10));
        assertEquals(8, tall.height());
        assertEquals(4, tall.width());
    }

    @Test void centerCropMatchesTorchvision() {
        JsonNode c = fx.get("center_crop");
        Tensor x = Tensor.fromArray(doubles(c.get("input")), ints(c.get("shape"))).to(DType.FLOAT32);
        for (JsonNode k : c.get("cases")) {
            int[] s = ints(k.get("size"));
            Tensor y = Transforms.centerCrop(s[0], s[1]).apply(x);
            close(doubles(k.get("expected")), y, 0);
            // the Image path crops the same pixels
            Image im = Transforms.centerCrop(s[0], s[1]).apply(bytesOf(x.select(0, 0)));
            double[] channel0 = java.util.Arrays.copyOf(doubles(k.get("expected")), s[0] * s[1]);
            close(channel0, Transforms.toTensor().apply(im).mul(255).round().reshape(-1), 0);
        }
    }

    /** A [H, W] tensor of small whole numbers as a grayscale image. */
    static Image bytesOf(Tensor hw) {
        float[] v = hw.contiguous().toFloatArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return Image.gray(b, hw.size(0), hw.size(1));
    }

    @Test void flipAndRandomCrop() {
        Tensor x = Tensor.arange(0, 12).reshape(1, 3, 4).to(DType.FLOAT32);
        assertTrue(Transforms.randomHorizontalFlip(1).apply(x).equal(x.flip(-1)));
        assertSame(x, Transforms.randomHorizontalFlip(0).apply(x));
        Image im = new Image(new byte[]{1, 2, 3, 4, 5, 6}, 1, 2, 3);
        assertArrayEquals(new byte[]{4, 5, 6, 1, 2, 3}, Transforms.randomHorizontalFlip(1).apply(im).data());
        // a crop of the padded image: every window lies inside the zero-padded input
        Tensor padded = Tensor.zeros(1, 7, 8);
        padded.narrow(1, 2, 3).narrow(2, 2, 4).copy_(x);
        for (int trial = 0; trial < 20; trial++) {
            Tensor y = Transforms.randomCrop(3, 2).apply(x);
            assertArrayEquals(new int[]{1, 3, 3}, y.shape());
            boolean found = false;
            for (int t = 0; t <= 4 && !found; t++) {
                for (int l = 0; l <= 5 && !found; l++) found = padded.narrow(1, t, 3).narrow(2, l, 3).equal(y);
            }
            assertTrue(found, "crop is a window of the padded image: " + y);
        }
        Image c = Transforms.randomCrop(2, 1).apply(Image.gray(new byte[]{9, 9, 9, 9}, 2, 2));
        assertEquals(2, c.height());
        var e = assertThrows(IllegalArgumentException.class, () -> Transforms.randomCrop(5).apply(x));
        assertTrue(e.getMessage().contains("larger than the input image size"), e.getMessage());
    }

    @Test void composeRunsInOrderAndNamesTheFailingStep() {
        var t = Transforms.compose(Transforms.toTensor(), Transforms.normalize(0.5, 0.5), Transforms.lambda((Tensor v) -> v.mul(2)));
        Tensor y = (Tensor) t.apply(Image.gray(new byte[]{(byte) 255, 0}, 1, 2));
        assertArrayEquals(new float[]{2, -2}, y.toFloatArray());
        assertTrue(t.toString().startsWith("Compose(ToTensor(), Normalize("), t.toString());
        var wrong = Transforms.compose(Transforms.normalize(0.5, 0.5));
        var e = assertThrows(IllegalArgumentException.class, () -> wrong.apply(Image.gray(new byte[1], 1, 1)));
        assertTrue(e.getMessage().contains("step 0") && e.getMessage().contains("Normalize"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Transforms.randomHorizontalFlip(0.5).apply("text"));
        assertTrue(e2.getMessage().contains("RandomHorizontalFlip"), e2.getMessage());
        Transform<Image, Tensor> chained = Transforms.toTensor().andThen(Transforms.normalize(0, 1));
        assertEquals(1f, chained.apply(Image.gray(new byte[]{(byte) 255}, 1, 1)).item(), 0);
    }
}
