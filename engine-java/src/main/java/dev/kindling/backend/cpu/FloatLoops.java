package dev.kindling.backend.cpu;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.UnaryOp;

import java.nio.FloatBuffer;

/**
 * FLOAT32 loops straight on the direct buffers, for the common case of contiguous runs (and a broadcast
 * scalar). They skip the copies into heap chunks that {@link Chunks} makes for strided data: measured on
 * 4M floats, one thread, {@code z = x + y} took 4.6 ms through 1024-float chunks and 2.4 ms here (a
 * {@code float[]} loop: 2.2 ms). Two details matter to C2: each loop is its own small method (in one large
 * method it stops inlining the buffer accessors, 3x slower), and the loops index slices from 0 rather than
 * {@code get(off + i)} (with an offset the range checks stay in the loop: 5.2 ms).
 * The entry points return false when the layout or op is not one they handle; the caller then chunks. In cache
 * the chunks' array loops are faster (C2 vectorises them, not these): binary ops come here for runs of at least
 * {@link #MIN_RUN} only.
 */
final class FloatLoops {
    private FloatLoops() {}

    /** The shortest run a binary op takes through these loops (shorter ones fit in cache: see the class doc). */
    static final int MIN_RUN = 1 << 16;

    /** Writing while reading the same memory at another offset would read values already overwritten. */
    private static boolean separate(FloatBuffer out, int offOut, FloatBuffer in, int offIn) {
        return out != in || offOut == offIn;
    }

    static boolean binary(BinaryOp op, FloatBuffer a, int offA, int stA, FloatBuffer b, int offB, int stB,
                          FloatBuffer o, int offO, int stO, int n) {
        if (stO != 1 || stA != 1 || (stB != 1 && stB != 0)) return false;
        if (!separate(o, offO, a, offA) || (stB == 1 && !separate(o, offO, b, offB))) return false;
        if (stB == 0) {
            float s = b.get(offB);
            switch (op) {
                case ADD -> addS(a, offA, s, o, offO, n);
                case SUB -> addS(a, offA, -s, o, offO, n);
                case MUL -> mulS(a, offA, s, o, offO, n);
                case DIV -> divS(a, offA, s, o, offO, n);
                default -> { return false; }
            }
            return true;
        }
        switch (op) {
            case ADD -> add(a, offA, b, offB, o, offO, n);
            case SUB -> sub(a, offA, b, offB, o, offO, n);
            case MUL -> mul(a, offA, b, offB, o, offO, n);
            case DIV -> div(a, offA, b, offB, o, offO, n);
            default -> { return false; }
        }
        return true;
    }

    static boolean unary(UnaryOp op, FloatBuffer a, int offA, int stA, FloatBuffer o, int offO, int stO, int n) {
        if (stO != 1 || stA != 1 || !separate(o, offO, a, offA)) return false;
        switch (op) {
            case NEG -> mulS(a, offA, -1f, o, offO, n);
            // no RELU: Math.max vectorises on float[] but not on a buffer, so relu is faster through chunks
            // (4M floats: equal; 8K floats, in cache: 0.44 vs 1.2 ns/element)
            default -> { return false; }
        }
        return true;
    }

    private static void add(FloatBuffer a0, int oa, FloatBuffer b0, int ob, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), b = b0.slice(ob, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) + b.get(i));
    }

    private static void sub(FloatBuffer a0, int oa, FloatBuffer b0, int ob, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), b = b0.slice(ob, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) - b.get(i));
    }

    private static void mul(FloatBuffer a0, int oa, FloatBuffer b0, int ob, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), b = b0.slice(ob, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) * b.get(i));
    }

    private static void div(FloatBuffer a0, int oa, FloatBuffer b0, int ob, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), b = b0.slice(ob, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) / b.get(i));
    }

    private static void addS(FloatBuffer a0, int oa, float s, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) + s);
    }

    private static void mulS(FloatBuffer a0, int oa, float s, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) * s);
    }

    private static void divS(FloatBuffer a0, int oa, float s, FloatBuffer o0, int oo, int n) {
        FloatBuffer a = a0.slice(oa, n), o = o0.slice(oo, n);
        for (int i = 0; i < n; i++) o.put(i, a.get(i) / s);
    }
}
