package dev.kindling.backend;

import dev.kindling.DType;

/**
 * What a kernel sees of a tensor: its buffer and a strided layout, in elements. Broadcast dimensions have
 * stride 0. Kernels never allocate tensors; the ops layer hands them views with matching shapes.
 */
public record View(Buffer buffer, DType dtype, int[] shape, int[] strides, int offset) {
    /** Number of elements: the product of {@code shape} (the ops layer checked that it fits a long). */
    public long numel() {
        long n = 1;
        for (int s : shape) n = Math.multiplyExact(n, s);
        return n;
    }

    /** Number of dimensions. */
    public int dim() { return shape.length; }

    /** True when the elements are laid out row-major without gaps. */
    public boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d]; // stays within a long: the strides matched so far, and ints bound them
        }
        return true;
    }

    /** The same data with dimensions reordered. */
    public View permute(int[] order) {
        int[] s = new int[order.length], st = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            s[i] = shape[order[i]];
            st[i] = strides[order[i]];
        }
        return new View(buffer, dtype, s, st, offset);
    }

    /** Row-major strides of a dense {@code shape} (size-0 and size-1 dimensions count as 1, as PyTorch's do). */
    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= Math.max(1, shape[d]);
        }
        return st;
    }

    /** A view with another shape and strides over the same buffer (for broadcasting and batching). */
    public View with(int[] newShape, int[] newStrides, int newOffset) {
        return new View(buffer, dtype, newShape, newStrides, newOffset);
    }
}
