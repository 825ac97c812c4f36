package dev.kindling;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user-set thread count changes speed, never results. */
class ThreadsTest {
    @Test
    void anErrorInAWorkerReachesTheCaller() {
        // large enough to be split over threads; every piece divides by zero
        Tensor a = Tensor.ones(new int[]{400_000}, DType.INT64), b = Tensor.zeros(new int[]{400_000}, DType.INT64);
        var e = assertThrows(ArithmeticException.class, () -> a.floorDivide(b));
        assertTrue(e.getMessage().contains("floor_divide"), e.getMessage());
        assertEquals(400_000L, a.sum().longItem(), "the pool still works afterwards");
    }

    @Test
    void concurrentCallersShareTheHelpersAndAllFinish() throws Exception {
        // four user threads split large kernels at once: helpers are taken by whoever finds them idle, the
        // rest of the work runs on the callers, and every result is complete
        Tensor a = Tensor.arange(300_000).to(DType.FLOAT32), b = Tensor.ones(300_000);
        double expected = a.add(b).sum().item();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Double>>();
            for (int t = 0; t < 4; t++) {
                futures.add(pool.submit(() -> {
                    double last = 0;
                    for (int i = 0; i < 50; i++) last = a.add(b).sum().item();
                    return last;
                }));
            }
            for (var f : futures) assertEquals(expected, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int before = Kindling.getNumThreads();
        try {
            Kindling.manualSeed(11);
            Tensor x = Tensor.randn(512, 300), w = Tensor.randn(300, 200);
            Kindling.setNumThreads(1);
            assertEquals(1, Kindling.getNumThreads());
            Tensor y1 = x.matmul(w).relu().add(x.sum(1, true)), s1 = x.exp().sum(0);
            Kindling.setNumThreads(2);
            assertEquals(2, Kindling.getNumThreads());
            Tensor y2 = x.matmul(w).relu().add(x.sum(1, true)), s2 = x.exp().sum(0);
            assertTrue(y1.allclose(y2, 1e-5, 1e-4), "matmul/relu/add/sum differ between 1 and 2 threads");
            assertTrue(s1.allclose(s2, 1e-6, 1e-5));
            assertTrue(Kindling.nativeBlas() || Kindling.nativeBlasStatus() != null);
            var e = assertThrows(IllegalArgumentException.class, () -> Kindling.setNumThreads(0));
            assertTrue(e.getMessage().contains("setNumThreads"), e.getMessage());
        } finally {
            Kindling.setNumThreads(before);
        }
    }
}
