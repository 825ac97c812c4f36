package dev.kindling.optim;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused one-pass updates (taken by contiguous FLOAT32 parameters) against the chains of tensor ops
 * (taken by a parameter with a transposed layout): the same bits after several steps, for every option.
 * Sizes cross the 1024-element chunk and the threads' split.
 */
class FusedStepTest {
    static Stream<Arguments> optimizers() {
        List<Function<List<Tensor>, Optimizer>> makers = List.of(
                ps -> new Adam(ps, 1e-2),
                ps -> Adam.builder(ps).lr(3e-3).weightDecay(0.1).amsgrad(true).build(),
                ps -> Adam.builder(ps).lr(1e-3).betas(0.8, 0.95).eps(1e-6).maximize(true).build(),
                ps -> new AdamW(ps, 1e-2),
                ps -> AdamW.builder(ps).lr(1e-2).weightDecay(0.3).amsgrad(true).maximize(true).build(),
                ps -> new SGD(ps, 0.1),
                ps -> new SGD(ps, 0.05, 0.9),
                ps -> SGD.builder(ps).lr(0.05).momentum(0.9).dampening(0.3).weightDecay(1e-2).build(),
                ps -> SGD.builder(ps).lr(0.05).momentum(0.8).nesterov(true).maximize(true).build(),
                ps -> new RMSprop(ps, 1e-2),
                ps -> RMSprop.builder(ps).lr(1e-2).momentum(0.9).weightDecay(0.1).build(),
                ps -> RMSprop.builder(ps).lr(1e-3).centered(true).build(),
                ps -> RMSprop.builder(ps).lr(1e-3).alpha(0.9).centered(true).momentum(0.5).maximize(true).build());
        String[] names = {"Adam", "Adam wd amsgrad", "Adam maximize", "AdamW", "AdamW amsgrad maximize", "SGD",
                "SGD momentum", "SGD dampening wd", "SGD nesterov maximize", "RMSprop", "RMSprop momentum wd",
                "RMSprop centered", "RMSprop centered momentum maximize"};
        Stream.Builder<Arguments> out = Stream.builder();
        for (int i = 0; i < names.length; i++) {
            for (int[] shape : new int[][]{{37, 41}, {300, 400}}) out.add(Arguments.of(names[i], makers.get(i), shape));
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("optimizers")
    void fusedAndCompositeGiveTheSameBits(String name, Function<List<Tensor>, Optimizer> make, int[] shape) {
        Kindling.manualSeed(7);
        Tensor data = Tensor.randn(shape[0], shape[1]);
        Tensor fused = data.clone().requiresGrad(true);
        Tensor chain = data.t().contiguous().t().requiresGrad(true);
        assertEquals(false, chain.isContiguous());
        Optimizer a = make.apply(List.of(fused)), b = make.apply(List.of(chain));
        for (int step = 0; step < 4; step++) {
            Tensor g = Tensor.randn(shape[0], shape[1]).mul(step + 1);
            fused.setGrad(g.clone());
            chain.setGrad(g.clone());
            a.step();
            b.step();
            float[] x = fused.detach().toFloatArray(), y = chain.detach().toFloatArray();
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                    throw new AssertionError(name + ": step " + (step + 1) + ", element " + i + ": fused " + x[i]
                            + " vs composite " + y[i]);
                }
            }
        }
    }

    /**
     * Moments that decay into subnormal floats (the gradient zero in three of four columns, as for blank pixels' weights),
     * where the fused Adam takes its road without subnormal arithmetic ({@code TinyMoments}): still the composite's bits,
     * step after step, through the subnormals to their fixed point.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decaying")
    void decayingMomentsKeepTheCompositeBits(String name, Function<List<Tensor>, Optimizer> make) {
        Kindling.manualSeed(3);
        Tensor data = Tensor.randn(40, 60).mul(0.05);
        Tensor fused = data.clone().requiresGrad(true);
        Tensor chain = data.t().contiguous().t().requiresGrad(true);
        Tensor mask = Tensor.arange(60).remainder(4).eq(0).float_().expand(40, 60);
        Optimizer a = make.apply(List.of(fused)), b = make.apply(List.of(chain));
        for (int step = 0; step < 400; step++) {
            // the first steps give every weight a moment; then only every fourth column keeps a gradient
            Tensor g = Tensor.randn(40, 60).mul(1e-2);
            if (step >= 3) g = g.mul(mask);
            fused.setGrad(g.clone());
            chain.setGrad(g.clone());
            a.step();
            b.step();
        }
        float[] x = fused.detach().toFloatArray(), y = chain.detach().toFloatArray();
        for (int i = 0; i < x.length; i++) assertEquals(Float.floatToIntBits(y[i]), Float.floatToIntBits(x[i]), name + " element " + i);
        float[] m = a.state(fused).get("exp_avg") instanceof Tensor t ? t.toFloatArray() : new float[0];
        float[] mc = b.state(chain).get("exp_avg") instanceof Tensor t ? t.contiguous().toFloatArray() : new float[0];
        int subnormal = 0;
        for (int i = 0; i < m.length; i++) {
            assertEquals(Float.floatToIntBits(mc[i]), Float.floatToIntBits(m[i]), name + " exp_avg element " + i);
            if (m[i] != 0 && Math.abs(m[i]) < Float.MIN_NORMAL) subnormal++;
        }
        assertTrue(subnormal > m.length / 2, name + ": " + subnormal + " subnormal moments of " + m.length);
    }

    static Stream<Arguments> decaying() {
        return Stream.of(
                Arguments.of("Adam betas (0.7, 0.999)", (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, 1e-3, 0.7, 0.999)),
                Arguments.of("AdamW betas (0.75, 0.99) maximize", (Function<List<Tensor>, Optimizer>) ps ->
                        AdamW.builder(ps).lr(1e-2).betas(0.75, 0.99).weightDecay(0.05).maximize(true).build()));
    }
}
