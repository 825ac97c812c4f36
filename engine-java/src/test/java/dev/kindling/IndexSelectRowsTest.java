package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * index_select and flip over a later dim, which pick within rows read whole: every dim of a 4-d tensor, 4- and
 * 8-byte dtypes and the ones left to the copies, repeated and reversed indices, NaN bits moved unchanged.
 */
class IndexSelectRowsTest {
    /** {@code x} of {@code shape} (row-major) with {@code idx} selected along {@code dim}, by plain loops. */
    private static double[] reference(double[] x, int[] shape, int dim, long[] idx) {
        int outer = 1, inner = 1, n = shape[dim];
        for (int d = 0; d < dim; d++) outer *= shape[d];
        for (int d = dim + 1; d < shape.length; d++) inner *= shape[d];
        double[] out = new double[outer * idx.length * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < idx.length; i++)
                for (int j = 0; j < inner; j++) out[(o * idx.length + i) * inner + j] = x[(o * n + (int) idx[i]) * inner + j];
        return out;
    }

    @Test
    void everyDimAndDtypeGivesThePlainLoops() {
        SplittableRandom r = new SplittableRandom(3);
        int[] shape = {3, 5, 4, 6};
        double[] x = new double[3 * 5 * 4 * 6];
        for (int i = 0; i < x.length; i++) x[i] = r.nextInt(-50, 50);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.INT32, DType.FLOAT16, DType.BOOL}) {
            Tensor t = Tensor.fromArray(x, shape).to(dt);
            double[] tv = t.toDoubleArray();
            for (int dim = 0; dim < 4; dim++) {
                int n = shape[dim];
                long[] idx = new long[n + 2];
                for (int i = 0; i < idx.length; i++) idx[i] = r.nextInt(n);
                idx[0] = n - 1;
                Tensor got = t.indexSelect(dim, Tensor.fromArray(idx, idx.length));
                assertEquals(dt, got.dtype());
                assertArrayEquals(reference(tv, shape, dim, idx), got.toDoubleArray(), 0.0, dt + " over dim " + dim);
                long[] rev = new long[n];
                for (int i = 0; i < n; i++) rev[i] = n - 1 - i;
                assertArrayEquals(reference(tv, shape, dim, rev), t.flip(dim).toDoubleArray(), 0.0, dt + " flipped over dim " + dim);
            }
        }
    }

    @Test
    void nanBitsMoveUnchanged() {
        float[] v = {Float.intBitsToFloat(0x7fc01234), -0f, Float.intBitsToFloat(0xff800001), 1f, 2f, 3f};
        float[] got = Tensor.fromArray(v, 2, 3).flip(1).toFloatArray();
        int[] order = {2, 1, 0, 5, 4, 3};
        for (int i = 0; i < 6; i++) assertEquals(Float.floatToRawIntBits(v[order[i]]), Float.floatToRawIntBits(got[i]), "element " + i);
    }
}
