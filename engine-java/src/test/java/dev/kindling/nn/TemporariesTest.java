package dev.kindling.nn;

import dev.kindling.Kindling;
import dev.kindling.Scope;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composite activations and losses free their intermediates when they return and no graph is recorded (only the
 * result is left to the caller's scope), keep them where an input requires grad (backward needs them), and give the
 * same values either way.
 */
class TemporariesTest {
    @Test
    void withoutAGraphOnlyTheResultIsLeft() {
        Tensor x = Tensor.randn(8, 16), t = Tensor.randn(8, 16);
        for (var op : java.util.List.<java.util.function.Supplier<Tensor>>of(() -> F.gelu(x), () -> F.gelu(x, "tanh"), () -> F.elu(x),
                () -> F.softplus(x), () -> F.silu(x), () -> F.mseLoss(x, t))) {
            try (Scope s = Kindling.scope()) {
                Tensor y = op.get();
                assertEquals(1, s.size(), "tensors left in the scope");
                assertTrue(y.numel() > 0);
            }
        }
    }

    @Test
    void withAGraphTheyStayAndBackwardRuns() {
        Tensor x = Tensor.randn(8, 16).requiresGrad(true);
        float[] free;
        try (var off = Kindling.noGrad()) {
            free = F.gelu(x).toFloatArray();
        }
        try (Scope s = Kindling.scope()) {
            Tensor y = F.gelu(x);
            assertTrue(s.size() > 1, "intermediates kept for backward");
            assertArrayEquals(free, y.toFloatArray());
            y.sum().backward();
            assertNotNull(x.grad());
        }
    }
}
