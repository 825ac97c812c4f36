package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.data.Batch
import dev.kindling.data.DataLoader
import dev.kindling.data.TensorDataset
import dev.kindling.nn.CrossEntropyLoss
import dev.kindling.nn.MSELoss
import dev.kindling.optim.lr.ReduceLROnPlateau
import dev.kindling.optim.lr.StepLR
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Paths

class FitSpec : StringSpec({
    beforeTest { Kindling.manualSeed(42) }
    val data by lazy { BreastCancer.split() }
    fun net() = sequential { linear(30, 16); relu(); dropout(0.1); linear(16, 2) }

    "fit on breast_cancer.csv reaches >= 95% test accuracy, logs history and plots it" {
        val model = net()
        val opt = adam(model.parameters(), lr = 1e-2, weightDecay = 1e-4)
        val out = ByteArrayOutputStream()
        val history = model.fit(
            data.trainLoader(), epochs = 20, optimizer = opt, loss = CrossEntropyLoss(),
            validation = data.testLoader(),
            metrics = listOf(Metrics.accuracy(), Metrics.f1(2)),
            callbacks = listOf(Callbacks.progress(PrintStream(out, true), terminal = false)),
        )
        val progress = out.toString()
        println(progress)
        println(history)
        progress.lines().filter { it.isNotBlank() }.size shouldBe 20
        progress shouldContain "Epoch 20/20 | 15/15 batches"
        progress shouldContain "val_accuracy"
        history.epochs shouldBe 20
        history["loss"].last() shouldBe history.last("loss")
        (history["loss"].last() < history["loss"].first()) shouldBe true
        val acc = evaluate(model, data.testLoader(), metrics = listOf(Metrics.accuracy()))["accuracy"]!!
        println("breast_cancer test accuracy: $acc")
        (acc >= 0.95) shouldBe true
        history["val_accuracy"].last() shouldBe (acc plusOrMinus 1e-12)
        val png = Paths.get("target/fit-breast-cancer-history.png")
        history.plot(png)
        Files.size(png) shouldBe Files.size(png).coerceAtLeast(5000)
        model.isTraining shouldBe true
    }

    "in a terminal the progress is a live bar with ETA and the running loss" {
        val model = net()
        val out = ByteArrayOutputStream()
        fit(model, data.trainLoader(), 2, adam(model.parameters()), CrossEntropyLoss(), metrics = listOf(Metrics.accuracy()),
            callbacks = listOf(Callbacks.progress(PrintStream(out, true), terminal = true)))
        val text = out.toString()
        println(text)
        text shouldContain "Epoch 1/2"
        text shouldContain "15/15"
        text shouldContain "loss "
        text shouldContain "accuracy "
        text shouldContain "Epoch 2/2 | 15/15 batches"
    }

    "predict concatenates batches and matches evaluate's accuracy" {
        val model = net()
        fit(model, data.trainLoader(), 3, adam(model.parameters(), lr = 1e-2), CrossEntropyLoss(), progress = false)
        val logits = predict(model, data.testLoader())
        logits.sizes shouldBe listOf(114, 2)
        val acc = logits.argmax(1).eq(data.yTest).to(DType.FLOAT64).mean().item()
        evaluate(model, data.testLoader(), metrics = listOf(Metrics.accuracy()))["accuracy"]!! shouldBe (acc plusOrMinus 1e-12)
        predict(model, data.xTest).allclose(logits) shouldBe true
    }

    "early stopping stops, says why, and restores the best weights" {
        val model = net()
        val opt = sgd(model.parameters(), lr = 0.0)   // no learning: val_loss never improves after epoch 1
        val before = model.stateDict().mapValues { it.value.clone() }
        val h = fit(model, data.trainLoader(), 30, opt, CrossEntropyLoss(), validation = data.testLoader(),
            callbacks = listOf(Callbacks.earlyStopping(patience = 2, restoreBestWeights = true)), progress = false)
        h.epochs shouldBe 3
        h.stopReason!! shouldContain "val_loss did not improve for 2 epochs; best"
        h.stopReason!! shouldContain "at epoch 1"
        model.stateDict().forEach { (k, v) -> v.allclose(before[k]!!) shouldBe true }
    }

    "early stopping on a metric uses its direction and needs validation for val_ keys" {
        val model = net()
        val h = fit(model, data.trainLoader(), 30, adam(model.parameters(), lr = 1e-2), CrossEntropyLoss(),
            validation = data.testLoader(), metrics = listOf(Metrics.accuracy()),
            callbacks = listOf(Callbacks.earlyStopping(monitor = "val_accuracy", patience = 1, minDelta = 0.5)), progress = false)
        h.epochs shouldBe 2   // nothing can improve accuracy by 0.5 after the first epoch
        shouldThrow<IllegalArgumentException> { Callbacks.earlyStopping(patience = 0) }.message shouldContain "patience must be >= 1"
        shouldThrow<IllegalArgumentException> {
            fit(model, data.trainLoader(), 2, adam(model.parameters()), CrossEntropyLoss(),
                callbacks = listOf(Callbacks.earlyStopping()), progress = false)
        }.message shouldContain "pass validation"
    }

    "keep-best checkpoint writes the best state, readable back" {
        val dir = Files.createTempDirectory("ckpt")
        val model = net()
        val saved = mutableListOf<Int>()
        val file = dir.resolve("best.safetensors")
        var lastSaved: Map<String, dev.kindling.Tensor> = emptyMap()
        val recorder = StateSaver { p, sd -> StateSaver.DEFAULT.save(p, sd); saved.add(sd.size); lastSaved = sd.mapValues { dev.kindling.Scope.escape(it.value.detach().clone()) } }
        val h = fit(model, data.trainLoader(), 4, adam(model.parameters(), lr = 1e-2), CrossEntropyLoss(),
            validation = data.testLoader(), callbacks = listOf(Callbacks.modelCheckpoint(file, saver = recorder)), progress = false)
        val improvements = h["val_loss"].fold(Double.NaN to 0) { (best, n), v -> if (best.isNaN() || v < best) v to n + 1 else best to n }.second
        saved.size shouldBe improvements
        val loaded = dev.kindling.io.Safetensors.load(file)
        loaded.keys shouldBe model.stateDict().keys
        loaded.forEach { (k, v) -> v.equal(lastSaved[k]!!) shouldBe true }
        net().loadStateDict(loaded).missingKeys() shouldBe emptyList()
        loaded["0.weight"]!!.dtype() shouldBe DType.FLOAT32
    }

    "schedulers step per epoch or per batch; ReduceLROnPlateau watches a monitored value" {
        val model = net()
        val opt = sgd(model.parameters(), lr = 0.1)
        val h = fit(model, data.trainLoader(), 3, opt, CrossEntropyLoss(),
            callbacks = listOf(Callbacks.scheduler(StepLR(opt, 1, 0.5))), progress = false)
        h["lr"] shouldBe listOf(0.1, 0.05, 0.025)
        val opt2 = sgd(model.parameters(), lr = 0.1)
        fit(model, data.trainLoader(), 1, opt2, CrossEntropyLoss(),
            callbacks = listOf(Callbacks.scheduler(StepLR(opt2, 5, 0.5), StepInterval.BATCH)), progress = false)
        opt2.paramGroups()[0].lr() shouldBe (0.1 * 0.5 * 0.5 * 0.5 plusOrMinus 1e-12)   // 15 batches = 3 steps of 5
        val opt3 = sgd(model.parameters(), lr = 0.0)
        opt3.paramGroups()[0].lr(0.0)
        val plateau = ReduceLROnPlateau.builder(opt3).patience(0).factor(0.5).build()
        opt3.paramGroups()[0].lr(0.2)
        val h3 = fit(model, data.trainLoader(), 3, sgd(model.parameters(), lr = 0.0), CrossEntropyLoss(),
            validation = data.testLoader(), callbacks = listOf(Callbacks.reduceLrOnPlateau(plateau)), progress = false)
        h3.epochs shouldBe 3
        opt3.paramGroups()[0].lr() shouldBe (0.05 plusOrMinus 1e-12)   // val_loss flat: halved after epochs 2 and 3
    }

    "gradient clipping bounds the global norm before the step" {
        val model = net()
        val norms = mutableListOf<Double>()
        fit(model, data.trainLoader(), 1, sgd(model.parameters(), lr = 0.01), CrossEntropyLoss(),
            callbacks = listOf(Callbacks.gradientClipping(0.05),
                Callbacks.afterBackward { ctx -> norms.add(clipGradNorm(ctx.model.parameters(), 1e9)) }), progress = false)
        norms.size shouldBe 15
        norms.forEach { (it <= 0.05 + 1e-6) shouldBe true }
        val w = tensorOf(3f, 4f).requiresGrad(true)
        (w * w).sum().backward()   // grad (6, 8), norm 10
        clipGradNorm(listOf(w), 5.0) shouldBe (10.0 plusOrMinus 1e-5)
        w.grad().toFloatArray().toList().map { it.toDouble() }.zip(listOf(3.0, 4.0)).forEach { (a, b) -> a shouldBe (b plusOrMinus 1e-4) }
    }

    "CSV logger and user lambdas see every epoch and batch" {
        val csv = Files.createTempDirectory("log").resolve("log.csv")
        var batches = 0
        val epochs = mutableListOf<Int>()
        val model = net()
        fit(model, data.trainLoader(), 2, adam(model.parameters()), CrossEntropyLoss(), metrics = listOf(Metrics.accuracy()),
            callbacks = listOf(Callbacks.csvLogger(csv), Callbacks.onBatchEnd { batches++ },
                Callbacks.onEpochEnd { ctx -> epochs.add(ctx.epoch) }), progress = false)
        batches shouldBe 30
        epochs shouldBe listOf(0, 1)
        val lines = Files.readAllLines(csv)
        lines[0] shouldBe "epoch,loss,accuracy,lr,time_s"
        lines.size shouldBe 3
    }

    "a NaN loss stops with the epoch and batch named" {
        val model = net()
        val nanAt = lossOf("Exploding") { out, y -> CrossEntropyLoss().forward(out, y) * (if (++calls == 7) Double.NaN else 1.0) }
        val e = shouldThrow<TrainingException> {
            fit(model, data.trainLoader(), 3, adam(model.parameters()), nanAt, progress = false)
        }
        e.message shouldContain "loss is NaN at epoch 1, batch 7"
        calls = 0
        val h = fit(model, data.trainLoader(), 3, adam(model.parameters()), nanAt, progress = false, nanPolicy = NanPolicy.STOP)
        h.epochs shouldBe 1
        h.stopReason!! shouldContain "epoch 1, batch 7"
    }

    "an empty loader and a wrong target dtype or shape fail clearly" {
        val model = net()
        val empty = DataLoader.builder(TensorDataset(data.xTrain[0 until 10], data.yTrain[0 until 10])).batchSize(32).dropLast(true).build()
        shouldThrow<IllegalArgumentException> { fit(model, empty, 1, adam(model.parameters()), CrossEntropyLoss(), progress = false) }
            .message shouldContain "produced no batches in epoch 1"
        val floatTargets = listOf(Batch.of(data.xTrain[0 until 8], data.yTrain[0 until 8].to(DType.FLOAT32)))
        shouldThrow<IllegalArgumentException> { fit(model, floatTargets, 1, adam(model.parameters()), CrossEntropyLoss(), progress = false) }
            .message shouldContain "expects class indices of dtype INT64 as target"
        val reg = sequential { linear(30, 1) }
        val intTargets = listOf(Batch.of(data.xTrain[0 until 8], data.yTrain[0 until 8]))
        shouldThrow<IllegalArgumentException> { fit(reg, intTargets, 1, adam(reg.parameters()), MSELoss(), progress = false) }
            .message shouldContain "MSELoss expects a floating-point target"
        val flat = listOf(Batch.of(data.xTrain[0 until 8], data.yTrain[0 until 8].to(DType.FLOAT32)))
        shouldThrow<IllegalArgumentException> { fit(reg, flat, 1, adam(reg.parameters()), MSELoss(), progress = false) }
            .message shouldContain "output [8, 1] and target [8] differ in shape"
        val wrongWidth = sequential { linear(20, 2) }
        val e = shouldThrow<TrainingException> { fit(wrongWidth, data.trainLoader(), 1, adam(wrongWidth.parameters()), CrossEntropyLoss(), progress = false) }
        e.message shouldContain "fit: epoch 1, batch 1: "
        e.message shouldContain "30"
        (e.cause is IllegalArgumentException) shouldBe true
        shouldThrow<IllegalArgumentException> { fit(model, flat, 0, adam(model.parameters()), CrossEntropyLoss()) }
            .message shouldContain "epochs must be >= 1"
    }

    "regression with MSE and MAE metrics on a plain list of batches" {
        val x = randn(64, 3)
        val y = (x matmul tensorOf(floatArrayOf(1f), floatArrayOf(-2f), floatArrayOf(0.5f))) + 0.3
        val batches = (0 until 4).map { Batch.of(x[it * 16 until it * 16 + 16], y[it * 16 until it * 16 + 16]) }
        val model = sequential { linear(3, 1) }
        val h = fit(model, batches, 60, adam(model.parameters(), lr = 5e-2), MSELoss(), validation = batches,
            metrics = listOf(Metrics.mae(), Metrics.mse()), progress = false)
        (h["val_mse"].last() < 1e-3) shouldBe true
        h["val_mse"].last() shouldBe (h["val_loss"].last() plusOrMinus 1e-6)
    }

    "ensemblePredict averages outputs (default) or softmax probabilities" {
        val m1 = module { x -> x * 2 }
        val m2 = module { x -> x * 4 }
        val x = tensorOf(floatArrayOf(1f, 0f), floatArrayOf(0f, 1f))
        ensemblePredict(listOf(m1, m2), x).allclose(x * 3) shouldBe true
        val p = ensemblePredict(listOf(m1, m2), x, EnsembleMode.SOFTMAX_MEAN)
        p.allclose(((x * 2).softmax(1) + (x * 4).softmax(1)) / 2) shouldBe true
        p.sum(1).allclose(ones(2)) shouldBe true
        shouldThrow<IllegalArgumentException> { ensemblePredict(emptyList(), x) }.message shouldContain "no models"
    }
}) {
    companion object { var calls = 0 }
}
