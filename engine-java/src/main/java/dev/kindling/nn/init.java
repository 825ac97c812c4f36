package dev.kindling.nn;

import dev.kindling.Generator;
import dev.kindling.Kindling;
import dev.kindling.Tensor;

import java.util.Arrays;

/**
 * Weight initialisation ({@code torch.nn.init}). Every function fills the tensor in place without recording
 * gradients, draws from {@link Kindling#defaultGenerator()} unless given a {@link Generator}, and returns it.
 *
 * <pre>{@code init.kaimingNormal_(conv.weight, 0, init.FanMode.FAN_OUT, init.Nonlinearity.RELU);}</pre>
 */
@SuppressWarnings("checkstyle:TypeName")
public final class init {
    private init() {}

    /** Which fan scales the variance: {@code mode='fan_in'} keeps forward activations, {@code 'fan_out'} gradients. */
    public enum FanMode { FAN_IN, FAN_OUT }

    /** The nonlinearity after the layer, for {@link #calculateGain}. */
    public enum Nonlinearity { LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    /** The recommended gain for a nonlinearity; {@code param} is LeakyReLU's negative slope. */
    public static double calculateGain(Nonlinearity nonlinearity, double param) {
        return switch (nonlinearity) {
            case LINEAR, CONV1D, CONV2D, CONV3D, CONV_TRANSPOSE1D, CONV_TRANSPOSE2D, CONV_TRANSPOSE3D, SIGMOID -> 1;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** {@code calculate_gain(nonlinearity)}; LeakyReLU uses slope 0.01. */
    public static double calculateGain(Nonlinearity nonlinearity) { return calculateGain(nonlinearity, 0.01); }

    /** {@code [fanIn, fanOut]} of a weight of at least 2 dimensions (receptive field included). */
    public static int[] calculateFanInAndFanOut(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out can not be computed for a tensor with fewer than 2 dimensions, got shape "
                    + Arrays.toString(t.shape()));
        }
        int receptive = 1;
        for (int i = 2; i < t.dim(); i++) receptive *= t.size(i);
        return new int[]{t.size(1) * receptive, t.size(0) * receptive};
    }

    /** {@code init.uniform_} drawing from {@code gen}. */
    public static Tensor uniform_(Tensor t, double a, double b, Generator gen) {
        try (var off = Kindling.noGrad()) {
            return t.uniform_(gen, a, b);
        }
    }

    /** {@code init.uniform_} with the default generator. */
    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, Kindling.defaultGenerator()); }

    /** {@code init.normal_} drawing from {@code gen}. */
    public static Tensor normal_(Tensor t, double mean, double std, Generator gen) {
        try (var off = Kindling.noGrad()) {
            return t.normal_(gen, mean, std);
        }
    }

    /** {@code init.normal_} with the default generator. */
    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Kindling.defaultGenerator()); }

    /** Fills {@code t} with {@code value}, without recording gradients. */
    public static Tensor constant_(Tensor t, double value) {
        try (var off = Kindling.noGrad()) {
            return t.fill_(value);
        }
    }

    /** Fills {@code t} with zeros, without recording gradients. */
    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    /** Fills {@code t} with ones, without recording gradients. */
    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    /** Glorot uniform: U(-a, a) with {@code a = gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator gen) {
        int[] f = calculateFanInAndFanOut(t);
        double a = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform_(t, -a, a, gen);
    }

    /** {@code init.xavier_uniform_} with the default generator. */
    public static Tensor xavierUniform_(Tensor t, double gain) { return xavierUniform_(t, gain, Kindling.defaultGenerator()); }

    /** {@code init.xavier_uniform_} with the default generator. */
    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0); }

    /** Glorot normal: N(0, std²) with {@code std = gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal_(Tensor t, double gain, Generator gen) {
        int[] f = calculateFanInAndFanOut(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), gen);
    }

    /** {@code init.xavier_normal_} with the default generator. */
    public static Tensor xavierNormal_(Tensor t, double gain) { return xavierNormal_(t, gain, Kindling.defaultGenerator()); }

    /** {@code init.xavier_normal_} with the default generator. */
    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0); }

    private static double kaimingStd(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        int[] f = calculateFanInAndFanOut(t);
        int fan = mode == FanMode.FAN_IN ? f[0] : f[1];
        if (fan == 0) throw new IllegalArgumentException("init: cannot initialise a tensor with zero fan, shape " + Arrays.toString(t.shape()));
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }

    /** He uniform: U(-b, b) with {@code b = gain * sqrt(3 / fan)}. PyTorch layers use {@code a = sqrt(5)}, LEAKY_RELU, FAN_IN. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform_(t, -bound, bound, gen);
    }

    /** {@code init.kaiming_uniform_} with the default generator. */
    public static Tensor kaimingUniform_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingUniform_(t, a, mode, nonlinearity, Kindling.defaultGenerator());
    }

    /** {@code kaiming_uniform_(t, a)}: fan in, leaky ReLU. */
    public static Tensor kaimingUniform_(Tensor t, double a) { return kaimingUniform_(t, a, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU); }

    /** {@code init.kaiming_uniform_} with the default generator. */
    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0); }

    /** He normal: N(0, std²) with {@code std = gain / sqrt(fan)}. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator gen) {
        return normal_(t, 0, kaimingStd(t, a, mode, nonlinearity), gen);
    }

    /** {@code init.kaiming_normal_} with the default generator. */
    public static Tensor kaimingNormal_(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity) {
        return kaimingNormal_(t, a, mode, nonlinearity, Kindling.defaultGenerator());
    }

    /** {@code init.kaiming_normal_} with the default generator. */
    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU); }

    /** PyTorch's default for Linear and Conv: kaiming-uniform weight with {@code a = sqrt(5)}, bias U(±1/sqrt(fanIn)). */
    static void defaultLayerInit(Tensor weight, Tensor bias) {
        kaimingUniform_(weight, Math.sqrt(5));
        if (bias != null) {
            int fanIn = calculateFanInAndFanOut(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            uniform_(bias, -bound, bound);
        }
    }
}
