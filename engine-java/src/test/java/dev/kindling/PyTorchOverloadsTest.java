package dev.kindling;

import dev.kindling.nn.F;
import dev.kindling.nn.InterpolateMode;
import dev.kindling.nn.PadMode;
import dev.kindling.nn.Reduction;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14, item 7: the short forms users type from PyTorch tutorials exist. Where PyTorch has trailing
 * defaults ({@code x.sort(1)}, {@code x.topk(2, 1)}, {@code x.prod(1)}, {@code F.conv2d(x, w)}), the table
 * below lists the overload that must exist; each one delegates to the full form, and a few are checked to give
 * the full form's result.
 */
class PyTorchOverloadsTest {
    private static final Class<?> T = Tensor.class, I = int.class, Z = boolean.class, D = double.class, IA = int[].class;
    private static final Class<?> R = Reduction.class;

    /** One overload: where, whether static, its name and parameter types, and the PyTorch call it mirrors. */
    record Form(Class<?> owner, boolean isStatic, String name, List<Class<?>> params, String pytorch) {
        static Form tensor(String pytorch, String name, Class<?>... params) { return new Form(Tensor.class, false, name, List.of(params), pytorch); }
        static Form factory(String pytorch, String name, Class<?>... params) { return new Form(Tensor.class, true, name, List.of(params), pytorch); }
        static Form f(String pytorch, String name, Class<?>... params) { return new Form(F.class, true, name, List.of(params), pytorch); }
    }

