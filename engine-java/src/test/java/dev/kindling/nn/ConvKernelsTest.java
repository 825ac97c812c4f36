package dev.kindling.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.ValuesIndices;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Convolution on the direct kernels (oneDNN, float32) and max pooling with indices, against PyTorch
 * (fixtures/nn/conv.json from gen_conv_fixtures.py), against the composite im2col path in float64, and
 * under create_graph, empty batches and concurrent callers.
 */
class ConvKernelsTest {
    private static JsonNode fixtures() throws IOException {
        try (InputStream in = ConvKernelsTest.class.getResourceAsStream("/fixtures/nn/conv.json")) {
            if (in == null) throw new IllegalStateException("fixture conv.json missing; run gen_conv_fixtures.py");
            return new ObjectMapper().readTree(in);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] r = new int[a.size()];
        for (int i = 0; i < r.length; i++) r[i] = a.get(i).asInt();
        return r;
    }

    @Test
    void oneDnnRunsFloat32ConvolutionOnThisPlatform() {
        // CI and development machines are linux-x86_64, where the native library ships; elsewhere the fallback is named
        String kernels = Kindling.convKernels();
        assertTrue(kernels.startsWith("oneDNN "), kernels);
        assertTrue(kernels.contains("im2col + gemm for float64") && kernels.contains("batch norm"), kernels);
    }

