package dev.kindling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bulk fills draw the stream the one-at-a-time methods draw: same values, and the same state after. */
class GeneratorBulkTest {
    @Test
    void fillGaussianIsNextGaussianOneByOne() {
        for (int n : new int[]{0, 1, 2, 7, 1000}) {
            Generator a = new Generator(11), b = new Generator(11);
            a.nextGaussian();                     // leaves a spare, which the fill must hand out first
            b.nextGaussian();
            double[] bulk = new double[n], single = new double[n];
            a.fillGaussian(bulk);
            for (int i = 0; i < n; i++) single[i] = b.nextGaussian();
            assertArrayEquals(single, bulk, 0.0, "n = " + n);
            assertArrayEquals(b.getState(), a.getState(), "state after " + n);
        }
    }

    @Test
    void fillBernoulliIsNextDoubleOneByOne() {
        for (double p : new double[]{0, 0.1, 0.5, 0.9, 1}) {
            Generator a = new Generator(5), b = new Generator(5);
            double[] bulk = new double[777];
            a.fillBernoulli(bulk, p);
            for (int i = 0; i < bulk.length; i++) assertEquals(b.nextDouble() < p ? 1.0 : 0.0, bulk[i], "p = " + p + ", draw " + i);
            assertArrayEquals(b.getState(), a.getState());
        }
    }

    @Test
    void dropoutMasksAreTheSeededOnes() {
        Kindling.manualSeed(21);
        Tensor x = Tensor.ones(64, 33);
        float[] got = dev.kindling.nn.F.dropout(x, 0.25, true).toFloatArray();
        Generator g = new Generator(21);
        for (int i = 0; i < got.length; i++) {
            float keep = g.nextDouble() < 0.75 ? 1f : 0f;
            assertEquals(keep / 0.75f, got[i], 1e-6f, "element " + i);
        }
    }
}
