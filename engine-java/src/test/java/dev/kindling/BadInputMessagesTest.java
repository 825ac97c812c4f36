package dev.kindling;

import dev.kindling.data.BatchSampler;
import dev.kindling.data.DataLoader;
import dev.kindling.data.Datasets;
import dev.kindling.data.RandomSampler;
import dev.kindling.data.SequentialSampler;
import dev.kindling.data.Subset;
import dev.kindling.data.TensorDataset;
import dev.kindling.data.WeightedRandomSampler;
import dev.kindling.nn.AdaptiveAvgPool2d;
import dev.kindling.nn.AvgPool2d;
import dev.kindling.nn.BatchNorm1d;
import dev.kindling.nn.Bilinear;
import dev.kindling.nn.Conv1d;
import dev.kindling.nn.Conv2d;
import dev.kindling.nn.ConvTranspose2d;
import dev.kindling.nn.Dropout;
import dev.kindling.nn.Embedding;
import dev.kindling.nn.F;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.GroupNorm;
import dev.kindling.nn.LayerNorm;
import dev.kindling.nn.Linear;
import dev.kindling.nn.MaxPool2d;
import dev.kindling.nn.Softmax;
import dev.kindling.nn.Unflatten;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 14, item 6: every public entry point turns bad input into an exception of ours, whose message names
 * the op and the bad value. No raw JVM exception escapes: no ArithmeticException ("/ by zero", "integer
 * overflow"), no NegativeArraySizeException, no bare JDK index message ("Index 5 out of bounds for length 3"),
 * no NullPointerException for a null argument.
 *
 * <p>Each row is {@code (op, fragment, body)}: {@code body} must throw IllegalArgumentException,
 * IndexOutOfBoundsException or IllegalStateException whose message contains {@code op} and {@code fragment}.
 */
class BadInputMessagesTest {
    private static final Pattern JDK_INDEX = Pattern.compile("(Index|index) -?\\d+ out of bounds for length -?\\d+");
    private static final Pattern JDK_RANGE = Pattern.compile("^(begin|fromIndex|toIndex|Range) .*(out of bounds|length)");

    private final List<String> problems = new ArrayList<>();

    private void bad(String op, String fragment, Executable body) {
        Throwable t;
        try {
            body.execute();
            problems.add(op + " [" + fragment + "]: no exception");
            return;
        } catch (Throwable e) {
            t = e;
        }
        String msg = String.valueOf(t.getMessage());
        String where = op + " [" + fragment + "]: " + t.getClass().getSimpleName() + ": " + msg;
        boolean ours = t instanceof IllegalArgumentException || t instanceof IndexOutOfBoundsException
                || t instanceof IllegalStateException;
        if (!ours || t instanceof ArrayIndexOutOfBoundsException || t instanceof StringIndexOutOfBoundsException
                || t instanceof NumberFormatException) {
            problems.add(where + " (not one of our exception types)");
        } else if (msg.contains("/ by zero") || msg.contains("integer overflow") || msg.contains("long overflow")
                || JDK_INDEX.matcher(msg).find() || JDK_RANGE.matcher(msg).find()) {
            problems.add(where + " (a raw JDK message)");
        } else if (!msg.contains(op) || !msg.contains(fragment)) {
            problems.add(where + " (message lacks \"" + op + "\" or \"" + fragment + "\")");
        }
    }

    private void check() {
        if (!problems.isEmpty()) fail(problems.size() + " bad messages:\n  " + String.join("\n  ", problems));
    }

    // ------------------------------------------------------------------ oneHot (PyTorch raises on an empty tensor)

    @Test
    void oneHotOfAnEmptyTensorCannotInferTheClassCount() {
        Tensor empty = Tensor.zeros(new int[]{0}, DType.INT64);
        bad("one_hot", "infer", () -> empty.oneHot(-1));
        bad("one_hot", "infer", () -> F.oneHot(empty));
        bad("one_hot", "infer", () -> F.oneHot(Tensor.zeros(new int[]{2, 0}, DType.INT64)));
        bad("one_hot", "infer", () -> empty.oneHot(0));
        bad("one_hot", "-2", () -> Tensor.of(1L, 2L).oneHot(-2));
        bad("one_hot", "-1", () -> Tensor.of(1L, -1L).oneHot(3));
        bad("one_hot", "3", () -> Tensor.of(1L, 3L).oneHot(3));
        bad("one_hot", "1099511627776", () -> Tensor.of(1L << 40).oneHot(-1));
        check();
        // an explicit class count still works on an empty tensor, as in PyTorch
        assertArrayEquals(new int[]{0, 4}, empty.oneHot(4).shape());
        assertArrayEquals(new int[]{2, 3}, Tensor.of(0L, 2L).oneHot(-1).shape());
    }

    // ------------------------------------------------------------------ Tensor and factories

    @Test
    void factories() {
        bad("zeros", "-1", () -> Tensor.zeros(2, -1));
        bad("ones", "-3", () -> Tensor.ones(-3));
        bad("empty", "-1", () -> Tensor.empty(-1));
        bad("full", "-2", () -> Tensor.full(new int[]{-2}, 1.0));
        bad("rand", "-1", () -> Tensor.rand(-1));
        bad("randn", "-1", () -> Tensor.randn(3, -1));
        bad("randint", "-1", () -> Tensor.randint(0, 3, -1));
        bad("randint", "low", () -> Tensor.randint(3, 3, 2));
        bad("randperm", "-1", () -> Tensor.randperm(-1));
        bad("eye", "-1", () -> Tensor.eye(-1));
        bad("eye", "46341", () -> Tensor.eye(46341));
        bad("arange", "step", () -> Tensor.arange(0, 5, 0));
        bad("arange", "step", () -> Tensor.arange(0.0, 1.0, 0.0));
        bad("linspace", "-1", () -> Tensor.linspace(0, 1, -1));
        bad("fromArray", "[2, 2]", () -> Tensor.fromArray(new float[3], 2, 2));
        bad("fromArray", "-1", () -> Tensor.fromArray(new float[3], -1, -1));
        bad("fromArray", "null", () -> Tensor.fromArray(new float[3], (int[]) null));
        bad("zeros", "null", () -> Tensor.zeros((int[]) null));
        bad("Tensor.of", "length", () -> Tensor.of(new float[][]{{1, 2}, {3}}));
        bad("Tensor.of", "null", () -> Tensor.of(new float[][]{{1, 2}, null}));
        bad("Tensor.of", "null", () -> Tensor.of((float[][]) null));
        bad("fromByteBuffer", "bytes", () -> Tensor.fromByteBuffer(java.nio.ByteBuffer.allocate(4), DType.FLOAT32, 2));
        bad("fromByteBuffer", "-1", () -> Tensor.fromByteBuffer(java.nio.ByteBuffer.allocate(4), DType.FLOAT32, -1));
        bad("bernoulli_", "2.0", () -> Tensor.zeros(3).bernoulli_(2.0));
        bad("uniform_", "from", () -> Tensor.zeros(3).uniform_(1, 0));
        bad("normal_", "-1", () -> Tensor.zeros(3).normal_(0, -1));
        check();
    }

    @Test
    void shapeAndViewOps() {
        Tensor x = Tensor.zeros(2, 3);
        bad("view", "[4, 4]", () -> x.view(4, 4));
        bad("view", "-2", () -> x.view(-2, 3));
        bad("reshape", "[7]", () -> x.reshape(7));
        bad("reshape", "inferred", () -> x.reshape(-1, -1));
        bad("select", "5", () -> x.select(0, 5));
        bad("select", "-3", () -> x.select(0, -3));
        bad("select", "dimension", () -> x.select(2, 0));
        bad("narrow", "5", () -> x.narrow(1, 0, 5));
        bad("narrow", "2147483647", () -> x.narrow(1, 1, Integer.MAX_VALUE));
        bad("slice", "step", () -> x.slice(0, 0, 2, 0));
        bad("slice", "dimension", () -> x.slice(3, 0, 1));
        bad("transpose", "dimension", () -> x.transpose(0, 2));
        bad("permute", "[0]", () -> x.permute(0));
        bad("permute", "repeated", () -> x.permute(0, 0));
        bad("expand", "[3, 3]", () -> x.expand(3, 3));
        bad("expand", "-5", () -> x.expand(-5, 3));
        bad("squeeze", "dimension", () -> x.squeeze(4));
        bad("unsqueeze", "dimension", () -> x.unsqueeze(4));
        bad("flatten", "dimension", () -> x.flatten(0, 5));
        bad("flatten", "start_dim", () -> x.flatten(1, 0));
        bad("unflatten", "[4]", () -> x.unflatten(1, 4));
        bad("repeat", "smaller", () -> x.repeat(2));
        bad("repeat", "negative", () -> x.repeat(2, -1));
        bad("split", "0", () -> x.split(0, 0));
        bad("split", "[1, 1]", () -> x.split(new int[]{1, 1}, 1));
        bad("chunk", "0", () -> x.chunk(0, 0));
        bad("unbind", "dimension", () -> x.unbind(2));
        bad("cat", "empty", () -> Tensor.cat(List.of()));
        bad("cat", "sizes", () -> Tensor.cat(List.of(x, Tensor.zeros(2, 4)), 0));
        bad("cat", "dimension", () -> Tensor.cat(List.of(x, x), 2));
        bad("stack", "size", () -> Tensor.stack(List.of(x, Tensor.zeros(3, 2))));
        bad("stack", "empty", () -> Tensor.stack(List.of()));
        bad("flip", "dimension", () -> x.flip(2));
        check();
    }

    @Test
    void indexingOps() {
        Tensor x = Tensor.arange(0, 6).to(DType.FLOAT32).reshape(2, 3);
        bad("index_select", "5", () -> x.indexSelect(1, Tensor.of(0L, 5L)));
        bad("index_select", "-4", () -> x.indexSelect(1, Tensor.of(-4L)));
        bad("index_select", "INT64", () -> x.indexSelect(1, Tensor.of(0f)));
        bad("gather", "3", () -> x.gather(1, Tensor.of(new long[][]{{0, 3}})));
        bad("gather", "dimensions", () -> x.gather(1, Tensor.of(0L)));
        bad("scatter", "7", () -> x.scatter(1, Tensor.of(new long[][]{{7}}), 1.0));
        bad("scatter_add", "9", () -> x.scatterAdd(1, Tensor.of(new long[][]{{9}}), Tensor.ones(1, 1)));
        bad("index_add", "4", () -> x.indexAdd(0, Tensor.of(4L), Tensor.ones(1, 3)));
        bad("masked_fill", "BOOL", () -> x.maskedFill(Tensor.ones(2, 3), 0));
        bad("masked_select", "BOOL", () -> x.maskedSelect(Tensor.ones(2, 3)));
        bad("topk", "4", () -> x.topk(4, 1, true, true));
        bad("topk", "-1", () -> x.topk(-1, 1, true, true));
        bad("sort", "dimension", () -> x.sort(3, false));
        bad("where", "BOOL", () -> Tensor.where(Tensor.ones(2, 3), x, x));
        check();
    }

    @Test
    void reductionsAndMath() {
        Tensor x = Tensor.zeros(2, 3);
        bad("sum", "dimension", () -> x.sum(5, false));
        bad("mean", "dimension", () -> x.mean(-3, false));
        bad("argmax", "dimension", () -> x.argmax(2, false));
        bad("softmax", "dimension", () -> x.softmax(2));
        bad("log_softmax", "dimension", () -> x.logSoftmax(2));
        bad("argmin", "zero-size", () -> Tensor.zeros(0).argmin());
        bad("matmul", "[2, 3]", () -> x.matmul(x));
        bad("add", "[2, 3]", () -> x.add(Tensor.zeros(4)));
        bad("mul", "[2, 3]", () -> x.mul(Tensor.zeros(2, 2)));
        bad("item", "6 elements", () -> x.item());
        bad("size", "dimension", () -> x.size(2));
        bad("prod", "dimension", () -> x.prod(2, false));
        bad("amax", "dimension", () -> x.amax(new int[]{2}, false));
        bad("var", "dimension", () -> x.var(2, true, false));
        bad("std", "dimension", () -> x.std(-3, true, false));
        bad("logsumexp", "dimension", () -> x.logsumexp(2, false));
        bad("all", "dimension", () -> x.all(2));
        bad("any", "dimension", () -> x.any(2));
        bad("max", "zero-size", () -> Tensor.zeros(0, 3).max(0));
        bad("sort", "dimension", () -> x.argsort(2, false)); // argsort is sort's indices, and says so
        bad("scatter", "5", () -> Tensor.zeros(2, 3).scatter_(1, Tensor.of(new long[][]{{5}}), Tensor.ones(1, 1)));
        bad("pow", "negative", () -> Tensor.of(2L).pow(-1));
        check();
    }

    @Test
    void nullArgumentsAreNamed() {
        Tensor x = Tensor.zeros(2, 3);
        bad("add", "null", () -> x.add((Tensor) null));
        bad("mul", "null", () -> x.mul((Tensor) null));
        bad("matmul", "null", () -> x.matmul(null));
        bad("cat", "null", () -> Tensor.cat(null));
        bad("cat", "null", () -> Tensor.cat(java.util.Arrays.asList(x, null)));
        bad("stack", "null", () -> Tensor.stack(java.util.Arrays.asList(x, null)));
        bad("view", "null", () -> x.view((int[]) null));
        bad("reshape", "null", () -> x.reshape((int[]) null));
        bad("expand", "null", () -> x.expand((int[]) null));
        bad("permute", "null", () -> x.permute((int[]) null));
        bad("to", "null", () -> x.to((DType) null));
        bad("copy_", "null", () -> x.copy_(null));
        bad("index_select", "null", () -> x.indexSelect(0, null));
        bad("linear", "null", () -> F.linear(null, Tensor.zeros(3, 3)));
        bad("mse_loss", "null", () -> F.mseLoss(x, null));
        check();
    }

    // ------------------------------------------------------------------ nn

    @Test
    void moduleConstructors() {
        bad("Linear", "-1", () -> new Linear(-1, 3));
        bad("Linear", "-3", () -> new Linear(2, -3));
        bad("Bilinear", "-1", () -> new Bilinear(-1, 2, 3));
        bad("Embedding", "-5", () -> new Embedding(-5, 3));
        bad("Embedding", "0", () -> new Embedding(4, 0));
        bad("Embedding", "7", () -> new Embedding(4, 3, 7));
        bad("Conv2d", "kernel_size", () -> new Conv2d(1, 1, 0));
        bad("Conv2d", "stride", () -> new Conv2d(1, 1, 3, 0, 0));
        bad("Conv2d", "padding", () -> new Conv2d(1, 1, 3, 1, -1));
        bad("Conv2d", "-1", () -> new Conv2d(-1, 1, 3));
        bad("Conv1d", "kernel_size", () -> new Conv1d(1, 1, 0));
        bad("Conv1d", "groups", () -> new Conv1d(3, 2, 3, 1, 0, 1, 2, true));
        bad("ConvTranspose2d", "kernel_size", () -> new ConvTranspose2d(1, 1, 0));
        bad("AvgPool2d", "padding", () -> new AvgPool2d(2, 2, 5));
        bad("AdaptiveAvgPool2d", "0", () -> new AdaptiveAvgPool2d(0));
        bad("BatchNorm1d", "0", () -> new BatchNorm1d(0));
        bad("LayerNorm", "-1", () -> new LayerNorm(-1));
        bad("GroupNorm", "divisible", () -> new GroupNorm(3, 4));
        bad("GroupNorm", "0", () -> new GroupNorm(0, 4));
        bad("Dropout", "1.5", () -> new Dropout(1.5));
        bad("Dropout", "-0.1", () -> new Dropout(-0.1));
        check();
    }

    @Test
    void moduleForwardsAndFunctional() {
        Embedding emb = new Embedding(4, 3);
        bad("embedding", "7", () -> emb.forward(Tensor.of(1L, 7L)));
        bad("embedding", "-5", () -> emb.forward(Tensor.of(-5L)));
        bad("embedding", "INT64", () -> emb.forward(Tensor.of(1f)));
        bad("embedding", "padding_idx", () -> F.embedding(Tensor.of(1L), Tensor.zeros(4, 3), 9));
        Linear lin = new Linear(3, 2);
        bad("Linear", "[2, 4]", () -> lin.forward(Tensor.zeros(2, 4)));
        bad("Softmax", "3", () -> new Softmax(3).forward(Tensor.zeros(2, 3)));
        bad("flatten", "dimension", () -> new Flatten(3, -1).forward(Tensor.zeros(2, 3)));
        bad("unflatten", "-2", () -> new Unflatten(1, -2, 3).forward(Tensor.zeros(2, 6)));
        bad("max_pool2d", "0", () -> new MaxPool2d(0).forward(Tensor.zeros(1, 1, 4, 4)));
        bad("max_pool2d", "-1", () -> new MaxPool2d(2, -1).forward(Tensor.zeros(1, 1, 4, 4)));
        bad("avg_pool2d", "0", () -> new AvgPool2d(0).forward(Tensor.zeros(1, 1, 4, 4)));
        bad("adaptive_avg_pool2d", "4-D", () -> new AdaptiveAvgPool2d(2).forward(Tensor.zeros(4)));
        bad("LayerNorm", "[3]", () -> new LayerNorm(3).forward(Tensor.zeros(2, 4)));
        bad("GroupNorm", "4", () -> new GroupNorm(2, 4).forward(Tensor.zeros(2, 3)));
        bad("dropout", "1.5", () -> F.dropout(Tensor.zeros(3), 1.5));
        bad("normalize", "dimension", () -> F.normalize(Tensor.zeros(3), 2, 1, 1e-12));
        bad("pad", "even", () -> F.pad(Tensor.zeros(1, 3), 1, 2, 3));
        bad("pad", "null", () -> F.pad(Tensor.zeros(1, 3), (int[]) null));
        // cross_entropy reports its target check as nll_loss, the op it runs (PyTorch's message names no op at all)
        bad("nll_loss", "5", () -> F.crossEntropy(Tensor.zeros(2, 3), Tensor.of(0L, 5L)));
        bad("bilinear", "null", () -> F.bilinear(Tensor.zeros(2), null, Tensor.zeros(1, 2, 2), null));
        bad("embedding", "null", () -> F.embedding(null, Tensor.zeros(4, 3)));
        bad("conv2d", "null", () -> F.conv2d(null, Tensor.zeros(1, 1, 3, 3), null));
        bad("max_pool2d", "null", () -> F.maxPool2d(null, 2));
        bad("one_hot", "null", () -> F.oneHot(null));
        bad("nll_loss", "-3", () -> F.nllLoss(Tensor.zeros(2, 3), Tensor.of(0L, -3L)));
        bad("mse_loss", "[3]", () -> F.mseLoss(Tensor.zeros(3), Tensor.zeros(4)));
        check();
    }

    // ------------------------------------------------------------------ data

    @Test
    void dataLoadingArguments() {
        TensorDataset ds = new TensorDataset(Tensor.zeros(5, 2), Tensor.zeros(5));
        bad("batchSize", "0", () -> DataLoader.builder(ds).batchSize(0));
        bad("batchSize", "-2", () -> DataLoader.builder(ds).batchSize(-2));
        bad("numWorkers", "-1", () -> DataLoader.builder(ds).numWorkers(-1));
        bad("prefetchFactor", "0", () -> DataLoader.builder(ds).prefetchFactor(0));
        bad("BatchSampler", "0", () -> new BatchSampler(new SequentialSampler(5), 0, false));
        bad("SequentialSampler", "-1", () -> new SequentialSampler(-1));
        bad("RandomSampler", "-1", () -> new RandomSampler(-1, new Generator().manualSeed(0)));
        bad("WeightedRandomSampler", "-1", () -> new WeightedRandomSampler(new double[]{1, -1}, 2, true, new Generator().manualSeed(0)));
        bad("WeightedRandomSampler", "-1", () -> new WeightedRandomSampler(new double[]{1, 2}, -1, true, new Generator().manualSeed(0)));
        bad("WeightedRandomSampler", "null", () -> new WeightedRandomSampler(null, 2, true, new Generator().manualSeed(0)));
        bad("Subset", "9", () -> new Subset(ds, new int[]{0, 9}).get(1));
        bad("randomSplit", "[2, 2]", () -> Datasets.randomSplit(ds, new int[]{2, 2}, 0));
        bad("randomSplit", "-1", () -> Datasets.randomSplit(ds, new int[]{6, -1}, 0));
        bad("randomSplit", "[2147483647, 2147483647]", () -> Datasets.randomSplit(ds, new int[]{Integer.MAX_VALUE, Integer.MAX_VALUE}, 0));
        bad("randomSplit", "1.5", () -> Datasets.randomSplit(ds, new double[]{1.5, -0.5}, 0));
        bad("randomSplit", "null", () -> Datasets.randomSplit(ds, (int[]) null, 0));
        bad("randomSplit", "null", () -> Datasets.randomSplit(null, new int[]{1}, 0));
        bad("DataLoader", "null", () -> DataLoader.builder((TensorDataset) null));
        bad("TensorDataset", "size", () -> new TensorDataset(Tensor.zeros(5), Tensor.zeros(4)));
        bad("TensorDataset", "5", () -> ds.get(5));
        bad("TensorDataset", "-1", () -> ds.get(-1));
        check();
    }
}
