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
}
