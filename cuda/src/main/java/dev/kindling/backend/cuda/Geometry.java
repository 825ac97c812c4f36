package dev.kindling.backend.cuda;

import dev.kindling.backend.View;

import java.util.Arrays;

/**
 * The index space of an elementwise kernel: one shape and each operand's strides (in elements), with size-1
 * dimensions dropped and neighbours merged where every operand is contiguous across them, so that most calls
 * reach the GPU as one long row. It travels to the kernel by value as the C struct {@link #C_STRUCT}
 * ({@code long long} fields only, so its layout needs no padding rules).
 */
final class Geometry {
    /** Dimensions a kernel handles after merging; more is an error naming the op. */
    static final int MAX_DIMS = 12;
    /** Operands a kernel handles: the output and up to three inputs. */
    static final int MAX_OPERANDS = 4;
    /** The C declaration matching {@link #pack()}. */
    static final String C_STRUCT = "struct Geo { long long ndim; long long size[" + MAX_DIMS + "]; long long stride["
            + MAX_OPERANDS + "][" + MAX_DIMS + "]; };\n";

    final long[] size;
    final long[][] strides;
    final long numel;

    private Geometry(long[] size, long[][] strides, long numel) {
        this.size = size;
        this.strides = strides;
        this.numel = numel;
    }

    /** Collapses {@code shape} with the strides of {@code operands} (all of that shape, broadcast by stride 0). */
    static Geometry of(String op, int[] shape, View... operands) {
        long[][] st = new long[operands.length][];
        for (int k = 0; k < operands.length; k++) st[k] = Arrays.stream(operands[k].strides()).asLongStream().toArray();
        return of(op, shape, st);
    }

    static Geometry of(String op, int[] shape, long[]... operandStrides) {
        int ops = operandStrides.length;
        if (ops > MAX_OPERANDS) throw new IllegalArgumentException(op + ": " + ops + " operands, at most " + MAX_OPERANDS);
        long numel = 1;
        for (int s : shape) numel = Math.multiplyExact(numel, s);
        long[] size = new long[shape.length];
        long[][] strides = new long[ops][shape.length];
        int n = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            boolean merge = n > 0;
            for (int k = 0; k < ops && merge; k++) merge = strides[k][n - 1] == operandStrides[k][d] * (long) shape[d];
            if (merge) {
                size[n - 1] *= shape[d];
                for (int k = 0; k < ops; k++) strides[k][n - 1] = operandStrides[k][d];
            } else {
                size[n] = shape[d];
                for (int k = 0; k < ops; k++) strides[k][n] = operandStrides[k][d];
                n++;
            }
        }
        if (n > MAX_DIMS) {
            throw new IllegalArgumentException(op + ": tensors of shape " + Arrays.toString(shape) + " keep " + n
                    + " dimensions after merging, more than the " + MAX_DIMS + " CUDA kernels take; call contiguous() first");
        }
        long[][] trimmed = new long[ops][];
        for (int k = 0; k < ops; k++) trimmed[k] = Arrays.copyOf(strides[k], n);
        return new Geometry(Arrays.copyOf(size, n), trimmed, numel);
    }

    /** Number of dimensions left after merging (0 for a single element). */
    int ndim() { return size.length; }

    /** True when every operand walks its memory with stride 1 (or is one element): the kernel skips index math. */
    boolean contiguous() {
        if (size.length > 1) return false;
        for (long[] s : strides) if (size.length == 1 && s[0] != 1) return false;
        return true;
    }

    /** The {@link #C_STRUCT} image: ndim, sizes, then each operand's strides, padded with zeros. */
    long[] pack() {
        long[] out = new long[1 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS];
        out[0] = size.length;
        for (int d = 0; d < size.length; d++) out[1 + d] = size[d];
        for (int k = 0; k < strides.length; k++) {
            for (int d = 0; d < size.length; d++) out[1 + MAX_DIMS + k * MAX_DIMS + d] = strides[k][d];
        }
        return out;
    }
}
