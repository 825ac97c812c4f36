package dev.kindling.data;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** Sample i is (float i as [1], label i % 3). */
    static Dataset numbers(int n) {
        return new Dataset() {
            @Override public Sample get(int i) { return Sample.of(Tensor.of((float) i), (long) (i % 3)); }
            @Override public int size() { return n; }
        };
    }

    static List<Integer> order(DataLoader loader) {
        List<Integer> seen = new ArrayList<>();
        for (Batch b : loader) {
            for (float v : b.get(0).toFloatArray()) seen.add((int) v);
            b.close();
        }
        return seen;
    }

    static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(Pipeline.THREAD_PREFIX)).count();
    }

    static void awaitNoWorkers() throws InterruptedException {
        for (int i = 0; i < 300 && workerThreads() > 0; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertEquals(0, workerThreads(), "worker threads left behind");
    }

    @Test void batchesStackTensorsAndNumbers() {
        var loader = DataLoader.builder(numbers(10)).batchSize(4).build();
        assertEquals(3, loader.size());
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        assertEquals(3, batches.size());
        Batch b = batches.get(0);
        assertArrayEquals(new int[]{4, 1}, b.get(0).shape());
        assertEquals(DType.INT64, b.get(1).dtype());
        assertArrayEquals(new long[]{0, 1, 2, 0}, b.get(1).toLongArray());
        assertArrayEquals(new int[]{2, 1}, batches.get(2).get(0).shape());
        Tensor x = b.component1(), y = b.component2();
        assertSame(b.get(0), x);
        assertSame(b.get(1), y);
    }

    @Test void tensorDatasetRows() {
        Tensor x = Tensor.arange(0, 12).reshape(6, 2).to(DType.FLOAT32), y = Tensor.arange(0, 6);
        var loader = DataLoader.builder(new TensorDataset(x, y)).batchSize(4).build();
        var it = loader.iterator();
        Batch b = it.next();
        assertTrue(b.get(0).equal(x.slice(0, 0, 4)));
        assertTrue(b.get(1).equal(y.slice(0, 0, 4)));
        assertArrayEquals(new int[]{2, 2}, it.next().get(0).shape());
        assertFalse(it.hasNext());
    }

    @Test void shuffleIsReproducibleAndDiffersBetweenEpochs() {
        var a = DataLoader.builder(numbers(50)).batchSize(7).shuffle(true).seed(123).build();
        var b = DataLoader.builder(numbers(50)).batchSize(7).shuffle(true).seed(123).build();
        var c = DataLoader.builder(numbers(50)).batchSize(7).shuffle(true).seed(124).build();
        List<Integer> a1 = order(a), a2 = order(a), b1 = order(b), b2 = order(b), c1 = order(c);
        assertEquals(a1, b1, "same seed, same first epoch");
        assertEquals(a2, b2, "same seed, same second epoch");
        assertNotEquals(a1, a2, "epochs are reshuffled");
        assertNotEquals(a1, c1, "another seed, another order");
        for (List<Integer> epoch : List.of(a1, a2, c1)) {
            List<Integer> sorted = new ArrayList<>(epoch);
            sorted.sort(null);
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) all.add(i);
            assertEquals(all, sorted, "every sample exactly once per epoch");
        }
    }

    @Test void dropLastCounts() {
        for (int n : new int[]{0, 1, 63, 64, 65, 130}) {
            var keep = DataLoader.builder(numbers(n)).batchSize(64).build();
            var drop = DataLoader.builder(numbers(n)).batchSize(64).dropLast(true).build();
            assertEquals((n + 63) / 64, keep.size(), "size n=" + n);
            assertEquals(n / 64, drop.size(), "size dropLast n=" + n);
            assertEquals(keep.size(), count(keep));
            assertEquals(drop.size(), count(drop));
            assertEquals(n, order(keep).size());
            assertEquals(n / 64 * 64, order(drop).size());
        }
    }

    static int count(DataLoader l) {
        int k = 0;
        for (Batch b : l) { k++; b.close(); }
        return k;
    }

    @Test void workersKeepTheOrderOfZeroWorkers() throws InterruptedException {
        Dataset slowOdd = new Dataset() {
            @Override public Sample get(int i) {
                // uneven work so that workers finish out of order
                if (i % 5 == 0) {
                    try { Thread.sleep(2); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                }
                return Sample.of(Tensor.of((float) i), (long) i);
            }
            @Override public int size() { return 200; }
        };
        var zero = DataLoader.builder(slowOdd).batchSize(8).shuffle(true).seed(7).build();
        for (int workers : new int[]{1, 2, 3}) {
            var many = DataLoader.builder(slowOdd).batchSize(8).shuffle(true).seed(7).numWorkers(workers).prefetchFactor(3).build();
            assertEquals(order(DataLoader.builder(slowOdd).batchSize(8).shuffle(true).seed(7).build()), order(many), workers + " workers");
        }
        assertEquals(200, order(zero).size());
        awaitNoWorkers();
    }

    @Test void randomTransformsRepeatWithWorkers() throws InterruptedException {
        // each sample draws from WorkerInfo.generator(): the same per-batch seeds with and without workers
        Dataset noisy = new Dataset() {
            @Override public Sample get(int i) { return Sample.of(Tensor.of((float) WorkerInfo.generator().nextDouble())); }
            @Override public int size() { return 40; }
        };
        var a = DataLoader.builder(noisy).batchSize(4).seed(5).build();
        var b = DataLoader.builder(noisy).batchSize(4).seed(5).numWorkers(2).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            var ia = a.iterator();
            var ib = b.iterator();
            while (ia.hasNext()) assertTrue(ia.next().get(0).equal(ib.next().get(0)));
            assertFalse(ib.hasNext());
        }
        awaitNoWorkers();
    }

    @Test void workerErrorNamesTheIndex() throws InterruptedException {
        Dataset bad = new Dataset() {
            @Override public Sample get(int i) {
                if (i == 37) throw new IllegalStateException("broken record");
                return Sample.of(Tensor.of((float) i));
            }
            @Override public int size() { return 100; }
        };
        for (int workers : new int[]{0, 2}) {
            var loader = DataLoader.builder(bad).batchSize(10).numWorkers(workers).build();
            AtomicInteger batches = new AtomicInteger();
            DataLoaderException e = assertThrows(DataLoaderException.class, () -> {
                for (Batch b : loader) { batches.incrementAndGet(); b.close(); }
            });
            assertEquals(37, e.index());
            assertTrue(e.getMessage().contains("sample index 37"), e.getMessage());
            assertTrue(e.getMessage().contains("broken record"), e.getMessage());
            assertEquals(3, batches.get(), "batches before the failing one arrive first");
        }
        awaitNoWorkers();
    }

    @Test void earlyBreakLeavesNoThreads() throws InterruptedException {
        var loader = DataLoader.builder(numbers(1000)).batchSize(4).numWorkers(2).build();
        // explicit close
        try (BatchIterator it = loader.iterator()) {
            it.next();
            assertTrue(workerThreads() > 0);
        }
        assertEquals(0, workerThreads(), "close() stops the workers at once");
        // break, then the next epoch starts: the abandoned one is stopped
        for (Batch b : loader) { b.close(); break; }
        var second = loader.iterator();
        second.next();
        second.close();
        assertEquals(0, workerThreads());
        // break and walk away: the garbage collector's cleaner stops them
        breakEarly(loader);
        assertTrue(workerThreads() > 0);
        awaitNoWorkers();
        // an older epoch's iterator says why it stopped
        var old = loader.iterator();
        old.next();
        var newer = loader.iterator();
        var e = assertThrows(IllegalStateException.class, () -> { while (old.hasNext()) old.next(); });
        assertTrue(e.getMessage().contains("new epoch"), e.getMessage());
        newer.close();
        // a finished epoch stops its workers by itself
        assertEquals(250, count(loader));
        assertEquals(0, workerThreads());
    }

    /** In its own method so that no stack slot of the caller keeps the dropped iterator reachable. */
    private static void breakEarly(DataLoader loader) {
        for (Batch b : loader) { b.close(); break; }
    }

    @Test void badOptionsAreRejected() {
        var ds = numbers(10);
        var e = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(0));
        assertTrue(e.getMessage().contains("batchSize"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(-3));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).numWorkers(-1));
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).prefetchFactor(2).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).shuffle(true).sampler(new SequentialSampler(10)).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(4)
                .batchSampler(new BatchSampler(new SequentialSampler(10), 2, false)).build());
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(new SequentialSampler(10), 0, false));
    }

    @Test void differentShapesNameTheIndices() {
        Dataset ragged = new Dataset() {
            @Override public Sample get(int i) { return Sample.of(Tensor.zeros(i == 2 ? 3 : 2), 1L); }
            @Override public int size() { return 4; }
        };
        var e = assertThrows(DataLoaderException.class, () -> DataLoader.builder(ragged).batchSize(4).build().iterator().next());
        assertTrue(e.getMessage().contains("sample index 0") && e.getMessage().contains("sample index 2"), e.getMessage());
        assertTrue(e.getMessage().contains("[2]") && e.getMessage().contains("[3]"), e.getMessage());
        // a custom collate handles them
        Collate first = samples -> Batch.of(samples.get(0).get(0).unsqueeze(0));
        assertEquals(1, DataLoader.builder(ragged).batchSize(4).collate(first).build().iterator().next().size());
    }

    @Test void imagesWithoutToTensorGiveAHint() {
        Dataset images = new Dataset() {
            @Override public Sample get(int i) { return Sample.of(Image.gray(new byte[4], 2, 2), 0L); }
            @Override public int size() { return 2; }
        };
        var e = assertThrows(DataLoaderException.class, () -> DataLoader.builder(images).batchSize(2).build().iterator().next());
        assertTrue(e.getMessage().contains("toTensor"), e.getMessage());
    }

    @Test void samplersAndBatchSamplers() {
        var ds = numbers(10);
        var seq = DataLoader.builder(ds).batchSampler(new BatchSampler(new SequentialSampler(10), 3, true)).build();
        assertEquals(3, seq.size());
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8), order(seq));
        var sub = DataLoader.builder(ds).batchSize(2).sampler(new SubsetRandomSampler(new int[]{1, 3, 5}, new dev.kindling.Generator(0))).build();
        List<Integer> got = order(sub);
        got.sort(null);
        assertEquals(List.of(1, 3, 5), got);
        assertEquals(2, sub.size());
    }

    @Test void iterableDatasetBatchesConsecutiveSamples() throws InterruptedException {
        IterableDataset stream = () -> java.util.stream.IntStream.range(0, 10).mapToObj(i -> Sample.of(Tensor.of((float) i))).iterator();
        for (int workers : new int[]{0, 2}) {
            var loader = DataLoader.builder(stream).batchSize(4).numWorkers(workers).build();
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order(loader));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), order(DataLoader.builder(stream).batchSize(4).dropLast(true).numWorkers(workers).build()));
            assertThrows(IllegalStateException.class, loader::size);
        }
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(stream).shuffle(true).build());
        awaitNoWorkers();
    }

    @Test void manyEpochsAndPinMemory() {
        var loader = DataLoader.builder(numbers(9)).batchSize(2).shuffle(true).pinMemory(true).build();
        assertTrue(loader.pinMemory());
        for (int epoch = 0; epoch < 3; epoch++) assertEquals(9, order(loader).size());
    }

    @Test void fetchScopeFreesIntermediatesButKeepsTheBatch() {
        List<Tensor> made = new ArrayList<>();
        Dataset ds = new Dataset() {
            @Override public Sample get(int i) {
                Tensor tmp = Tensor.ones(3).mul((float) i);
                synchronized (made) { made.add(tmp); }
                return Sample.of(tmp.add(1));
            }
            @Override public int size() { return 4; }
        };
        Batch b = DataLoader.builder(ds).batchSize(4).build().iterator().next();
        assertTrue(made.stream().allMatch(Tensor::isClosed), "temporaries of get() are freed once the batch is built");
        assertArrayEquals(new float[]{1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4}, b.get(0).toFloatArray());
        b.close();
        assertTrue(b.get(0).isClosed());
    }

    @Test void sampleAndBatchAccessors() {
        Sample s = Sample.of(Tensor.of(1f, 2f), 3, 2.5);
        assertEquals(3, s.size());
        assertEquals(DType.INT64, s.get(1).dtype());
        assertEquals(DType.FLOAT64, s.get(2).dtype());
        assertEquals(3L, s.component2().longItem());
        assertEquals(3, s.item(1));
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(3));
        assertThrows(IllegalArgumentException.class, () -> Sample.of(Tensor.of(1f), null));
        assertThrows(ClassCastException.class, () -> Sample.of("text").get(0));
        assertTrue(s.toString().startsWith("Sample(Tensor"), s.toString());
        assertEquals(Arrays.asList(2), List.of(Batch.of(Tensor.zeros(2)).get(0).shape()[0]));
        Tensor flag = Sample.of(true).get(0);
        assertEquals(DType.BOOL, flag.dtype());
        assertEquals(0, flag.dim());
        assertEquals(DType.FLOAT32, Sample.of(1.5f).get(0).dtype());
    }
}