    static final List<Form> FORMS = List.of(
            // reductions: dim with keepdim=False (and unbiased=True for var/std)
            Form.tensor("x.sum(dim)", "sum", I),
            Form.tensor("x.sum((0, 1))", "sum", IA),
            Form.tensor("x.mean(dim)", "mean", I),
            Form.tensor("x.mean((2, 3))", "mean", IA),
            Form.tensor("x.prod()", "prod"),
            Form.tensor("x.prod(dim)", "prod", I),
            Form.tensor("x.max()", "max"),
            Form.tensor("x.max(dim)", "max", I),
            Form.tensor("x.min(dim)", "min", I),
            Form.tensor("x.amax()", "amax"),
            Form.tensor("x.amax(dim)", "amax", I),
            Form.tensor("x.amax(dim, keepdim)", "amax", I, Z),
            Form.tensor("x.amax((2, 3))", "amax", IA),
            Form.tensor("x.amin()", "amin"),
            Form.tensor("x.amin(dim)", "amin", I),
            Form.tensor("x.amin(dim, keepdim)", "amin", I, Z),
            Form.tensor("x.amin((2, 3))", "amin", IA),
            Form.tensor("x.argmax()", "argmax"),
            Form.tensor("x.argmax(dim)", "argmax", I),
            Form.tensor("x.argmin(dim)", "argmin", I),
            Form.tensor("x.var()", "var"),
            Form.tensor("x.var(dim)", "var", I),
            Form.tensor("x.var(dim, unbiased)", "var", I, Z),
            Form.tensor("x.var((0, 1))", "var", IA),
            Form.tensor("x.std()", "std"),
            Form.tensor("x.std(dim)", "std", I),
            Form.tensor("x.std(dim, unbiased)", "std", I, Z),
            Form.tensor("x.std((0, 1))", "std", IA),
            Form.tensor("x.logsumexp(dim)", "logsumexp", I),
            Form.tensor("x.softmax(dim)", "softmax", I),
            Form.tensor("x.log_softmax(dim)", "logSoftmax", I),
            Form.tensor("x.norm()", "norm"),
            Form.tensor("x.norm(p)", "norm", D),
            Form.tensor("x.all()", "all"),
            Form.tensor("x.any()", "any"),
            // sorting and selection
            Form.tensor("x.sort()", "sort"),
            Form.tensor("x.sort(dim)", "sort", I),
            Form.tensor("x.sort(dim, descending)", "sort", I, Z),
            Form.tensor("x.argsort()", "argsort"),
            Form.tensor("x.argsort(dim)", "argsort", I),
            Form.tensor("x.topk(k)", "topk", I),
            Form.tensor("x.topk(k, dim)", "topk", I, I),
            Form.tensor("x.topk(k, dim, largest)", "topk", I, I, Z),
            // shapes
            Form.tensor("x.split(size)", "split", I),
            Form.tensor("x.split([sizes])", "split", IA),
            Form.tensor("x.chunk(chunks)", "chunk", I),
            Form.tensor("x.unbind()", "unbind"),
            Form.tensor("x.flatten()", "flatten"),
            Form.tensor("x.flatten(start_dim)", "flatten", I),
            Form.tensor("x.squeeze()", "squeeze"),
            Form.factory("torch.cat(tensors)", "cat", List.class),
            Form.factory("torch.stack(tensors)", "stack", List.class),
            Form.tensor("F.one_hot(x)", "oneHot"),
            // pointwise
            Form.tensor("x.clamp(min)", "clamp", D),
            Form.tensor("x.clamp_(min)", "clamp_", D),
            Form.tensor("x.addcmul(t1, t2)", "addcmul", T, T),
            Form.tensor("x.addcmul_(t1, t2)", "addcmul_", T, T),
            Form.tensor("x.addcdiv(t1, t2)", "addcdiv", T, T),
            Form.tensor("x.addcdiv_(t1, t2)", "addcdiv_", T, T),
            Form.tensor("x.add(y)", "add", T),
            Form.tensor("x.allclose(y)", "allclose", T),
            Form.tensor("x.bernoulli_()", "bernoulli_"),
            Form.tensor("x.uniform_()", "uniform_"),
            Form.tensor("x.normal_()", "normal_"),
            Form.tensor("x.backward()", "backward"),
            // factories
            Form.factory("torch.zeros(*size)", "zeros", IA),
            Form.factory("torch.ones(*size)", "ones", IA),
            Form.factory("torch.eye(n)", "eye", I),
            Form.factory("torch.arange(end)", "arange", long.class),
            Form.factory("torch.arange(start, end)", "arange", long.class, long.class),
            Form.factory("torch.arange(0.5, 4.0)", "arange", D, D),
            Form.factory("torch.randperm(n)", "randperm", I),
            // F
            Form.f("F.leaky_relu(x)", "leakyRelu", T),
            Form.f("F.elu(x)", "elu", T),
            Form.f("F.gelu(x)", "gelu", T),
            Form.f("F.softplus(x)", "softplus", T),
            Form.f("F.softplus(x, beta)", "softplus", T, D),
            Form.f("F.linear(x, w)", "linear", T, T),
            Form.f("F.conv2d(x, w)", "conv2d", T, T),
            Form.f("F.conv2d(x, w, b)", "conv2d", T, T, T),
            Form.f("F.conv2d(x, w, b, stride)", "conv2d", T, T, T, I),
            Form.f("F.conv2d(x, w, b, stride, padding)", "conv2d", T, T, T, I, I),
            Form.f("F.conv1d(x, w)", "conv1d", T, T),
            Form.f("F.conv1d(x, w, b)", "conv1d", T, T, T),
            Form.f("F.conv1d(x, w, b, stride)", "conv1d", T, T, T, I),
            Form.f("F.conv1d(x, w, b, stride, padding)", "conv1d", T, T, T, I, I),
            Form.f("F.conv_transpose2d(x, w)", "convTranspose2d", T, T),
            Form.f("F.conv_transpose2d(x, w, b)", "convTranspose2d", T, T, T),
            Form.f("F.max_pool2d(x, k)", "maxPool2d", T, I),
            Form.f("F.max_pool2d(x, k, stride)", "maxPool2d", T, I, I),
            Form.f("F.avg_pool2d(x, k)", "avgPool2d", T, I),
            Form.f("F.avg_pool2d(x, k, stride)", "avgPool2d", T, I, I),
            Form.f("F.adaptive_avg_pool2d(x, size)", "adaptiveAvgPool2d", T, I),
            Form.f("F.batch_norm(x, mean, var)", "batchNorm", T, T, T),
            Form.f("F.batch_norm(x, mean, var, w, b)", "batchNorm", T, T, T, T, T),
            Form.f("F.layer_norm(x, shape)", "layerNorm", T, IA),
            Form.f("F.layer_norm(x, shape, w, b)", "layerNorm", T, IA, T, T),
            Form.f("F.group_norm(x, groups)", "groupNorm", T, I),
            Form.f("F.group_norm(x, groups, w, b)", "groupNorm", T, I, T, T),
            Form.f("F.dropout(x)", "dropout", T),
            Form.f("F.dropout(x, p)", "dropout", T, D),
            Form.f("F.dropout2d(x)", "dropout2d", T),
            Form.f("F.dropout2d(x, p)", "dropout2d", T, D),
            Form.f("F.embedding(idx, w)", "embedding", T, T),
            Form.f("F.pad(x, pad)", "pad", T, IA),
            Form.f("F.pad(x, pad, mode)", "pad", T, IA, PadMode.class),
            Form.f("F.interpolate(x, size)", "interpolate", T, IA),
            Form.f("F.interpolate(x, scale_factor=f)", "interpolate", T, D),
            Form.f("F.interpolate(x, size, mode=...)", "interpolate", T, IA, InterpolateMode.class),
            Form.f("F.one_hot(x)", "oneHot", T),
            Form.f("F.normalize(x)", "normalize", T),
            Form.f("F.normalize(x, p)", "normalize", T, D),
            Form.f("F.normalize(x, p, dim)", "normalize", T, D, I),
            Form.f("F.softmax(x, dim)", "softmax", T, I),
            Form.f("F.log_softmax(x, dim)", "logSoftmax", T, I),
            Form.f("F.mse_loss(x, y)", "mseLoss", T, T),
            Form.f("F.l1_loss(x, y)", "l1Loss", T, T),
            Form.f("F.smooth_l1_loss(x, y)", "smoothL1Loss", T, T),
            Form.f("F.smooth_l1_loss(x, y, reduction=...)", "smoothL1Loss", T, T, R),
            Form.f("F.binary_cross_entropy(x, y)", "binaryCrossEntropy", T, T),
            Form.f("F.binary_cross_entropy(x, y, weight)", "binaryCrossEntropy", T, T, T),
            Form.f("F.binary_cross_entropy(x, y, reduction=...)", "binaryCrossEntropy", T, T, R),
            Form.f("F.binary_cross_entropy_with_logits(x, y)", "binaryCrossEntropyWithLogits", T, T),
            Form.f("F.binary_cross_entropy_with_logits(x, y, weight)", "binaryCrossEntropyWithLogits", T, T, T),
            Form.f("F.binary_cross_entropy_with_logits(x, y, reduction=...)", "binaryCrossEntropyWithLogits", T, T, R),
            Form.f("F.nll_loss(x, y)", "nllLoss", T, T),
            Form.f("F.nll_loss(x, y, weight)", "nllLoss", T, T, T),
            Form.f("F.nll_loss(x, y, reduction=...)", "nllLoss", T, T, R),
            Form.f("F.cross_entropy(x, y)", "crossEntropy", T, T),
            Form.f("F.cross_entropy(x, y, weight)", "crossEntropy", T, T, T),
            Form.f("F.cross_entropy(x, y, reduction=...)", "crossEntropy", T, T, R),
            Form.f("F.kl_div(x, y)", "klDiv", T, T),
            Form.f("F.kl_div(x, y, reduction=...)", "klDiv", T, T, R));

