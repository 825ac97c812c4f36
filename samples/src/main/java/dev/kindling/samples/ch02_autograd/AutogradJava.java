package dev.kindling.samples.ch02_autograd;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.samples.support.Cells;
import dev.kindling.samples.support.Fast;

/** Sample 2: autograd — gradient descent by hand on y = 2x, and the gradients of z = x*y + x^2. */
public final class AutogradJava {
    private AutogradJava() {}

    static Tensor forward(Tensor x, Tensor w) { return x.mul(w); }

    static Tensor loss(Tensor x, Tensor y, Tensor w) { return forward(x, w).sub(y).pow(2); }

    /** Runs the sample. */
    public static void main(String[] args) {
        // cell: data
        Cells.cell("data");
        double[] xData = {1.0, 2.0, 3.0};
        double[] yData = {2.0, 4.0, 6.0};
        Tensor w = Tensor.of(1.0f).requiresGrad(true);
        System.out.println("predict before training 4 " + forward(Tensor.scalar(4), w).item());

        // cell: train
        Cells.cell("train");
        int epochs = Fast.pick(100, 3);
        for (int epoch = 0; epoch < epochs; epoch++) {
            Tensor l = null;
            for (int i = 0; i < xData.length; i++) {
                l = loss(Tensor.scalar(xData[i]), Tensor.scalar(yData[i]), w);
                l.backward();
                if (epoch == 0) System.out.println("\tgrad: " + xData[i] + " " + yData[i] + " " + w.grad().item());
                // w.data = w.data - 0.01 * w.grad.data: update the values outside the graph
                w.data().sub_(w.grad().mul(0.01));
                w.grad().zero_();
            }
            if (epoch < 3 || (epoch + 1) % 10 == 0) System.out.println("progress: " + epoch + " " + l.item());
        }
        System.out.println("predict after training 4 " + forward(Tensor.scalar(4), w).item());

        // cell: graph
        Cells.cell("graph");
        Tensor x = Tensor.of(2.0f, 3.0f).requiresGrad(true);
        Tensor y = Tensor.of(4.0f, 5.0f).requiresGrad(true);
        Tensor z = x.mul(y).add(x.pow(2));
        Tensor total = z.sum();
        total.backward();
        System.out.println("x.grad = " + x.grad() + "   (dL/dx = y + 2x)");
        System.out.println("y.grad = " + y.grad() + "   (dL/dy = x)");

        // cell: nograd
        Cells.cell("nograd");
        Tensor inference;
        try (var guard = Kindling.noGrad()) {
            inference = x.mul(y);
        }
        System.out.println("under noGrad requiresGrad = " + inference.requiresGrad());
        Tensor detached = z.detach();
        System.out.println("detached requiresGrad = " + detached.requiresGrad());
    }
}
