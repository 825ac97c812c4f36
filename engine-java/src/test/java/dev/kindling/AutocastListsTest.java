package dev.kindling;

import org.junit.jupiter.api.Test;

import static dev.kindling.AutocastLists.Policy.BANNED;
import static dev.kindling.AutocastLists.Policy.FP32;
import static dev.kindling.AutocastLists.Policy.LOWER;
import static dev.kindling.AutocastLists.Policy.PROMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lists as PyTorch 1.13's autocast_mode.cpp has them; what the CPU ones do is checked by running PyTorch (AutocastTest). */
class AutocastListsTest {
    @Test
    void cpuLists() {
        Device.Type cpu = Device.Type.CPU;
        for (String op : new String[]{"linear", "matmul", "mm", "bmm", "addmm", "baddbmm", "conv1d", "conv2d"}) assertEquals(LOWER, AutocastLists.policy(cpu, op), op);
        for (String op : new String[]{"conv_transpose2d", "mse_loss", "cross_entropy", "nll_loss", "binary_cross_entropy", "prod"}) {
            assertEquals(FP32, AutocastLists.policy(cpu, op), op);
        }
        assertEquals(PROMOTE, AutocastLists.policy(cpu, "cat"));
        for (String op : new String[]{"exp", "softmax", "sum", "layer_norm", "relu"}) assertNull(AutocastLists.policy(cpu, op), op);
    }

    @Test
    void cudaLists() {
        Device.Type cuda = Device.Type.CUDA;
        for (String op : new String[]{"linear", "matmul", "conv2d", "conv_transpose2d", "prelu", "bmm"}) assertEquals(LOWER, AutocastLists.policy(cuda, op), op);
        for (String op : new String[]{"exp", "log", "pow", "softmax", "log_softmax", "sum", "norm", "layer_norm", "group_norm",
                "softplus", "logsumexp", "mse_loss", "nll_loss", "rsqrt", "reciprocal"}) {
            assertEquals(FP32, AutocastLists.policy(cuda, op), op);
        }
        for (String op : new String[]{"cat", "stack", "addcmul", "dot"}) assertEquals(PROMOTE, AutocastLists.policy(cuda, op), op);
        assertEquals(BANNED, AutocastLists.policy(cuda, "binary_cross_entropy"));
        assertNull(AutocastLists.policy(cuda, "relu"));
    }

    /** The unary ops' names, by which they look themselves up, are the ATen names the CUDA list uses. */
    @Test
    void unaryOpsLookThemselvesUpByTheirAtenNames() {
        for (String op : new String[]{"exp", "log", "log2", "log10", "log1p", "expm1", "reciprocal", "rsqrt", "sinh", "cosh", "tan", "asin", "acos"}) {
            boolean found = false;
            for (dev.kindling.backend.UnaryOp u : dev.kindling.backend.UnaryOp.values()) found |= Pointwise.name(u).equals(op);
            if (!found && !op.equals("erfinv")) {
                // an op Kindling does not have is fine; one it has under another name would never be cast
                for (dev.kindling.backend.UnaryOp u : dev.kindling.backend.UnaryOp.values()) {
                    assertNotEquivalent(op, Pointwise.name(u));
                }
            }
        }
    }

    private static void assertNotEquivalent(String aten, String ours) {
        String a = aten.replace("_", ""), o = ours.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        if (a.equals(o)) throw new AssertionError("unary op named " + ours + " is " + aten + " in PyTorch's lists");
    }
}
