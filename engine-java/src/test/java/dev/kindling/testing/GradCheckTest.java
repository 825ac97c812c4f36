package dev.kindling.testing;

import dev.kindling.DType;
import dev.kindling.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradCheckTest {
    private static Tensor leaf(int... shape) {
        return Tensor.randn(shape).to(DType.FLOAT64).requiresGrad(true);
    }

    @Test
    void passesOnACorrectGradient() {
        Tensor x = leaf(3, 4), y = leaf(4);
        assertTrue(GradCheck.gradcheck(in -> in.get(0).mul(in.get(1)).tanh(), List.of(x, y)));
        assertTrue(GradCheck.check(in -> in.get(0).exp().sum(), List.of(x)));
    }

    @Test
    void failsOnAWrongGradientAndNamesTheInput() {
        Tensor x = leaf(2, 3);
        // detach hides one factor from autograd: the analytic gradient is half the true one
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradCheck.gradcheck(in -> in.get(0).mul(in.get(0).detach()), List.of(x)));
        assertTrue(e.getMessage().contains("input 0"), e.getMessage());
        assertTrue(e.getMessage().contains("numerical"), e.getMessage());
    }

    @Test
    void rejectsFloat32Inputs() {
        Tensor x = Tensor.randn(3).requiresGrad(true);
        assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(in -> in.get(0).exp(), List.of(x)));
    }

    @Test
    void rejectsNoInputRequiringGrad() {
        Tensor x = Tensor.randn(3).to(DType.FLOAT64);
        assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(in -> in.get(0).exp(), List.of(x)));
    }

    @Test
    void gradgradcheckPassesAndCatchesAWrongSecondDerivative() {
        Tensor x = leaf(4);
        assertTrue(GradCheck.gradgradcheck(in -> in.get(0).pow(3).sin(), List.of(x)));
        // the first derivative of x*detach(x)^2 is right in value only through detach: second order differs
        assertThrows(AssertionError.class,
                () -> GradCheck.gradgradcheck(in -> in.get(0).mul(in.get(0).detach().square()), List.of(x)));
    }
}