    @TestFactory
    Stream<DynamicTest> conv2dMatchesPyTorchInFloat32AndFloat64() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("conv")) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " " + dt, () -> {
                    Tensor x = NnFixtures.tensor(c.get("x")).to(dt).requiresGrad(true);
                    Tensor w = NnFixtures.tensor(c.get("weight")).to(dt).requiresGrad(true);
                    Tensor b = c.has("bias") ? NnFixtures.tensor(c.get("bias")).to(dt).requiresGrad(true) : null;
                    Tensor y = F.conv2d(x, w, b, ints(c.get("stride")), ints(c.get("padding")), ints(c.get("dilation")),
                            c.get("groups").asInt());
                    assertEquals(dt, y.dtype());
                    y.backward(NnFixtures.tensor(c.get("gy")).to(dt));
                    double tol = 3e-5; // PyTorch ran in float32: its own rounding bounds the agreement in either dtype
                    String name = c.get("name").asText();
                    NnFixtures.assertClose(name + " y", c.get("y"), y, tol);
                    NnFixtures.assertClose(name + " grad x", c.get("gx"), x.grad(), tol);
                    NnFixtures.assertClose(name + " grad weight", c.get("gw"), w.grad(), tol);
                    if (b != null) NnFixtures.assertClose(name + " grad bias", c.get("gb"), b.grad(), tol);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> convTranspose2dMatchesPyTorchInFloat32AndFloat64() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("conv_transpose")) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " " + dt, () -> {
                    Tensor x = NnFixtures.tensor(c.get("x")).to(dt).requiresGrad(true);
                    Tensor w = NnFixtures.tensor(c.get("weight")).to(dt).requiresGrad(true);
                    Tensor b = c.has("bias") ? NnFixtures.tensor(c.get("bias")).to(dt).requiresGrad(true) : null;
                    Tensor y = F.convTranspose2d(x, w, b, ints(c.get("stride")), ints(c.get("padding")), ints(c.get("output_padding")),
                            c.get("groups").asInt(), ints(c.get("dilation")));
                    y.backward(NnFixtures.tensor(c.get("gy")).to(dt));
                    String name = c.get("name").asText();
                    NnFixtures.assertClose(name + " y", c.get("y"), y, 3e-5);
                    NnFixtures.assertClose(name + " grad x", c.get("gx"), x.grad(), 3e-5);
                    NnFixtures.assertClose(name + " grad weight", c.get("gw"), w.grad(), 3e-5);
                    if (b != null) NnFixtures.assertClose(name + " grad bias", c.get("gb"), b.grad(), 3e-5);
                }));
            }
        }
        return tests.stream();
    }

    /** Second derivatives of a transposed convolution through the direct path equal the composite's. */
    @Test
    void doubleBackwardThroughDirectTransposedPath() {
        Kindling.manualSeed(6);
        Tensor x0 = Tensor.randn(2, 3, 4, 4), w0 = Tensor.randn(3, 2, 3, 3).mul(0.3);
        double[][] results = new double[2][];
        int k = 0;
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = x0.to(dt).detach().requiresGrad(true), w = w0.to(dt).detach().requiresGrad(true);
            Tensor y = F.convTranspose2d(x, w, null, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, 1, new int[]{1, 1});
            Tensor gx = Kindling.grad(y.pow(2).sum(), List.of(x), true).get(0);
            gx.pow(2).sum().backward();
            results[k++] = w.grad().toDoubleArray();
        }
        for (int i = 0; i < results[0].length; i++) {
            assertEquals(results[1][i], results[0][i], 2e-3 * (1 + Math.abs(results[1][i])), "d2/dw element " + i);
        }
    }

    @TestFactory
    Stream<DynamicTest> maxPoolWithIndicesMatchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("pool")) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " " + dt, () -> {
                    Tensor x = NnFixtures.tensor(c.get("x")).to(dt).requiresGrad(true);
                    ValuesIndices vi = F.maxPool2dWithIndices(x, ints(c.get("kernel")), ints(c.get("stride")),
                            ints(c.get("padding")), ints(c.get("dilation")));
                    String name = c.get("name").asText();
                    assertArrayEquals(NnFixtures.tensor(c.get("indices")).toLongArray(), vi.indices().toLongArray(), name + " indices");
                    assertSameValues(name + " values", NnFixtures.tensor(c.get("values")), vi.values());
                    vi.values().backward(NnFixtures.tensor(c.get("gy")).to(dt));
                    assertSameValues(name + " grad x", NnFixtures.tensor(c.get("gx")), x.grad());
                    // the module and F.maxPool2d give the same values
                    Tensor plain = F.maxPool2d(x.detach(), ints(c.get("kernel")), ints(c.get("stride")), ints(c.get("padding")),
                            ints(c.get("dilation")));
                    assertSameValues(name + " F.maxPool2d", vi.values(), plain);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> avgPoolMatchesPyTorch() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : fixtures().get("avg_pool")) {
            for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " " + dt, () -> {
                    Tensor x = NnFixtures.tensor(c.get("x")).to(dt).requiresGrad(true);
                    Tensor y = F.avgPool2d(x, ints(c.get("kernel")), ints(c.get("stride")), ints(c.get("padding")),
                            c.get("count_include_pad").asBoolean());
                    y.backward(NnFixtures.tensor(c.get("gy")).to(dt));
                    String name = c.get("name").asText();
                    NnFixtures.assertClose(name + " y", c.get("y"), y, 1e-5);
                    NnFixtures.assertClose(name + " grad x", c.get("gx"), x.grad(), 1e-5);
                }));
            }
        }
        return tests.stream();
    }

    /** Pooling gradients are differentiable again (create_graph) and pass a float64 gradcheck. */
    @Test
    void poolingGradientsCheckInFloat64() {
        Kindling.manualSeed(7);
        Tensor x = Tensor.randn(2, 2, 7, 6).to(DType.FLOAT64).requiresGrad(true);
        NnFixtures.gradCheck("avg_pool2d exclude pad", () -> F.avgPool2d(x, new int[]{3, 3}, new int[]{2, 2}, new int[]{1, 1}, false), List.of(x));
        NnFixtures.gradCheck("max_pool2d", () -> F.maxPool2d(x, new int[]{3, 2}, new int[]{2, 1}, new int[]{1, 1}, new int[]{1, 1}), List.of(x));
        for (boolean max : new boolean[]{true, false}) {
            x.setGrad(null);
            Tensor y = max ? F.maxPool2d(x, 2) : F.avgPool2d(x, new int[]{2, 2}, new int[]{1, 1}, new int[]{1, 1}, false);
            Tensor gx = Kindling.grad(y.pow(2).sum(), List.of(x), true).get(0);
            assertTrue(gx.requiresGrad(), "create_graph gives a differentiable gradient");
            gx.sum().backward();
            // d/dx of sum(2 * y * dy/dx) = 2 * (dy/dx)^T (dy/dx) 1: nonzero exactly where windows reach
            assertTrue(x.grad().abs().sum().item() > 0);
        }
    }

    /** The unrolled 2x2 window against PyTorch's row scan, on data full of ties, signed zeros, infinities and NaNs. */
    @Test
    void maxPool2x2MatchesTheRowScanOnSpecialValues() {
        java.util.Random r = new java.util.Random(8);
        float[] pool = {0f, -0f, 1f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 2f};
        int n = 3, c = 2, h = 6, w = 8;
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = pool[r.nextInt(pool.length)];
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            ValuesIndices vi = F.maxPool2dWithIndices(Tensor.fromArray(x, n, c, h, w).to(dt), new int[]{2, 2}, new int[]{2, 2},
                    new int[]{0, 0}, new int[]{1, 1});
            long[] idx = vi.indices().toLongArray();
            double[] vals = vi.values().toDoubleArray();
            for (int p = 0, o = 0; p < n * c; p++) {
                for (int oy = 0; oy < h / 2; oy++) {
                    for (int ox = 0; ox < w / 2; ox++, o++) {
                        // PyTorch: maxindex starts at the first tap, then val > maxval || isnan(val) takes over
                        int at = 2 * oy * w + 2 * ox;
                        float max = Float.NEGATIVE_INFINITY;
                        for (int ky = 0; ky < 2; ky++) {
                            for (int kx = 0; kx < 2; kx++) {
                                int i = (2 * oy + ky) * w + 2 * ox + kx;
                                float v = x[p * h * w + i];
                                if (v > max || Float.isNaN(v)) {
                                    max = v;
                                    at = i;
                                }
                            }
                        }
                        assertEquals(at, idx[o], dt + " index of output " + o);
                        assertEquals(Double.doubleToLongBits(x[p * h * w + at]), Double.doubleToLongBits(vals[o]), dt + " value of output " + o);
                    }
                }
            }
        }
    }

    private static void assertSameValues(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : Double.isInfinite(e[i]) ? e[i] == a[i] : Math.abs(e[i] - a[i]) <= 1e-6 * (1 + Math.abs(e[i]));
            if (!ok) fail(what + ": element " + i + " expected " + e[i] + " but was " + a[i]);
        }
    }

    /** The direct float32 path and the composite float64 path agree on strided, non-contiguous inputs. */
    @Test
    void directPathTakesNonContiguousInputs() {
        Kindling.manualSeed(3);
        Tensor base = Tensor.randn(2, 3, 9, 8);
        Tensor x = base.transpose(2, 3); // [2, 3, 8, 9], not contiguous
        Tensor w = Tensor.randn(3, 4, 3, 3).transpose(0, 1); // [4, 3, 3, 3], not contiguous
        Tensor y32 = F.conv2d(x, w, null, new int[]{2, 1}, new int[]{1, 0}, new int[]{1, 2}, 1);
        Tensor y64 = F.conv2d(x.to(DType.FLOAT64), w.to(DType.FLOAT64), null, new int[]{2, 1}, new int[]{1, 0}, new int[]{1, 2}, 1);
        NnFixtures.assertClose("non-contiguous", y64, y32, 1e-5);
    }

    /** Second derivatives through the direct path equal those of the composite float64 path. */
    @Test
    void doubleBackwardThroughDirectPath() {
        Kindling.manualSeed(4);
        Tensor x0 = Tensor.randn(2, 3, 6, 6), w0 = Tensor.randn(4, 3, 3, 3).mul(0.3), b0 = Tensor.randn(4);
        double[][] results = new double[2][];
        int k = 0;
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = x0.to(dt).detach().requiresGrad(true), w = w0.to(dt).detach().requiresGrad(true);
            Tensor b = b0.to(dt).detach().requiresGrad(true);
            Tensor y = F.conv2d(x, w, b, new int[]{1, 1}, new int[]{1, 1}, new int[]{1, 1}, 1);
            Tensor gx = Kindling.grad(y.pow(2).sum(), List.of(x), true).get(0);
            assertTrue(gx.requiresGrad(), "create_graph gives a differentiable gradient");
            gx.pow(2).sum().backward();
            results[k++] = w.grad().toDoubleArray();
        }
        for (int i = 0; i < results[0].length; i++) {
            assertEquals(results[1][i], results[0][i], 2e-3 * (1 + Math.abs(results[1][i])), "d2/dw element " + i);
        }
    }

    @Test
    void emptyBatchGivesEmptyOutputAndZeroWeightGradient() {
        Tensor x = Tensor.zeros(0, 3, 5, 5).requiresGrad(true);
        Conv2d conv = new Conv2d(3, 4, 3, 1, 1);
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[]{0, 4, 5, 5}, y.shape());
        y.sum().backward();
        assertEquals(0.0, conv.weight.grad().abs().sum().item());
        assertArrayEquals(new int[]{0, 3, 5, 5}, x.grad().shape());
    }

    @Test
    void concurrentCallersShareCachedPlansSafely() throws Exception {
        Kindling.manualSeed(5);
        Tensor x = Tensor.randn(4, 8, 12, 12), w = Tensor.randn(16, 8, 3, 3), b = Tensor.randn(16);
        double[] expected = F.conv2d(x, w, b, 1, 1).toDoubleArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    double[] last = null;
                    for (int i = 0; i < 10; i++) {
                        try (var scope = Kindling.scope()) {
                            last = F.conv2d(x, w, b, 1, 1).toDoubleArray();
                        }
                    }
                    return last;
                }));
            }
            for (Future<double[]> f : futures) assertArrayEquals(expected, f.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void noGradForwardRecordsNothing() {
        Conv2d conv = new Conv2d(2, 3, 3);
        try (var off = Kindling.noGrad()) {
            Tensor y = conv.forward(Tensor.randn(1, 2, 5, 5));
            assertNull(y.gradFn());
        }
    }

    /** Issue 14 item 3: PyTorch's floor semantics and errors for every output-size formula. */
    @Test
    void outputSizesFollowPyTorchFloorSemantics() {
        Tensor x = Tensor.randn(1, 1, 3, 3);
        // a 4x4 kernel with stride 4 on 3x3 used to give a 1x1 result: (3 - 4) / 4 truncated to 0, plus 1
        IllegalArgumentException conv = assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(x, Tensor.randn(1, 1, 4, 4), null, 4, 0));
        assertTrue(conv.getMessage().contains("conv2d") && conv.getMessage().contains("kernel size can't be greater"), conv.getMessage());
        IllegalArgumentException pool = assertThrows(IllegalArgumentException.class, () -> F.maxPool2d(x, 4, 4, 0));
        assertTrue(pool.getMessage().contains("max_pool2d") && pool.getMessage().contains("output size is too small"), pool.getMessage());
        IllegalArgumentException avg = assertThrows(IllegalArgumentException.class,
                () -> F.avgPool2d(x, new int[]{4, 4}, new int[]{4, 4}, new int[]{0, 0}, true));
        assertTrue(avg.getMessage().contains("avg_pool2d") && avg.getMessage().contains("output size is too small"), avg.getMessage());
        IllegalArgumentException unfold = assertThrows(IllegalArgumentException.class, () -> x.unfold2d(4, 4, 4, 4, 0, 0, 1, 1));
        assertTrue(unfold.getMessage().contains("unfold"), unfold.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.conv1d(Tensor.randn(1, 1, 3), Tensor.randn(1, 1, 4), null, 4, 0, 1, 1));
        // sizes that floor to >= 1 still work: 5 with kernel 4, stride 4 gives 1, and with padding 1 gives 2 (7 -> floor(3/4)+1)
        assertArrayEquals(new int[]{1, 1, 1, 1}, F.conv2d(Tensor.randn(1, 1, 5, 5), Tensor.randn(1, 1, 4, 4), null, 4, 0).shape());
        assertArrayEquals(new int[]{1, 1, 2, 2}, F.maxPool2d(Tensor.randn(1, 1, 7, 7), 4, 3, 1).shape());
        // dilation widens the kernel: 3x3 dilated by 2 spans 5 > 4
        assertThrows(IllegalArgumentException.class,
                () -> F.conv2d(Tensor.randn(1, 1, 4, 4), Tensor.randn(1, 1, 3, 3), null, new int[]{1, 1}, new int[]{0, 0}, new int[]{2, 2}, 1));
        // transposed convolution whose output would not be positive
        assertThrows(IllegalArgumentException.class,
                () -> F.convTranspose2d(Tensor.randn(1, 1, 1, 1), Tensor.randn(1, 1, 1, 1), null, 1, 1));
    }
}
