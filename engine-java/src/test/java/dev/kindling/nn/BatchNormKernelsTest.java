package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch norm on the backend's kernels (oneDNN, float32) against the composite path in float64: outputs, input
 * and parameter gradients, running statistics, eval mode, 2-D to 5-D inputs, no affine part, create_graph.
 * (LayerFixtureTest's float32 checks compare the same layers with PyTorch.)
 */
class BatchNormKernelsTest {
    // [2, 32, 3, 5] runs on the blocked nChw16c layout, the others on the plain one
    private static final int[][] SHAPES = {{16, 5}, {4, 3, 7}, {3, 4, 5, 6}, {2, 32, 3, 5}, {2, 3, 2, 3, 4}};

    private static Tensor f64(Tensor t) { return t == null ? null : t.detach().to(DType.FLOAT64).requiresGrad(true); }

    private static Tensor f32(Tensor t) { return t == null ? null : t.detach().to(DType.FLOAT32).requiresGrad(true); }

    @Test
    void trainingAndEvalMatchTheCompositeInFloat64() {
        Kindling.manualSeed(11);
        for (int[] shape : SHAPES) {
            for (boolean affine : new boolean[]{true, false}) {
                for (boolean training : new boolean[]{true, false}) {
                    int c = shape[1];
                    Tensor x = Tensor.randn(shape).mul(2).add(0.5), gy = Tensor.randn(shape);
                    Tensor w = affine ? Tensor.randn(c).mul(0.5).add(1) : null, b = affine ? Tensor.randn(c) : null;
                    Tensor rm = Tensor.randn(c).mul(0.1), rv = Tensor.rand(c).add(0.5);
                    Tensor[] r32 = run(f32(x), f32(w), f32(b), rm.clone(), rv.clone(), gy, training);
                    Tensor[] r64 = run(f64(x), f64(w), f64(b), rm.to(DType.FLOAT64), rv.to(DType.FLOAT64), gy.to(DType.FLOAT64), training);
                    String what = java.util.Arrays.toString(shape) + (affine ? " affine" : "") + (training ? " train" : " eval");
                    String[] names = {"y", "grad x", "grad weight", "grad bias", "running mean", "running var"};
                    for (int i = 0; i < r32.length; i++) {
                        if (r64[i] == null) continue;
                        NnFixtures.assertClose(what + " " + names[i], r64[i], r32[i], 2e-5);
                    }
                }
            }
        }
    }

    private static Tensor[] run(Tensor x, Tensor w, Tensor b, Tensor rm, Tensor rv, Tensor gy, boolean training) {
        Tensor y = F.batchNorm(x, rm, rv, w, b, training, 0.1, 1e-5);
        y.backward(gy.to(x.dtype()));
        return new Tensor[]{y, x.grad(), w == null ? null : w.grad(), b == null ? null : b.grad(), rm, rv};
    }

    @Test
    void moduleUsesTheKernelsAndKeepsPyTorchsRunningStatistics() {
        Kindling.manualSeed(12);
        BatchNorm2d bn = new BatchNorm2d(3);
        Tensor x = Tensor.randn(4, 3, 5, 5).mul(3).add(1);
        Tensor y = bn.forward(x);
        assertEquals("NativeBatchNormBackward0", y.gradFn().name());
        // running_var is the unbiased variance: momentum 0.1 from 1
        Tensor var = x.to(DType.FLOAT64).var(new int[]{0, 2, 3}, true, false);
        for (int ch = 0; ch < 3; ch++) {
            assertEquals(0.9 + 0.1 * var.select(0, ch).item(), bn.runningVar().select(0, ch).item(), 1e-5);
        }
        assertEquals(1.0, bn.numBatchesTracked().item());
    }

    @Test
    void doubleBackwardMatchesTheComposite() {
        Kindling.manualSeed(13);
        Tensor x0 = Tensor.randn(4, 3, 3, 3), w0 = Tensor.randn(3).add(1), b0 = Tensor.randn(3);
        double[][] out = new double[2][];
        int k = 0;
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = x0.to(dt).detach().requiresGrad(true), w = w0.to(dt).detach().requiresGrad(true);
            Tensor b = b0.to(dt).detach().requiresGrad(true);
            Tensor y = F.batchNorm(x, null, null, w, b, true, 0.1, 1e-5);
            Tensor gx = Kindling.grad(y.pow(3).sum(), List.of(x), true).get(0);
            assertTrue(gx.requiresGrad());
            gx.pow(2).sum().backward();
            out[k++] = x.grad().toDoubleArray();
        }
        for (int i = 0; i < out[0].length; i++) assertEquals(out[1][i], out[0][i], 1e-3 * (1 + Math.abs(out[1][i])), "element " + i);
    }
}
