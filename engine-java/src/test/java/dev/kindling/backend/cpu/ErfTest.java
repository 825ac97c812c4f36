package dev.kindling.backend.cpu;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * erf within 1 ulp of Python's math.erf (values printed by it, as hex) on every branch of the fdlibm algorithm and
 * its boundaries, odd symmetry, the special values, and through {@code Tensor.erf} in both float dtypes.
 */
class ErfTest {
    private static final double[][] POINTS = {
            {0.0, 0.0},
            {0x1.56e1fc2f8f359p-997, 0x1.82e6d98711d3ap-997},
            {0x1.b7cdfd9d7bdbbp-34, 0x1.f044332d68161p-34},
            {-0x1.9c511dc3a41dfp-29, -0x1.d13feffa9194bp-29},
            {0x1.999999999999ap-4, 0x1.cca5ea24fb334p-4},
            {-0x1.3333333333333p-2, -0x1.50838881dea0fp-2},
            {0x1.0000000000000p-1, 0x1.0a7ef5c18edd2p-1},
            {0x1.ae147ae147ae1p-1, 0x1.87c0c914f1a59p-1},
            {0x1.b000000000000p-1, 0x1.88d1cd474a2e0p-1},
            {-0x1.b000000000000p-1, -0x1.88d1cd474a2e0p-1},
            {0x1.ccccccccccccdp-1, 0x1.98045a6c8a2e6p-1},
            {0x1.0000000000000p+0, 0x1.af767a741088bp-1},
            {-0x1.3333333333333p+0, -0x1.d214ac7b2d067p-1},
            {0x1.4000000000000p+0, 0x1.d8865d98abe00p-1},
            {-0x1.4000000000000p+0, -0x1.d8865d98abe00p-1},
            {0x1.8000000000000p+0, 0x1.eea5557137ae0p-1},
            {0x1.0000000000000p+1, 0x1.fd9ae142795e3p-1},
            {0x1.4000000000000p+1, 0x1.ffcaa8f4c9beap-1},
            {0x1.6db22d0e56042p+1, 0x1.fff9019809317p-1},
            {0x1.6dd2f1a9fbe77p+1, 0x1.fff90c5c27c0ap-1},
            {-0x1.8000000000000p+1, -0x1.fffd1ac4135f9p-1},
            {0x1.c000000000000p+1, 0x1.ffffe710d565ep-1},
            {0x1.0000000000000p+2, 0x1.ffffff7b91176p-1},
            {0x1.4000000000000p+2, 0x1.fffffffffc9e8p-1},
            {0x1.799999999999ap+2, 0x1.fffffffffffffp-1},
            {0x1.7f5c28f5c28f6p+2, 0x1.0000000000000p+0},
            {0x1.8000000000000p+2, 0x1.0000000000000p+0},
            {-0x1.a000000000000p+2, -0x1.0000000000000p+0},
            {0x1.b000000000000p+4, 0x1.0000000000000p+0},
            {-0x1.6666666666666p-1, -0x1.5b08c21171646p-1},
            {0x1.a36e2eb1c432dp-14, 0x1.d946ca4401e6ep-14},
            {-0x1.4f8b588e368f1p-17, -0x1.7a9f084b5e44cp-17},
            {0x1.554c985f06f69p-2, 0x1.7351341613f43p-2}
    };

    @Test
    void withinOneUlpOfPythonsErf() {
        for (double[] p : POINTS) {
            double got = PointwiseMath.erf(p[0]), want = p[1];
            assertTrue(Math.abs(got - want) <= Math.ulp(want), "erf(" + p[0] + ") = " + got + ", Python " + want);
            assertEquals(-got, PointwiseMath.erf(-p[0]), "erf is odd at " + p[0]);
        }
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(PointwiseMath.erf(Double.NaN)));
        assertEquals(1.0, PointwiseMath.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, PointwiseMath.erf(Double.NEGATIVE_INFINITY));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(PointwiseMath.erf(-0.0)));
        assertEquals(Double.MIN_VALUE * 2 / Math.sqrt(Math.PI), PointwiseMath.erf(Double.MIN_VALUE), Double.MIN_VALUE);
    }

    @Test
    void tensorErfInBothFloatTypes() {
        double[] x = new double[POINTS.length];
        for (int i = 0; i < x.length; i++) x[i] = POINTS[i][0];
        try (Tensor t = Tensor.fromArray(x, x.length); Tensor d = t.erf(); Tensor f = t.to(DType.FLOAT32).erf()) {
            double[] gd = d.toDoubleArray();
            float[] gf = f.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertTrue(Math.abs(gd[i] - POINTS[i][1]) <= Math.ulp(POINTS[i][1]), "float64 erf(" + x[i] + ")");
                float wantF = (float) PointwiseMath.erf((float) x[i]);
                assertEquals(wantF, gf[i], "float32 erf(" + (float) x[i] + ")");
            }
        }
    }
}
