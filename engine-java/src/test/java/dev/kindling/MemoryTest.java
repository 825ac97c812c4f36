package dev.kindling;

import dev.kindling.memory.MemoryStats;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native memory: bounded without any close() (the Cleaner and the allocator's soft budget), freed
 * deterministically by scopes and close(), and released tensors refuse to be used.
 * The surefire config sets {@code -Dkindling.memoryBudget=64 MiB} so the leak loop reaches the budget fast.
 */
class MemoryTest {
    private static final long MB = 1 << 20;

    @Test
    void loopWithoutScopeOrCloseStaysBounded() {
        MemoryStats before = Kindling.memoryStats();
        long budget = before.softBudget();
        Kindling.resetPeakMemory();
        // each iteration makes three 1024-float intermediates and drops them: 100,000 iterations allocate
        // about 1.2 GB in total, many times the budget, so only reclamation keeps the footprint bounded
        Tensor w = Tensor.ones(1024);
        double acc = 0;
        for (int i = 0; i < 100_000; i++) {
            Tensor x = Tensor.full(new int[]{1024}, i % 7);
            Tensor y = x.mul(w).add(1);
            if (i % 10_000 == 0) acc += y.sum().item();
        }
        MemoryStats after = Kindling.memoryStats();
        System.out.println("leak loop: " + before + " -> " + after);
        long total = after.allocations() - before.allocations();
        assertTrue(total >= 300_000, "the loop allocated " + total + " buffers");
        assertTrue(after.gcRequests() > before.gcRequests(), "the loop never reached the soft budget: " + after);
        assertTrue(after.peakLiveBytes() <= before.liveBytes() + 4 * budget,
                "native footprint grew to " + after.peakLiveBytes() / MB + " MiB with a budget of " + budget / MB + " MiB");
        assertTrue(acc > 0);
    }

    @Test
    void thePoolKeepsWhatABatchNeededBeyondTheFloor() throws InterruptedException {
        // three 100 MiB tensors (past the 256 MiB floor of the pool) freed together: all kept, since the
        // footprint stays within what the program already held live, so the next batch allocates nothing new;
        // first let the Cleaner return what earlier tests dropped, so that it does not land in the pool meanwhile
        System.gc();
        Thread.sleep(200);
        Kindling.emptyCache();
        int n = 25 * (1 << 20); // floats: 100 MiB
        for (int batch = 0; batch < 2; batch++) {
            long hitsBefore = Kindling.memoryStats().poolHits();
            try (var s = Kindling.scope()) {
                Tensor.empty(n);
                Tensor.empty(n);
                Tensor.empty(n);
            }
            MemoryStats after = Kindling.memoryStats();
            assertTrue(after.pooledBytes() >= 300 * MB, "pooled after batch " + batch + ": " + after);
            System.out.println("pool after batch " + batch + ": " + after);
            if (batch == 1) assertEquals(hitsBefore + 3, after.poolHits(), "the second batch reuses all three blocks");
        }
        Kindling.emptyCache();
        assertEquals(0, Kindling.memoryStats().pooledBytes());
    }

    @Test
    void emptyCacheLowersTheResidentSize() throws Exception {
        assumeTrue(Kindling.nativeBlas() && Files.isReadable(Path.of("/proc/self/status")), "needs glibc's malloc_trim and /proc");
        System.gc();
        Thread.sleep(200);
        Kindling.emptyCache();
        // 200 MiB of 16 KiB blocks, every sixteenth kept alive so the freed ones lie between blocks in use,
        // where malloc keeps their pages unless it is asked to give them back
        List<Tensor> kept = new ArrayList<>(), dropped = new ArrayList<>();
        for (int i = 0; i < 12_800; i++) (i % 16 == 0 ? kept : dropped).add(Tensor.ones(64, 64));
        dropped.forEach(Tensor::close);
        long before = residentBytes();
        Kindling.emptyCache();
        long after = residentBytes();
        assertTrue(after <= before - 100 * MB, "resident size " + before / MB + " -> " + after / MB
                + " MiB after emptyCache released 187 MiB of blocks");
        kept.forEach(Tensor::close);
    }

    private static long residentBytes() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }

    @Test
    void aThreadThatEndsWithAnOpenScopeLeavesNothingBehind() throws InterruptedException {
        // scoped tensors have no Cleaner of their own; a thread that dies without closing its scope hands them
        // to the safety net, so the collector still reclaims their memory
        long before = dev.kindling.memory.LeakCheck.reclaimedCount();
        Thread t = new Thread(() -> {
            Kindling.scope();       // never closed
            Tensor.ones(1 << 18).mul(2);
        });
        t.start();
        t.join();
        t = null;
        for (int i = 0; i < 100 && dev.kindling.memory.LeakCheck.reclaimedCount() < before + 2; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(dev.kindling.memory.LeakCheck.reclaimedCount() >= before + 2,
                "the two tensors of the dead thread's scope were not reclaimed");
    }

    @Test
    void scopeFreesEverythingButKeptTensors() {
        Kindling.emptyCache();
        MemoryStats s0 = Kindling.memoryStats();
        Tensor a, b, kept;
        try (var s = Kindling.scope()) {
            a = Tensor.ones(1 << 20);       // 4 MiB
            b = a.mul(2);                   // 4 MiB
            kept = s.keep(b.sum());
            assertTrue(s.size() >= 2);
        }
        MemoryStats s1 = Kindling.memoryStats();
        assertTrue(a.isClosed() && b.isClosed());
        assertFalse(kept.isClosed());
        assertEquals(2_097_152.0, kept.item());
        assertTrue(s1.pooledBytes() - s0.pooledBytes() >= 8 * MB,
                "closing the scope returned " + (s1.pooledBytes() - s0.pooledBytes()) + " bytes to the pool");
        assertThrows(IllegalStateException.class, a::sum);
        kept.close();
    }

    @Test
    void keepMovesATensorToTheEnclosingScope() {
        Tensor kept;
        try (var outer = Kindling.scope()) {
            try (var inner = Kindling.scope()) {
                kept = inner.keep(Tensor.ones(3));
            }
            assertFalse(kept.isClosed());
            assertEquals(3.0, kept.sum().item());
        }
        assertTrue(kept.isClosed(), "the outer scope frees what the inner one kept");
    }

    @Test
    void closeFreesNowAndPoolServesTheNextRequest() {
        Kindling.emptyCache();
        Tensor t = Tensor.zeros(1 << 20);
        long pooled = Kindling.memoryStats().pooledBytes();
        t.close();
        assertTrue(Kindling.memoryStats().pooledBytes() - pooled >= 4 * MB);
        long hits = Kindling.memoryStats().poolHits();
        Tensor again = Tensor.zeros(1 << 20);
        assertTrue(Kindling.memoryStats().poolHits() > hits, "a freed block of the same size class is reused");
        assertEquals(0.0, again.sum().item(), "pooled memory is zeroed by zeros()");
        again.close();
    }

    @Test
    void viewsKeepSharedDataAliveUntilTheLastCloses() {
        Kindling.emptyCache();
        Tensor base = Tensor.ones(1 << 20);
        Tensor square = base.view(1024, 1024);
        Tensor view = square.t();
        square.close(); // every tensor object holds a reference, intermediate views included
        long pooled = Kindling.memoryStats().pooledBytes();
        base.close();
        assertEquals(pooled, Kindling.memoryStats().pooledBytes(), "a view still uses the storage");
        assertEquals(1 << 20, view.sum().item());
        view.close();
        assertTrue(Kindling.memoryStats().pooledBytes() - pooled >= 4 * MB);
    }

    @Test
    void releasedTensorsThrowAndInPlaceResultsStayOwned() {
        Tensor x = Tensor.ones(4);
        assertSame(x, x.mul_(3));
        x.close();
        var e = assertThrows(IllegalStateException.class, () -> x.add_(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, x::item);
        assertThrows(IllegalStateException.class, () -> x.reshape(2, 2));
    }

    @Test
    void scopesMustCloseInOrderOnTheirThread() {
        var outer = Kindling.scope();
        var inner = Kindling.scope();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
    }
}
