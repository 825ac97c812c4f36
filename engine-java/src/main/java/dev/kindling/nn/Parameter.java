package dev.kindling.nn;

import dev.kindling.Tensor;

/**
 * A tensor that a {@link Module} owns and trains ({@code torch.nn.Parameter}): an alias of its data owned by
 * no memory scope, a leaf that requires grad unless told otherwise.
 *
 * <pre>{@code final Parameter w = new Parameter(Tensor.randn(3, 4));}</pre>
 */
public class Parameter extends Tensor {
    /** Wraps {@code data} (sharing its memory) as a parameter that requires grad. */
    public Parameter(Tensor data) { this(data, true); }

    /** Wraps {@code data}; {@code requiresGrad=false} makes a frozen parameter. */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(checked(data));
        requiresGrad(requiresGrad);
    }

    private static Tensor checked(Tensor data) {
        if (data == null) throw new IllegalArgumentException("Parameter: data must not be null");
        return data;
    }

    /** Prints like PyTorch: {@code Parameter containing:} followed by the values. */
    @Override public String toString() { return "Parameter containing:\n" + super.toString(); }
}
