package dev.kindling.samples.notebook;

import java.util.List;

/** The samples, one per chapter of the seed tutorials, each in Java and Kotlin. */
public final class Chapters {
    private Chapters() {}

    /**
     * One sample.
     *
     * @param dir        its folder under {@code samples/} (README.md, README.template.md, pictures)
     * @param pkg        its package under {@code dev.kindling.samples}
     * @param javaClass  simple name of the Java main class
     * @param kotlinFile simple name of the Kotlin file (its main class has the same name)
     * @param quick      whether a full run takes seconds, so that tests compare the README with a fresh full run
     */
    public record Chapter(String dir, String pkg, String javaClass, String kotlinFile, boolean quick) {
        /** Fully qualified Java main class. */
        public String javaMain() { return "dev.kindling.samples." + pkg + "." + javaClass; }

        /** Fully qualified Kotlin main class ({@code @file:JvmName}). */
        public String kotlinMain() { return "dev.kindling.samples." + pkg + "." + kotlinFile; }

        /** Java source, relative to {@code samples/}. */
        public String javaSource() { return "src/main/java/dev/kindling/samples/" + pkg + "/" + javaClass + ".java"; }

        /** Kotlin source, relative to {@code samples/}. */
        public String kotlinSource() { return "src/main/kotlin/dev/kindling/samples/" + pkg + "/" + kotlinFile + ".kt"; }
    }

    /** Every sample in chapter order. */
    public static final List<Chapter> ALL = List.of(
            new Chapter("ch01-tensors", "ch01_tensors", "TensorsJava", "Tensors", true),
            new Chapter("ch02-autograd", "ch02_autograd", "AutogradJava", "Autograd", true),
            new Chapter("ch03-linear-regression", "ch03_linear_regression", "LinearRegressionJava", "LinearRegression", true),
            new Chapter("ch04-logistic-regression", "ch04_logistic_regression", "LogisticRegressionJava", "LogisticRegression", true),
            new Chapter("ch05-dataset-dataloader", "ch05_dataset_dataloader", "DatasetDataLoaderJava", "DatasetDataLoader", true),
            new Chapter("ch06-training-basics", "ch06_training_basics", "TrainingBasicsJava", "TrainingBasics", true),
            new Chapter("ch07-fashion-mnist", "ch07_fashion_mnist", "FashionMnistJava", "FashionMnist", false),
            new Chapter("ch08-mnist-cnn", "ch08_mnist_cnn", "MnistCnnJava", "MnistCnn", false),
            new Chapter("ch09-workflow", "ch09_workflow", "WorkflowJava", "Workflow", false));
}
