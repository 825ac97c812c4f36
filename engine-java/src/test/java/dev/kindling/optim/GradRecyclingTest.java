package dev.kindling.optim;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.nn.Linear;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zeroGrad() hands a gradient that autograd made, and that nobody fetched, back to the pool at once; a
 * gradient someone fetched through grad() stays theirs, as in PyTorch.
 */
class GradRecyclingTest {
    @Test void aScopedTrainingLoopRunsInConstantLiveMemoryWithoutTheCollector() throws InterruptedException {
        // let the Cleaner return what earlier tests dropped first: it would blur the live-byte count
        System.gc();
        Thread.sleep(200);
        var fc = new Linear(300, 200);
        var opt = new Adam(fc.parameters(), 1e-3);
        Tensor x = Tensor.randn(32, 300);
        long[] live = new long[2];
        long gcBefore = 0;
        for (int step = 0; step < 60; step++) {
            try (var s = Kindling.scope()) {
                opt.zeroGrad();
                fc.forward(x).square().mean().backward();
                opt.step();
            }
            if (step == 9) {
                live[0] = Kindling.memoryStats().liveBytes();
                gcBefore = Kindling.memoryStats().gcRequests();
            }
        }
        live[1] = Kindling.memoryStats().liveBytes();
        // without recycling each step would leave its 240 KB of gradients to the collector: 12 MB over 50 steps
        assertTrue(live[1] <= live[0] + (1 << 20), "live bytes after step 10: " + live[0] + ", after step 60: " + live[1]);
        assertEquals(gcBefore, Kindling.memoryStats().gcRequests());
    }

    @Test void aFetchedGradientSurvivesZeroGrad() {
        Tensor p = Tensor.of(1f, 2f, 3f).requiresGrad(true);
        var opt = new SGD(List.of(p), 0.1);
        p.mul(p).sum().backward();
        Tensor g = p.grad();
        opt.step();
        opt.zeroGrad();
        p.mul(3).sum().backward();
        assertFalse(g.isClosed());
        assertArrayEquals(new float[]{2, 4, 6}, g.toFloatArray());
        assertArrayEquals(new float[]{3, 3, 3}, p.grad().toFloatArray());
    }
}
