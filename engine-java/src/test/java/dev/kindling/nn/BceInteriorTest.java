package dev.kindling.nn;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * binary_cross_entropy on inputs all inside (0, 1), which takes the plain formula alone, gives the general path's
 * values and gradients: the general path written out here (plain and boundary branches selected by {@code where}),
 * compared bit for bit (a zero gradient's sign aside), in both float dtypes, every reduction, with and without a weight.
 */
class BceInteriorTest {
    /** The general path as Losses.bce computes it when some element is on the boundary. */
    private static Tensor general(Tensor x, Tensor t, Tensor weight, Reduction r) {
        Tensor interior = x.mul(x.rsub(1)).ge(1e-12);
        Tensor xs = Tensor.where(interior, x, 0.5);
        Tensor plain = t.mul(xs.log()).add(t.rsub(1).mul(xs.rsub(1).log())).neg();
        Tensor xd = x.detach(), td = t.detach(), value, slope;
        try (var off = dev.kindling.Kindling.noGrad()) {
            value = td.mul(xd.log().clampMin(-100)).add(td.rsub(1).mul(xd.rsub(1).log().clampMin(-100))).neg();
            slope = xd.sub(td).div(xd.mul(xd.rsub(1)).clampMin(1e-12f));
        }
        Tensor loss = Tensor.where(interior, plain, value.add(x.sub(xd).mul(slope)));
        if (weight != null) loss = loss.mul(weight);
        return r == Reduction.MEAN ? loss.mean() : r == Reduction.SUM ? loss.sum() : loss;
    }

    private static void assertSame(double[] want, double[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            // the same number (0 and -0 alike: the general path's unused branch may add a -0)
            assertEquals(true, want[i] == got[i] || (Double.isNaN(want[i]) && Double.isNaN(got[i])),
                    what + " element " + i + ": " + got[i] + " against " + want[i]);
        }
    }

    @Test
    void interiorInputsGiveTheGeneralPathsValuesAndGradients() {
        SplittableRandom g = new SplittableRandom(19);
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            for (Reduction r : new Reduction[]{Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
                for (boolean weighted : new boolean[]{false, true}) {
                    int n = 3 + g.nextInt(200);
                    double[] xv = new double[n], tv = new double[n], wv = new double[n];
                    for (int i = 0; i < n; i++) {
                        xv[i] = i % 17 == 0 ? 1e-6 : i % 19 == 0 ? 1 - 1e-6 : g.nextDouble(0.001, 0.999);
                        tv[i] = i % 3 == 0 ? g.nextDouble() : g.nextInt(2);
                        wv[i] = g.nextDouble(0, 2);
                    }
                    Tensor x1 = Tensor.fromArray(xv, n).to(dt).requiresGrad(true), x2 = Tensor.fromArray(xv, n).to(dt).requiresGrad(true);
                    Tensor t = Tensor.fromArray(tv, n).to(dt), w = weighted ? Tensor.fromArray(wv, n).to(dt) : null;
                    Tensor fast = weighted ? F.binaryCrossEntropy(x1, t, w) : F.binaryCrossEntropy(x1, t);
                    if (r != Reduction.MEAN) fast = F.binaryCrossEntropy(x1, t, w, r);
                    Tensor slow = general(x2, t, w, r);
                    String what = dt + " " + r + (weighted ? " weighted" : "");
                    assertSame(slow.toDoubleArray(), fast.toDoubleArray(), what + " value");
                    Tensor seed = r == Reduction.NONE ? Tensor.fromArray(wv, n).to(dt) : null;
                    if (seed != null) { fast.backward(seed); slow.backward(seed); } else { fast.backward(); slow.backward(); }
                    assertSame(x2.grad().toDoubleArray(), x1.grad().toDoubleArray(), what + " gradient");
                }
            }
        }
    }
}
