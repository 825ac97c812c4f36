package dev.kindling.testing;

import dev.kindling.DType;
import dev.kindling.Generator;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Finite-difference gradient checks ({@code torch.autograd.gradcheck} / {@code gradgradcheck}): the full
 * Jacobian of {@code fn} at {@code inputs}, estimated by central differences in float64, is compared with
 * the one autograd computes through {@link Kindling#grad}. A mismatch throws an {@link AssertionError}
 * naming the input, the element and both values.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(3, 4).to(DType.FLOAT64).requiresGrad(true);
 * GradCheck.gradcheck(in -> in.get(0).tanh().sum(1), List.of(x));
 * }</pre>
 *
 * Every input that requires grad must be FLOAT64 (float32 differences are too coarse to mean anything)
 * and must not overlap itself in memory (an expanded tensor), since perturbing one element would then
 * perturb several. Inputs that do not require grad are passed through untouched (indices, masks).
 */
public final class GradCheck {
    /** PyTorch's defaults: step 1e-6, absolute tolerance 1e-5, relative tolerance 1e-3. */
    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    private GradCheck() {}

    /** {@link #gradcheck(Function, List, double, double, double)} with PyTorch's default tolerances. */
    public static boolean gradcheck(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs) {
        return gradcheck(fn, inputs, EPS, ATOL, RTOL);
    }

    /** Same as {@link #gradcheck(Function, List)}; the name other Kindling test suites use. */
    public static boolean check(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs) {
        return gradcheck(fn, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks first derivatives: for every input {@code x} that requires grad, every element {@code i} of
     * {@code x} and every element {@code j} of the output, {@code |analytic - numeric| <= atol + rtol * |numeric|}
     * where numeric is {@code (f(x + eps e_i) - f(x - eps e_i))[j] / (2 eps)}.
     *
     * @return true (so that it reads well inside {@code assertTrue}); a mismatch throws instead
     * @throws AssertionError naming the input, the element, the output element, numeric and analytic values
     */
    public static boolean gradcheck(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, double eps, double atol,
                                    double rtol) {
        List<Integer> checked = checkedInputs("gradcheck", inputs);
        Tensor out;
        try (var on = Kindling.enableGrad()) {
            out = fn.apply(inputs);
        }
        checkOutput("gradcheck", out);
        int outN = Math.toIntExact(out.numel());
        for (int k : checked) {
            Tensor x = inputs.get(k);
            int inN = Math.toIntExact(x.numel());
            double[][] analytic = analytic(out, x, k);
            double[][] numeric = numeric(fn, inputs, x, eps, outN);
            for (int i = 0; i < inN; i++) {
                for (int j = 0; j < outN; j++) {
                    double a = analytic[i][j], n = numeric[i][j];
                    if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
                        throw new AssertionError("gradcheck: Jacobian mismatch for input " + k + " (shape "
                                + Arrays.toString(x.shape()) + ") at element " + i + " " + Arrays.toString(unravel(i, x.shape()))
                                + ", output element " + j + " " + Arrays.toString(unravel(j, out.shape()))
                                + ": numerical " + n + " vs analytical " + a + " (eps " + eps + ", atol " + atol
                                + ", rtol " + rtol + ")\nnumerical column:  " + column(numeric, j)
                                + "\nanalytical column: " + column(analytic, j));
                    }
                }
            }
        }
        return true;
    }

    /** {@link #gradgradcheck(Function, List, double, double, double)} with PyTorch's default tolerances. */
    public static boolean gradgradcheck(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs) {
        return gradgradcheck(fn, inputs, EPS, ATOL, RTOL);
    }

    /**
     * Checks second derivatives: {@link #gradcheck} applied to the map {@code (inputs, v) -> d(<fn(inputs), v>)/d inputs}
     * computed with {@code createGraph}, where {@code v} is a fixed random gradient of the output that also
     * requires grad (so double backward through every formula is exercised, as in PyTorch).
     */
    public static boolean gradgradcheck(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, double eps, double atol,
                                        double rtol) {
        List<Integer> checked = checkedInputs("gradgradcheck", inputs);
        Tensor out;
        try (var on = Kindling.enableGrad()) {
            out = fn.apply(inputs);
        }
        checkOutput("gradgradcheck", out);
        // a fixed seed keeps the check reproducible from run to run
        Tensor v = Tensor.randn(new Generator(1234), out.shape()).to(DType.FLOAT64).requiresGrad(true);
        int n = inputs.size();
        List<Tensor> all = new ArrayList<>(inputs);
        all.add(v);
        Function<List<Tensor>, Tensor> firstOrder = xs -> {
            try (var on = Kindling.enableGrad()) {
                List<Tensor> in = xs.subList(0, n);
                List<Tensor> wrt = new ArrayList<>();
                for (int k : checked) wrt.add(in.get(k));
                Tensor y = fn.apply(in);
                List<Tensor> g = Kindling.grad(List.of(y), wrt, List.of(xs.get(n)), true, true, true);
                List<Tensor> flat = new ArrayList<>();
                for (int i = 0; i < g.size(); i++) {
                    Tensor gi = g.get(i);
                    flat.add(gi == null ? Tensor.zeros(new int[]{Math.toIntExact(wrt.get(i).numel())}, DType.FLOAT64)
                            : gi.reshape(-1));
                }
                return Tensor.cat(flat, 0);
            }
        };
        return gradcheck(firstOrder, all, eps, atol, rtol);
    }

    // ------------------------------------------------------------------ helpers

    private static List<Integer> checkedInputs(String op, List<Tensor> inputs) {
        List<Integer> checked = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Tensor x = inputs.get(k);
            if (x == null || !x.requiresGrad()) continue;
            if (x.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(op + ": input " + k + " requires grad but is " + x.dtype()
                        + "; finite differences need FLOAT64, use x.to(DType.FLOAT64).requiresGrad(true)");
            }
            int[] s = x.shape(), st = x.stride();
            for (int d = 0; d < s.length; d++) {
                if (st[d] == 0 && s[d] > 1) {
                    throw new IllegalArgumentException(op + ": input " + k + " of shape " + Arrays.toString(s)
                            + " has overlapping memory (stride 0 in dim " + d + "); pass a contiguous copy");
                }
            }
            checked.add(k);
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException(op + ": no input requires grad; call requiresGrad(true) on the inputs to check");
        }
        return checked;
    }