    @TestFactory
    Stream<DynamicTest> everyShortFormExists() {
        return FORMS.stream().map(f -> DynamicTest.dynamicTest(f.pytorch(), () -> {
            Method m;
            try {
                m = f.owner().getMethod(f.name(), f.params().toArray(new Class<?>[0]));
            } catch (NoSuchMethodException e) {
                fail(f.pytorch() + ": " + f.owner().getSimpleName() + "." + f.name() + "(" + Arrays.toString(f.params().toArray()) + ") is missing");
                return;
            }
            assertTrue(Modifier.isPublic(m.getModifiers()), f.pytorch() + ": public");
            assertEquals(f.isStatic(), Modifier.isStatic(m.getModifiers()), f.pytorch() + ": static");
        }));
    }

    private static Tensor x() {
        return Tensor.of(new float[][]{{3, 1, 2, 5}, {0, 4, 4, 1}, {2, 7, 6, 3}});
    }

    private static void same(Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(expected.toDoubleArray(), actual.toDoubleArray(), 0);
    }

    @Test void theIssuesExamplesGiveTheFullFormsResults() {
        Tensor x = x();
        same(x.sort(1, false).values(), x.sort(1).values());
        same(x.sort(1, false).indices(), x.sort(1).indices());
        same(x.topk(2, 1, true, true).values(), x.topk(2, 1).values());
        same(x.topk(2, 1, true, true).indices(), x.topk(2, 1).indices());
        same(x.topk(2, 0, false, true).values(), x.topk(2, 0, false).values());
        same(x.prod(1, false), x.prod(1));
        assertArrayEquals(new double[]{30, 0, 252}, x.prod(1).toDoubleArray());
        same(x.argsort(-1, false), x.argsort());
        same(x.argsort(0, false), x.argsort(0));
    }

