package dev.kindling.nn;

import dev.kindling.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/** The seed tutorials' models written the Java way (field names kept as in the tutorials so keys match). */
final class SeedModels {
    private SeedModels() {}

    static final class LogisticRegressionModel extends Module {
        final Linear linear = new Linear(1, 1);

        @Override public Tensor forward(Tensor x) { return F.sigmoid(linear.forward(x)); }
    }

    /** The 8-6-4-1 sigmoid network of the diabetes tutorial. */
    static final class Model extends Module {
        final Linear linear1 = new Linear(8, 6), linear2 = new Linear(6, 4), linear3 = new Linear(4, 1);
        final Sigmoid sigmoid = new Sigmoid();

        @Override public Tensor forward(Tensor x) {
            x = sigmoid.forward(linear1.forward(x));
            x = sigmoid.forward(linear2.forward(x));
            return sigmoid.forward(linear3.forward(x));
        }
    }

    static final class MNISTNet extends Module {
        final Linear fc1 = new Linear(28 * 28, 512), fc2 = new Linear(512, 256), fc3 = new Linear(256, 10);

        @Override public Tensor forward(Tensor x) {
            x = x.view(-1, 28 * 28);
            x = F.relu(fc1.forward(x));
            x = F.relu(fc2.forward(x));
            return F.logSoftmax(fc3.forward(x), 1);
        }
    }

    static final class NeuralNetwork extends Module {
        final Flatten flatten = new Flatten();
        final Sequential linear_relu_stack = new Sequential(new Linear(28 * 28, 512), new ReLU(), new Linear(512, 512), new ReLU(), new Linear(512, 10));

        @Override public Tensor forward(Tensor x) { return linear_relu_stack.forward(flatten.forward(x)); }
    }

    static final class CNN extends Module {
        final Conv2d conv1 = new Conv2d(1, 32, 3, 1, 1), conv2 = new Conv2d(32, 64, 3, 1, 1), conv3 = new Conv2d(64, 128, 3, 1, 1);
        final Linear fc1 = new Linear(128 * 8 * 8, 10);

        @Override public Tensor forward(Tensor x) {
            x = F.maxPool2d(F.relu(conv1.forward(x)), 2);
            x = F.maxPool2d(F.relu(conv2.forward(x)), 2);
            x = F.maxPool2d(F.relu(conv3.forward(x)), 2);
            return F.relu(fc1.forward(x.view(x.size(0), -1)));
        }
    }

    static final class Classifier extends Module {
        final Sequential net = new Sequential(new Linear(20, 64), new BatchNorm1d(64), new ReLU(), new Dropout(0.3),
                new Linear(64, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.3), new Linear(32, 3));

        @Override public Tensor forward(Tensor x) { return net.forward(x); }
    }

    /** Not a seed: every other layer once, to compare reprs and state-dict keys with PyTorch. */
    static final class Blocks extends Module {
        final ModuleList blocks = new ModuleList(new Linear(4, 4), new LayerNorm(4));
        final ModuleDict heads;
        final Embedding emb = new Embedding(10, 4, 0);
        final GroupNorm gn = new GroupNorm(2, 4);
        final ConvTranspose2d up = new ConvTranspose2d(4, 2, 2, 2, 0);
        final Conv1d c1 = new Conv1d(4, 4, 3, 1, 0, 1, 2, false);
        final AdaptiveAvgPool2d pool = new AdaptiveAvgPool2d(1);
        final MaxPool2d mp = new MaxPool2d(3, 2, 1);
        final AvgPool2d ap = new AvgPool2d(2);
        final Sequential acts = new Sequential(new LeakyReLU(0.2), new ELU(), new GELU(), new GELU("tanh"), new SiLU(), new Tanh(),
                new Softplus(), new Softmax(1), new LogSoftmax(-1), new Identity(), new Dropout2d(0.1), new Unflatten(1, 2, 2),
                new BatchNorm2d(2), new Bilinear(3, 4, 5), Conv2d.builder(2, 4, 3).padding("same").dilation(2).build());

        Blocks() {
            Map<String, Module> h = new LinkedHashMap<>();
            h.put("cls", new Linear(4, 2));
            h.put("reg", new Linear(4, 1));
            heads = new ModuleDict(h);
        }

        @Override public Tensor forward(Tensor x) { return heads.get("cls").forward(blocks.get(1).forward(blocks.get(0).forward(x))); }
    }

    static final class SequentialSimple {
        static Sequential make() { return new Sequential(new Linear(10, 5), new ReLU(), new Linear(5, 2), new LogSoftmax(1)); }
    }

    static Module make(String name) {
        return switch (name) {
            case "logistic" -> new LogisticRegressionModel();
            case "diabetes" -> new Model();
            case "mnistnet" -> new MNISTNet();
            case "neuralnetwork" -> new NeuralNetwork();
            case "cnn" -> new CNN();
            case "classifier" -> new Classifier();
            case "blocks" -> new Blocks();
            case "sequential_simple" -> SequentialSimple.make();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
