package dev.kindling.backend.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The arguments of one kernel launch, packed the way {@code cuLaunchKernel} reads them: each value (a device
 * pointer, a scalar, a {@link Geometry} struct) at an 8-byte aligned place in one native buffer, and an array
 * of pointers to those places. One instance per thread is reused, so a launch allocates nothing.
 */
final class KernelArgs {
    static final int MAX_ARGS = 16;
    private static final ThreadLocal<KernelArgs> CURRENT = ThreadLocal.withInitial(KernelArgs::new);

    private final ByteBuffer values = ByteBuffer.allocateDirect(8192).order(ByteOrder.nativeOrder());
    private final ByteBuffer pointers = ByteBuffer.allocateDirect(8 * MAX_ARGS).order(ByteOrder.nativeOrder());
    private final long valuesAddress = new org.bytedeco.javacpp.Pointer(values).address();
    private final long pointersAddress = new org.bytedeco.javacpp.Pointer(pointers).address();
    private int count;

    /** This thread's (cleared) argument list. */
    static KernelArgs begin() {
        KernelArgs a = CURRENT.get();
        a.values.clear();
        a.pointers.clear();
        a.count = 0;
        return a;
    }

    private void mark(int bytes) {
        if (count == MAX_ARGS) throw new IllegalStateException("a kernel takes at most " + MAX_ARGS + " arguments");
        if (values.remaining() < bytes) throw new IllegalStateException("kernel arguments exceed " + values.capacity() + " bytes");
        pointers.putLong(8 * count, valuesAddress + values.position());
        count++;
    }

    /** A device pointer or a {@code long long}. */
    KernelArgs i64(long v) {
        mark(8);
        values.putLong(v);
        return this;
    }

    /** A {@code double}. */
    KernelArgs f64(double v) {
        mark(8);
        values.putDouble(v);
        return this;
    }

    /** A struct of {@code long long} fields, by value. */
    KernelArgs struct(long[] fields) {
        mark(8 * fields.length);
        for (long f : fields) values.putLong(f);
        return this;
    }

    int count() { return count; }

    /** The address of the pointer array ({@code void**}) to hand to {@code cuLaunchKernel}. */
    long pointers() { return pointersAddress; }

    /** Argument {@code i}'s offset in the value buffer (for tests). */
    long offsetOf(int i) { return pointers.getLong(8 * i) - valuesAddress; }

    /** The packed value bytes (for tests). */
    ByteBuffer values() { return values.duplicate().flip().order(ByteOrder.nativeOrder()); }
}
