package dev.kindling.backend.cuda;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The launch argument array: each pointer points at its value, structs are laid out field by field. */
class KernelArgsTest {
    @Test
    void valuesArePackedInOrderAndPointedAt() {
        KernelArgs a = KernelArgs.begin().struct(new long[]{3, 4, 5}).i64(42).f64(0.5);
        assertEquals(3, a.count());
        assertEquals(0, a.offsetOf(0));
        assertEquals(24, a.offsetOf(1));
        assertEquals(32, a.offsetOf(2));
        ByteBuffer v = a.values();
        assertEquals(3, v.getLong(0));
        assertEquals(5, v.getLong(16));
        assertEquals(42, v.getLong(24));
        assertEquals(0.5, v.getDouble(32));
        KernelArgs again = KernelArgs.begin().i64(7);
        assertEquals(1, again.count());
        assertEquals(7, again.values().getLong(0));
    }

    @Test
    void tooManyArgumentsAreRefused() {
        KernelArgs a = KernelArgs.begin();
        for (int i = 0; i < KernelArgs.MAX_ARGS; i++) a.i64(i);
        assertThrows(IllegalStateException.class, () -> a.i64(0));
    }
}
