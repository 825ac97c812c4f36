package dev.kindling.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A small property runner on plain JUnit 5: {@code forAll} runs a property on many generated cases, each from
 * its own seed, and a failure names the property, the case (as the property described it with {@link Gen#note})
 * and the seed that replays exactly that case.
 *
 * <p>The seeds are fixed by default, so CI sees the same cases on every run. To explore new cases, run with
 * {@code -Dkindling.propSeed=random} (and more of them with {@code -Dkindling.propTries=2000}); to replay a
 * failure, pass the seed it printed with {@code -Dkindling.propSeed=<seed> -Dkindling.propTries=1}.
 * (Why not jqwik: from 1.10 its authors ask that coding agents not use it, and its engine prints an instruction
 * addressed to them into every test log; this project is partly written by such agents.)
 */
public final class Prop {
    private Prop() {}

    private static final long STEP = 0x9E3779B97F4A7C15L;

    /**
     * Runs {@code property} on {@code tries} generated cases (or {@code -Dkindling.propTries}) and returns how
     * many cases carried each {@link Gen#label}; with 100 cases or more, each of {@code required} must have
     * labelled at least 5% of them (so a generator that drifts away from a branch fails loudly).
     */
    public static Map<String, Integer> forAll(String name, int tries, Consumer<Gen> property, String... required) {
        Map<String, Integer> labels = new TreeMap<>();
        String seedProp = System.getProperty("kindling.propSeed");
        long base;
        if (seedProp == null || seedProp.isBlank()) base = name.hashCode() * 0x5DEECE66DL;
        else if (seedProp.equals("random")) base = System.nanoTime();
        else base = Long.parseLong(seedProp.trim());
        int n = Integer.getInteger("kindling.propTries", tries);
        for (int i = 0; i < n; i++) {
            long seed = base + i * STEP;
            Gen g = new Gen(seed);
            try {
                property.accept(g);
                for (String l : g.labels) labels.merge(l, 1, Integer::sum);
            } catch (Throwable e) {
                AssertionError err = new AssertionError(name + " failed on case " + i + " of " + n + " (replay with"
                        + " -Dkindling.propSeed=" + seed + " -Dkindling.propTries=1)\n  case: " + g.notes()
                        + "\n  " + e, e);
                throw err;
            }
        }
        if (n >= 100) {
            for (String l : required) {
                int c = labels.getOrDefault(l, 0);
                assertTrue(c * 20 >= n, name + ": only " + c + " of " + n + " cases were '" + l + "' " + labels);
            }
        }
        return labels;
    }

    /** The outcome of a call: its value, or what it threw. */
    public record Outcome<T>(T value, Throwable error) {
        public boolean failed() { return error != null; }
    }

    /** Runs {@code call}, catching anything it throws (errors too: a property decides what is acceptable). */
    public static <T> Outcome<T> attempt(Supplier<T> call) {
        try {
            return new Outcome<>(call.get(), null);
        } catch (Throwable e) {
            return new Outcome<>(null, e);
        }
    }

    /**
     * Asserts a clear error: an {@link IllegalArgumentException} or {@link IndexOutOfBoundsException} whose
     * message names one of {@code ops}; never another type, never a silent result.
     */
    public static void assertOpError(Outcome<?> o, String... ops) {
        if (!o.failed()) fail("expected an error naming " + Arrays.toString(ops) + " but the call returned " + describe(o.value()));
        Throwable e = o.error();
        if (!(e instanceof IllegalArgumentException) && !(e instanceof IndexOutOfBoundsException)) {
            throw new AssertionError("expected IllegalArgumentException or IndexOutOfBoundsException naming "
                    + Arrays.toString(ops) + ", got " + e, e);
        }
        String m = String.valueOf(e.getMessage());
        boolean named = false;
        for (String op : ops) named |= m.contains(op);
        assertTrue(named, "the message does not name " + Arrays.toString(ops) + ": " + m);
    }

    /** Returns the value of a call that the reference says must succeed, or fails with what it threw. */
    public static <T> T assertOk(Outcome<T> o) {
        if (o.failed()) throw new AssertionError("the reference accepts this case but the call threw " + o.error(), o.error());
        return o.value();
    }

    private static String describe(Object v) {
        if (v instanceof dev.kindling.Tensor t) return "a tensor of shape " + Arrays.toString(t.shape()) + " " + t.dtype();
        return String.valueOf(v);
    }

    /** The random source of one case, which also records what was generated for the failure message. */
    public static final class Gen {
        private final SplittableRandom r;
        private final List<String> notes = new ArrayList<>();
        private final List<String> labels = new ArrayList<>();

        Gen(long seed) { this.r = new SplittableRandom(seed); }

        /** A uniform int in {@code [lo, hi]}, both included. */
        public int intIn(int lo, int hi) { return lo == hi ? lo : r.nextInt(lo, hi + 1); }

        /** True with probability {@code p}. */
        public boolean chance(double p) { return r.nextDouble() < p; }

        /** A uniform double in {@code [lo, hi)}. */
        public double doubleIn(double lo, double hi) { return r.nextDouble(lo, hi); }

        @SafeVarargs
        public final <T> T pick(T... options) { return options[r.nextInt(options.length)]; }

        public <T> T pick(List<T> options) { return options.get(r.nextInt(options.size())); }

        /** A random permutation of {@code 0..n-1}. */
        public int[] permutation(int n) {
            int[] p = new int[n];
            for (int i = 0; i < n; i++) p[i] = i;
            for (int i = n - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        }

        /** Records a generated value for the failure message; returns it. */
        public <T> T note(String what, T value) {
            notes.add(what + "=" + (value instanceof int[] a ? Arrays.toString(a)
                    : value instanceof long[] l ? Arrays.toString(l) : String.valueOf(value)));
            return value;
        }

        /** Classifies this case (counted by {@link #forAll}). */
        public void label(String l) { labels.add(l); }

        String notes() { return String.join(", ", notes); }
    }
}
