package dev.kindling.nn;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

/**
 * Prints which convolution kernels are in use and a few sums of a small conv / batch norm / pool / transposed conv
 * network's output and gradients; {@link ConvFallbackTest} runs it in a JVM with oneDNN disabled.
 */
public final class ConvFallbackMain {
    private ConvFallbackMain() {}

    /** Prints the kernels line, then the figures of {@link #figures()} one per line. */
    public static void main(String[] args) {
        System.out.println(Kindling.convKernels());
        for (double v : figures()) System.out.println(v);
    }

    static double[] figures() {
        Kindling.manualSeed(42);
        Conv2d conv = new Conv2d(3, 8, 3, 2, 1);
        BatchNorm2d bn = new BatchNorm2d(8);
        ConvTranspose2d up = new ConvTranspose2d(8, 4, 2, 2, 0);
        Tensor x = Tensor.randn(4, 3, 12, 12).requiresGrad(true);
        Tensor y = up.forward(F.maxPool2d(F.relu(bn.forward(conv.forward(x))), 2));
        y.pow(2).sum().backward();
        return new double[]{y.sum().item(), x.grad().abs().sum().item(), conv.weight.grad().abs().sum().item(),
                bn.weight.grad().abs().sum().item(), up.weight.grad().abs().sum().item(), bn.runningVar().sum().item()};
    }
}