    private static void checkOutput(String op, Tensor out) {
        if (out == null || !out.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": the function must return a floating point tensor, got "
                    + (out == null ? "null" : out.dtype().toString()));
        }
    }

    /** analytic[i][j] = d out[j] / d x[i], one backward pass per output element. */
    private static double[][] analytic(Tensor out, Tensor x, int k) {
        int inN = Math.toIntExact(x.numel()), outN = Math.toIntExact(out.numel());
        double[][] jac = new double[inN][outN];
        if (!out.requiresGrad()) return jac;
        for (int j = 0; j < outN; j++) {
            double[] onehot = new double[outN];
            onehot[j] = 1;
            Tensor g = Tensor.fromArray(onehot, out.shape()).to(out.dtype());
            Tensor gx = Kindling.grad(List.of(out), List.of(x), List.of(g), true, false, true).get(0);
            if (gx == null) continue;
            if (!Arrays.equals(gx.shape(), x.shape())) {
                throw new AssertionError("gradcheck: the gradient of input " + k + " has shape " + Arrays.toString(gx.shape())
                        + " but the input has shape " + Arrays.toString(x.shape()));
            }
            if (gx.dtype() != x.dtype()) {
                throw new AssertionError("gradcheck: the gradient of input " + k + " has dtype " + gx.dtype()
                        + " but the input is " + x.dtype());
            }
            double[] col = gx.toDoubleArray();
            for (int i = 0; i < inN; i++) jac[i][j] = col[i];
        }
        return jac;
    }

    /** numeric[i][j] by central differences, perturbing x's data in place and restoring it. */
    private static double[][] numeric(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, Tensor x, double eps,
                                      int outN) {
        int inN = Math.toIntExact(x.numel());
        double[][] jac = new double[inN][outN];
        double[] orig = x.toDoubleArray();
        int[] shape = x.shape();
        try (var off = Kindling.noGrad()) {
            for (int i = 0; i < inN; i++) {
                Tensor cell = element(x, unravel(i, shape));
                cell.fill_(orig[i] + eps);
                double[] plus = values(fn.apply(inputs), outN);
                cell.fill_(orig[i] - eps);
                double[] minus = values(fn.apply(inputs), outN);
                cell.fill_(orig[i]);
                for (int j = 0; j < outN; j++) jac[i][j] = (plus[j] - minus[j]) / (2 * eps);
            }
        }
        return jac;
    }

    private static double[] values(Tensor out, int n) {
        if (out.numel() != n) {
            throw new AssertionError("gradcheck: the function returned " + out.numel() + " elements for perturbed inputs"
                    + " but " + n + " at the original inputs");
        }
        return out.toDoubleArray();
    }

    /** A 0-d view of one element of x's data, outside autograd (writes through it do not bump x's version). */
    private static Tensor element(Tensor x, int[] index) {
        Tensor e = x.data();
        for (int d : index) e = e.select(0, d);
        return e;
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
        return idx;
    }

    /** Column j of a Jacobian, cut to its first 32 entries so that messages stay readable. */
    private static String column(double[][] jac, int j) {
        int n = Math.min(jac.length, 32);
        double[] c = new double[n];
        for (int i = 0; i < n; i++) c[i] = jac[i][j];
        return Arrays.toString(c) + (n < jac.length ? " ..." : "");
    }
}