    @Test void reductionShortFormsUsePyTorchsDefaults() {
        Tensor x = x();
        same(x.var(1, true, false), x.var(1));
        same(x.var(0, false, false), x.var(0, false));
        same(x.std(1, true, false), x.std(1));
        same(x.std(new int[]{0, 1}, true, false), x.std(new int[]{0, 1}));
        same(x.var(new int[]{0, 1}, true, false), x.var(new int[]{0, 1}));
        same(x.logsumexp(1, false), x.logsumexp(1));
        same(x.amax(new int[]{1}, false), x.amax(1));
        same(x.amin(new int[]{0}, true), x.amin(0, true));
        same(x.max(), x.amax());
        same(x.min(), x.amin());
        same(x.sum(new int[]{0, 1}, false), x.sum(new int[]{0, 1}));
        same(x.mean(new int[]{0}, false), x.mean(new int[]{0}));
        assertEquals(3, x.split(1).size());
        assertEquals(2, x.chunk(2).size());
        assertEquals(3, x.unbind().size());
        same(x.clampMin(2), x.clamp(2));
        Tensor a = Tensor.ones(3, 4), b = Tensor.full(new int[]{3, 4}, 2);
        same(x.addcmul(a, b, 1), x.addcmul(a, b));
        same(x.addcdiv(a, b, 1), x.addcdiv(a, b));
        same(Tensor.arange(0.5, 4.0, 1), Tensor.arange(0.5, 4.0));
        same(Tensor.of(2L, 0L, 1L).oneHot(-1), Tensor.of(2L, 0L, 1L).oneHot());
    }

    @Test void functionalShortFormsUsePyTorchsDefaults() {
        Kindling.manualSeed(0);
        Tensor img = Tensor.randn(2, 3, 6, 6), w = Tensor.randn(4, 3, 3, 3);
        same(F.conv2d(img, w, null, 1, 0), F.conv2d(img, w));
        same(F.conv2d(img, w, null, 2, 0), F.conv2d(img, w, null, 2));
        same(F.maxPool2d(img, 2, 1, 0), F.maxPool2d(img, 2, 1));
        same(F.avgPool2d(img, 3, 2, 0), F.avgPool2d(img, 3, 2));
        same(F.layerNorm(img, new int[]{6, 6}, null, null, 1e-5), F.layerNorm(img, new int[]{6, 6}));
        same(F.groupNorm(img, 3, null, null, 1e-5), F.groupNorm(img, 3));
        same(F.normalize(img, 1, 1, 1e-12), F.normalize(img, 1));
        same(F.softplus(img, 2, 20), F.softplus(img, 2));
        Tensor logits = Tensor.randn(5, 3), labels = Tensor.of(0L, 2L, 1L, 1L, 0L), cw = Tensor.of(1f, 2f, 0.5f);
        same(F.crossEntropy(logits, labels, null, -100, Reduction.SUM, 0), F.crossEntropy(logits, labels, Reduction.SUM));
        same(F.crossEntropy(logits, labels, cw, -100, Reduction.MEAN, 0), F.crossEntropy(logits, labels, cw));
        Tensor logp = logits.logSoftmax(1);
        same(F.nllLoss(logp, labels, null, -100, Reduction.NONE), F.nllLoss(logp, labels, Reduction.NONE));
        Tensor p = logits.sigmoid(), t = Tensor.rand(5, 3);
        same(F.binaryCrossEntropy(p, t, null, Reduction.SUM), F.binaryCrossEntropy(p, t, Reduction.SUM));
        same(F.binaryCrossEntropyWithLogits(logits, t, null, null, Reduction.NONE), F.binaryCrossEntropyWithLogits(logits, t, Reduction.NONE));
        same(F.klDiv(logp, logits.softmax(1), Reduction.SUM, false), F.klDiv(logp, logits.softmax(1), Reduction.SUM));
    }
}
