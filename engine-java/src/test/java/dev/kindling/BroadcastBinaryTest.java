package dev.kindling;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * add, sub, mul and div of a large float32 tensor and a broadcast one (a scalar, a bias row, a column, one value
 * per channel), which run as one oneDNN primitive with a broadcast operand: every element as Java's float
 * arithmetic gives it, with NaN, infinities and both zeros among the values, and in place.
 */
class BroadcastBinaryTest {
    private static final float[] SPECIAL = {Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-40f, 3f};

    private static float[] values(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
        return x;
    }

    private static float ref(String op, float a, float b) {
        return switch (op) {
            case "add" -> a + b;
            case "sub" -> a - b;
            case "mul" -> a * b;
            default -> a / b;
        };
    }

    private static Tensor apply(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            default -> a.div(b);
        };
    }

    /** Checks {@code got[i] == ref(op, x[i], y[bIndex(i)])} bit for bit (any NaN for NaN). */
    private static void check(String what, String op, float[] got, float[] x, float[] y, java.util.function.IntUnaryOperator bIndex,
                              boolean swapped) {
        for (int i = 0; i < got.length; i++) {
            float want = swapped ? ref(op, y[bIndex.applyAsInt(i)], x[i]) : ref(op, x[i], y[bIndex.applyAsInt(i)]);
            if (Float.isNaN(want) ? !Float.isNaN(got[i]) : Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[i])) {
                throw new AssertionError(what + " " + op + " at " + i + ": want " + want + ", got " + got[i]);
            }
        }
    }

    @Test
    void broadcastOperandsGiveJavasArithmetic() {
        Random r = new Random(17);
        int rows = 300, cols = 257, n = rows * cols; // above oneDNN's 65,536-element floor
        float[] x = values(r, n), row = values(r, cols), col = values(r, rows), one = {1.5f};
        Tensor a = Tensor.fromArray(x, rows, cols);
        Tensor tRow = Tensor.fromArray(row, cols), tCol = Tensor.fromArray(col, rows, 1), tOne = Tensor.fromArray(one, 1);
        for (String op : new String[]{"add", "sub", "mul", "div"}) {
            check("row", op, apply(op, a, tRow).toFloatArray(), x, row, i -> i % cols, false);
            check("column", op, apply(op, a, tCol).toFloatArray(), x, col, i -> i / cols, false);
            check("one element", op, apply(op, a, tOne).toFloatArray(), x, one, i -> 0, false);
            check("scalar", op, apply(op, a, Tensor.scalar(-0.0)).toFloatArray(), x, new float[]{-0f}, i -> 0, false);
            // the broadcast operand first: add and mul swap it second; sub and div keep their order
            check("row first", op, apply(op, tRow, a).toFloatArray(), x, row, i -> i % cols, true);
        }
        // one value per channel of [N, C, H, W]
        int nn = 4, c = 6, hw = 60 * 50;
        float[] img = values(r, nn * c * hw), ch = values(r, c);
        Tensor timg = Tensor.fromArray(img, nn, c, 60, 50), tch = Tensor.fromArray(ch, 1, c, 1, 1);
        check("channel", "mul", timg.mul(tch).toFloatArray(), img, ch, i -> (i / hw) % c, false);
        check("channel", "sub", timg.sub(tch).toFloatArray(), img, ch, i -> (i / hw) % c, false);
        // in place: the output is the first operand
        Tensor inPlace = a.clone();
        inPlace.add_(tRow);
        check("in place", "add", inPlace.toFloatArray(), x, row, i -> i % cols, false);
    }

    @Test
    void layoutsOneDnnCannotTakeStayOnTheJavaLoops() {
        Random r = new Random(18);
        int rows = 300, cols = 257;
        float[] x = values(r, rows * cols), y = values(r, rows * cols);
        Tensor a = Tensor.fromArray(x, rows, cols);
        // a transposed second operand: not a broadcast of contiguous memory
        Tensor bt = Tensor.fromArray(y, cols, rows).t();
        float[] got = a.add(bt).toFloatArray();
        for (int i = 0; i < got.length; i++) {
            int row = i / cols, col = i % cols;
            float want = x[i] + y[col * rows + row];
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got[i]), "transposed at " + i);
        }
    }
}
