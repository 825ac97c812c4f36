package dev.kindling.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kindling.Kindling;
import dev.kindling.Tensor;
import dev.kindling.data.DataLoader;
import dev.kindling.nn.CrossEntropyLoss;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.optim.lr.ReduceLROnPlateau;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training helpers called from plain Java: the seed's workflow (Adam + weight decay, ReduceLROnPlateau, early stopping, best model). */
class TrainingJavaTest {

    @Test
    void builderRunsTheSeedWorkflowFromJava() throws Exception {
        Kindling.manualSeed(7);
        BreastCancer.Split data = BreastCancer.INSTANCE.split();
        DataLoader train = data.trainLoader(32, 1), test = data.testLoader(64);
        var model = new Sequential(new Linear(30, 16), new ReLU(), new Linear(16, 2));
        var opt = Adam.builder(model.parameters()).lr(1e-2).weightDecay(1e-4).build();
        var plateau = ReduceLROnPlateau.builder(opt).patience(2).factor(0.5).build();
        Path dir = Files.createTempDirectory("java-fit");
        List<Integer> epochsSeen = new ArrayList<>();
        var out = new ByteArrayOutputStream();

        History h = Training.builder(model, train)
                .epochs(15)
                .optimizer(opt)
                .loss(new CrossEntropyLoss())
                .validation(test)
                .metrics(Metrics.accuracy(), Metrics.precision(2), Metrics.recall(2, Average.PER_CLASS))
                .callbacks(Callbacks.progress(new PrintStream(out, true), false),
                        Callbacks.reduceLrOnPlateau(plateau, "val_loss"),
                        Callbacks.earlyStopping("val_loss", 4, 0.0, Mode.AUTO, true),
                        Callbacks.modelCheckpoint(dir.resolve("best.safetensors")),
                        Callbacks.csvLogger(dir.resolve("history.csv")),
                        Callbacks.onEpochEnd(ctx -> epochsSeen.add(ctx.getEpoch())))
                .fit();

        assertEquals(h.getEpochs(), epochsSeen.size());
        assertTrue(h.getKeys().containsAll(List.of("loss", "accuracy", "precision", "recall_0", "recall_1", "val_loss", "val_accuracy", "lr")),
                h.getKeys().toString());
        assertTrue(out.toString().contains("Epoch  1/15 | 15/15 batches"), out.toString());
        assertTrue(Files.exists(dir.resolve("best.safetensors")));
        assertEquals(h.getEpochs() + 1, Files.readAllLines(dir.resolve("history.csv")).size());

        Map<String, Double> result = Training.evaluate(model, test, new CrossEntropyLoss(), List.of(Metrics.accuracy()));
        assertTrue(result.get("accuracy") >= 0.95, result.toString());
        if (h.getStopReason() != null) {
            // early stopping restored the best epoch's weights: evaluation reproduces its val_loss
            int best = h.bestEpoch("val_loss", false);
            assertEquals(h.get("val_loss").get(best), result.get("loss"), 1e-6);
        }

        Tensor logits = Training.predict(model, test);
        assertEquals(List.of(114, 2), List.of(logits.size(0), logits.size(1)));
        Tensor avg = Training.ensemblePredict(List.of(model, model), data.getXTest(), EnsembleMode.SOFTMAX_MEAN);
        assertTrue(avg.allclose(logits.softmax(1)));
    }

    @Test
    void staticFitAndErrorsFromJava() {
        Kindling.manualSeed(3);
        BreastCancer.Split data = BreastCancer.INSTANCE.split();
        var model = Builders.sequential(b -> { b.linear(30, 2, true); return kotlin.Unit.INSTANCE; });
        History h = Training.fit(model, data.trainLoader(32, 0), 2, new Adam(model.parameters(), 1e-2), new CrossEntropyLoss());
        assertEquals(2, h.getEpochs());
        var missing = assertThrows(IllegalStateException.class, () -> Training.builder(model, data.testLoader(64)).epochs(1).fit());
        assertTrue(missing.getMessage().contains("optimizer"));
        Callback custom = new Callback() {
            @Override public void onBatchEnd(TrainContext ctx) {
                if (ctx.getBatch() == 2) ctx.stop("enough");
            }
        };
        History stopped = Training.builder(model, data.trainLoader(32, 0)).epochs(5).progress(false)
                .optimizer(new Adam(model.parameters())).loss(new CrossEntropyLoss()).callbacks(custom).fit();
        assertEquals(1, stopped.getEpochs());
        assertEquals("enough", stopped.getStopReason());
        assertEquals(0.0, Gradients.clipGradNorm(List.of(Tensor.of(1f).requiresGrad(true)), 1.0));   // no gradients yet
    }
}
