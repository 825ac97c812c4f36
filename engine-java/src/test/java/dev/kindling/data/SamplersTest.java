package dev.kindling.data;

import dev.kindling.Generator;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class SamplersTest {
    static List<Integer> list(Iterable<Integer> it) {
        List<Integer> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }

    @Test void sequential() {
        assertEquals(List.of(0, 1, 2, 3), list(new SequentialSampler(4)));
        assertEquals(4, new SequentialSampler(4).size());
    }

    @Test void randomWithoutReplacementIsAPermutationPerEpoch() {
        var s = new RandomSampler(20, new Generator(1));
        List<Integer> e1 = list(s), e2 = list(s);
        assertEquals(20, new HashSet<>(e1).size());
        assertEquals(20, new HashSet<>(e2).size());
        assertNotEquals(e1, e2);
        assertEquals(e1, list(new RandomSampler(20, new Generator(1))));
    }

    @Test void randomWithReplacementAndNumSamples() {
        var s = new RandomSampler(5, true, 1000, new Generator(2));
        List<Integer> draws = list(s);
        assertEquals(1000, draws.size());
        assertEquals(1000, s.size());
        assertTrue(draws.stream().allMatch(i -> i >= 0 && i < 5));
        assertEquals(5, new HashSet<>(draws).size(), "all indices appear in 1000 draws");
        // without replacement but more samples than n: whole permutations one after another
        List<Integer> twice = list(new RandomSampler(4, false, 8, new Generator(3)));
        assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(twice.subList(0, 4)));
        assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(twice.subList(4, 8)));
        assertThrows(IllegalArgumentException.class, () -> new RandomSampler(0, true, 3, new Generator(0)));
    }

    @Test void weightedFollowsTheWeights() {
        double[] w = {0, 1, 3, 0};
        List<Integer> draws = list(new WeightedRandomSampler(w, 4000, true, new Generator(4)));
        long ones = draws.stream().filter(i -> i == 1).count(), threes = draws.stream().filter(i -> i == 2).count();
        assertEquals(4000, ones + threes, "zero weights are never drawn");
        assertEquals(0.25, ones / 4000.0, 0.03);
        List<Integer> noRep = list(new WeightedRandomSampler(new double[]{1, 1, 1, 5}, 4, false, new Generator(5)));
        assertEquals(Set.of(0, 1, 2, 3), new HashSet<>(noRep));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(w, 3, false, new Generator(0)));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRandomSampler(new double[]{1, -1}, 3, true, new Generator(0)));
    }

    @Test void subsetRandom() {
        List<Integer> got = list(new SubsetRandomSampler(new int[]{10, 20, 30}, new Generator(6)));
        assertEquals(Set.of(10, 20, 30), new HashSet<>(got));
    }

    @Test void batchSampler() {
        List<int[]> b = new ArrayList<>();
        new BatchSampler(new SequentialSampler(10), 3, false).forEach(b::add);
        assertEquals(4, b.size());
        assertArrayEquals(new int[]{9}, b.get(3));
        assertEquals(3, new BatchSampler(new SequentialSampler(10), 3, true).size());
    }

    static Dataset range(int n) {
        return new Dataset() {
            @Override public Sample get(int i) { return Sample.of(Dataset.checkIndex("range", i, n)); }
            @Override public int size() { return n; }
        };
    }

    @Test void subsetAndConcat() {
        var sub = new Subset(range(10), new int[]{7, 2});
        assertEquals(2, sub.size());
        assertEquals(2, sub.get(1).item(0));
        assertThrows(IndexOutOfBoundsException.class, () -> new Subset(range(3), new int[]{3}));
        var cat = new ConcatDataset(range(3), range(0), range(2));
        assertEquals(5, cat.size());
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) items.add(cat.get(i).item(0));
        assertEquals(List.of(0, 1, 2, 0, 1), items);
        assertThrows(IndexOutOfBoundsException.class, () -> cat.get(5));
    }

    @Test void randomSplit() {
        var parts = Datasets.randomSplit(range(10), new int[]{7, 3}, 42);
        Set<Object> all = new HashSet<>();
        for (var p : parts) for (int i = 0; i < p.size(); i++) all.add(p.get(i).item(0));
        assertEquals(10, all.size(), "parts do not overlap and cover everything");
        assertArrayEquals(parts.get(0).indices(), Datasets.randomSplit(range(10), new int[]{7, 3}, 42).get(0).indices());
        var fr = Datasets.randomSplit(range(11), new double[]{0.5, 0.3, 0.2}, 1);
        assertEquals(6, fr.get(0).size());   // floor 5, 3, 2 then the remainder goes round-robin
        assertEquals(3, fr.get(1).size());
        assertEquals(2, fr.get(2).size());
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new int[]{5, 4}, 0));
        assertThrows(IllegalArgumentException.class, () -> Datasets.randomSplit(range(10), new double[]{0.5, 0.4}, 0));
    }

    @Test void tensorDatasetChecksFirstDimensions() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.zeros(4, 2), Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("[4, 2]") && e.getMessage().contains("[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TensorDataset(Tensor.scalar(1)));
        var ds = new TensorDataset(Tensor.arange(0, 6).reshape(3, 2), Tensor.arange(0, 3));
        assertArrayEquals(new long[]{2, 3}, ds.get(1).get(0).toLongArray());
        assertEquals(1, ds.get(1).get(1).longItem());
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
    }
}
