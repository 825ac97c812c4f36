package dev.kindling.samples;

import dev.kindling.Kindling;
import dev.kindling.Tensor;

/**
 * The main job of README's first command. For now it prints tensors and a matmul; it becomes the
 * Fashion-MNIST training once the nn, optim and data issues land.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        Kindling.manualSeed(0);
        Tensor a = Tensor.of(new float[][]{{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.arange(0.0, 6.0, 1.0).reshape(3, 2);
        System.out.println("a = " + a);
        System.out.println("b = " + b);
        System.out.println("a @ b = " + a.matmul(b));
        Tensor x = Tensor.randn(2, 3).requiresGrad(true);
        Tensor loss = x.matmul(b).pow(2).mean();
        loss.backward();
        System.out.println("loss = " + loss);
        System.out.println("d loss / d x = " + x.grad());
        System.out.println("matmul backend: " + Kindling.nativeBlasStatus());
    }
}
