package dev.kindling.half;

import dev.kindling.DType;
import dev.kindling.Tensor;
import dev.kindling.nn.F;
import dev.kindling.nn.InterpolateMode;
import dev.kindling.nn.Reduction;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kind of op accepts FLOAT16 and BFLOAT16 (PyTorch 1.13's CPU build lacks most float16 kernels; later versions
 * have them): indexing, shapes, math, reductions, activations, convolution and pooling, losses; each gives its
 * input's dtype and, through backward, a gradient in that dtype. Values are checked in HalfPrecisionTest.
 */
class HalfOpsCoverageTest {
    @Test
    void everyKindOfOpRunsForwardAndBackwardInBothDtypes() {
      for (DType dt : new DType[]{DType.FLOAT16, DType.BFLOAT16}) {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        Tensor idx = Tensor.of(new long[]{0, 2});
        ops.put("indexSelect", x -> x.indexSelect(0, idx)); ops.put("gather", x -> x.gather(1, Tensor.zeros(new int[]{4, 2}, DType.INT64)));
        ops.put("where", x -> Tensor.where(x.gt(0), x, x.neg())); ops.put("maskedFill", x -> x.maskedFill(x.lt(0), 0));
        ops.put("narrow", x -> x.narrow(1, 1, 2)); ops.put("cat", x -> Tensor.cat(List.of(x, x))); ops.put("stack", x -> Tensor.stack(List.of(x, x)));
        ops.put("sort", x -> x.sort(1).values()); ops.put("topk", x -> x.topk(2, 1).values()); ops.put("argmax", x -> x.argmax(1).to(dt));
        ops.put("clamp", x -> x.clamp(-0.5, 0.5)); ops.put("pow", x -> x.pow(3)); ops.put("sqrt", x -> x.abs().sqrt()); ops.put("rsqrt", x -> x.abs().add(1).rsqrt());
        ops.put("log1p", x -> x.abs().log1p()); ops.put("expm1", Tensor::expm1); ops.put("sin", Tensor::sin); ops.put("cos", Tensor::cos); ops.put("sign", Tensor::sign);
        ops.put("floor", Tensor::floor); ops.put("round", Tensor::round); ops.put("max", x -> x.max(1).values()); ops.put("min", Tensor::min);
        ops.put("var", Tensor::var); ops.put("std", x -> x.std(1)); ops.put("norm", Tensor::norm); ops.put("logsumexp", x -> x.logsumexp(1, false));
        ops.put("layerNorm", x -> F.layerNorm(x, new int[]{6})); ops.put("dropout", x -> F.dropout(x, 0.5, true)); ops.put("gelu", F::gelu); ops.put("silu", F::silu);
        ops.put("softplus", F::softplus); ops.put("leaky", x -> F.leakyRelu(x, 0.1)); ops.put("elu", x -> F.elu(x));
        ops.put("conv2d", x -> F.conv2d(x.reshape(1, 1, 4, 6), Tensor.randn(2, 1, 3, 3).to(dt))); ops.put("maxpool", x -> F.maxPool2d(x.reshape(1, 1, 4, 6), 2));
        ops.put("avgpool", x -> F.avgPool2d(x.reshape(1, 1, 4, 6), 2)); ops.put("adaptive", x -> F.adaptiveAvgPool2d(x.reshape(1, 1, 4, 6), 3, 4));
        ops.put("ce", x -> F.crossEntropy(x, Tensor.of(new long[]{0, 1, 2, 3}))); ops.put("mse", x -> F.mseLoss(x, x.mul(0.5))); ops.put("bcelogits", x -> F.binaryCrossEntropyWithLogits(x, x.sigmoid().detach()));
        ops.put("bce", x -> F.binaryCrossEntropy(x.sigmoid(), x.sigmoid().detach())); ops.put("smoothl1", x -> F.smoothL1Loss(x, x.mul(0.5))); ops.put("kldiv", x -> F.klDiv(x.logSoftmax(1), x.softmax(1).detach(), Reduction.BATCHMEAN));
        ops.put("embedding", x -> F.embedding(Tensor.of(new long[]{1, 3}), x)); ops.put("cumsum?", x -> x.sum(0)); ops.put("mm", x -> x.mm(x.t())); ops.put("bmm", x -> x.unsqueeze(0).bmm(x.t().unsqueeze(0)));
        ops.put("interpolate", x -> F.interpolate(x.reshape(1, 1, 4, 6), new int[]{8, 12}, InterpolateMode.BILINEAR, false));
        ops.put("transpose-contig", x -> x.t().contiguous()); ops.put("expand", x -> x.narrow(0, 0, 1).expand(3, 6).mul(2)); ops.put("addcmul", x -> x.addcmul(x, x, 0.5));
        int ok = 0; List<String> bad = new ArrayList<>();
        for (var e : ops.entrySet()) {
          try {
            Tensor x = Tensor.randn(4, 6).to(dt).requiresGrad(true);
            Tensor y = e.getValue().apply(x);
            if (y.dtype() != dt && !e.getKey().equals("argmax")) bad.add(e.getKey() + ": dtype " + y.dtype());
            if (y.requiresGrad()) { y.float_().sum().backward(); if (x.grad() != null && x.grad().dtype() != dt) bad.add(e.getKey() + ": grad dtype " + x.grad().dtype()); }
            ok++;
          } catch (Exception ex) { bad.add(e.getKey() + ": " + ex); }
        }
        assertEquals(List.of(), bad, dt + ": ops that failed or gave another dtype");
        assertEquals(ops.size(), ok);
      }
    }
}
