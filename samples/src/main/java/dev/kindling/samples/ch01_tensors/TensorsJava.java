package dev.kindling.samples.ch01_tensors;

import dev.kindling.DType;
import dev.kindling.Device;
import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.samples.support.Cells;

import java.util.Arrays;

/** Sample 1: tensors — creation, properties, arithmetic, products, shapes, broadcasting, devices. */
public final class TensorsJava {
    private TensorsJava() {}

    /** Runs the sample. */
    public static void main(String[] args) {
        Kindling.manualSeed(0);

        // cell: create
        Cells.cell("create");
        Tensor a = Tensor.of(1L, 2L, 3L);
        System.out.println("from values: " + a);
        Tensor zeros = Tensor.zeros(3, 4);
        Tensor ones = Tensor.ones(3, 4);
        Tensor rand = Tensor.rand(3, 4);
        Tensor randn = Tensor.randn(3, 4);
        Tensor eye = Tensor.eye(3);
        Tensor arange = Tensor.arange(0, 10, 2);
        System.out.println("zeros:\n" + zeros);
        System.out.println("ones:\n" + ones);
        System.out.println("rand:\n" + rand);
        System.out.println("randn:\n" + randn);
        System.out.println("eye:\n" + eye);
        System.out.println("arange: " + arange);

        // cell: properties
        Cells.cell("properties");
        Tensor x = Tensor.randn(3, 4, 5);
        System.out.println("shape: " + Arrays.toString(x.shape()));
        System.out.println("ndim: " + x.dim());
        System.out.println("dtype: " + x.dtype());
        System.out.println("device: " + x.device());
        System.out.println("numel: " + x.numel());

        // cell: arithmetic
        Cells.cell("arithmetic");
        Tensor p = Tensor.of(1f, 2f, 3f);
        Tensor q = Tensor.of(4f, 5f, 6f);
        System.out.println("add: " + p.add(q));
        System.out.println("mul: " + p.mul(q));
        System.out.println("dot: " + p.dot(q));
        System.out.println("matmul:\n" + Tensor.randn(2, 3).matmul(Tensor.randn(3, 4)));

        // cell: shapes
        Cells.cell("shapes");
        Tensor y = Tensor.randn(2, 3, 4);
        System.out.println("shape: " + Arrays.toString(y.shape()));
        System.out.println("reshape(6, 4): " + Arrays.toString(y.reshape(6, 4).shape()));
        System.out.println("view(2, 12): " + Arrays.toString(y.view(2, 12).shape()));
        System.out.println("transpose(0, 1): " + Arrays.toString(y.transpose(0, 1).shape()));
        System.out.println("permute(2, 0, 1): " + Arrays.toString(y.permute(2, 0, 1).shape()));

        // cell: broadcasting
        Cells.cell("broadcasting");
        Tensor column = Tensor.arange(0, 3).reshape(3, 1);
        Tensor row = Tensor.arange(0, 4).reshape(1, 4);
        Tensor grid = column.mul(10).add(row);
        System.out.println("[3, 1] * 10 + [1, 4] -> " + Arrays.toString(grid.shape()) + ":\n" + grid);
        Tensor g = grid.to(DType.FLOAT32);
        System.out.println("matrix - row means:\n" + g.sub(g.mean(1, true)));

        // cell: device
        Cells.cell("device");
        System.out.println("CUDA available: " + Kindling.cudaAvailable());
        Device device = Kindling.cudaAvailable() ? Device.cuda() : Device.CPU;
        Tensor moved = y.to(device);
        System.out.println("tensor on: " + moved.device());
    }
}
