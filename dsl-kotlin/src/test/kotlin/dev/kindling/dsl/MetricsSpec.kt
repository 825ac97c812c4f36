package dev.kindling.dsl

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class MetricsSpec : StringSpec({
    // 6 samples, 3 classes; predictions (argmax) = [0, 1, 2, 2, 1, 0], targets = [0, 1, 1, 2, 0, 0]
    val logits = tensorOf(
        floatArrayOf(3f, 1f, 0f), floatArrayOf(0f, 2f, 1f), floatArrayOf(0f, 1f, 2f),
        floatArrayOf(1f, 0f, 3f), floatArrayOf(1f, 2f, 0f), floatArrayOf(2f, 0f, 1f))
    val target = tensorOf(0L, 1L, 1L, 2L, 0L, 0L)

    fun run(m: Metric): Map<String, Double> { m.reset(); m.update(logits, target); return m.values() }

    "accuracy over [N, C] outputs and over binary probabilities" {
        run(Metrics.accuracy())["accuracy"]!! shouldBe (4.0 / 6 plusOrMinus 1e-12)
        val m = Metrics.accuracy()
        m.update(tensorOf(0.9f, 0.2f, 0.6f, 0.4f), tensorOf(1f, 0f, 0f, 0f))
        m.values()["accuracy"] shouldBe 0.75
        Metrics.accuracy(threshold = 0.0).apply { update(tensorOf(-1f, 2f), tensorOf(0L, 1L)) }.values()["accuracy"] shouldBe 1.0
    }

    "accuracy accumulates over batches until reset" {
        val m = Metrics.accuracy()
        m.update(logits[0 until 3], target[0 until 3])   // 2 of 3 right
        m.update(logits[3 until 6], target[3 until 6])   // 2 of 3 right
        m.values()["accuracy"]!! shouldBe (4.0 / 6 plusOrMinus 1e-12)
        m.reset()
        m.values()["accuracy"]!!.isNaN() shouldBe true
    }

    "top-k accuracy" {
        // top-2 sets: {0,1} {1,2} {2,1} {2,0} {1,0} {0,2}: targets 0,1,1,2,0,0 all inside
        run(Metrics.topKAccuracy(2))["top2_accuracy"] shouldBe 1.0
        run(Metrics.topKAccuracy(1))["top1_accuracy"]!! shouldBe (4.0 / 6 plusOrMinus 1e-12)
        shouldThrow<IllegalArgumentException> { run(Metrics.topKAccuracy(4)) }.message shouldContain "C >= 4"
    }

    "confusion matrix, precision, recall, F1 as sklearn computes them" {
        val cm = Metrics.confusionMatrix(3)
        cm.update(logits, target)
        cm.toArray().map { it.toList() } shouldBe listOf(listOf(2L, 1L, 0L), listOf(0L, 1L, 1L), listOf(0L, 0L, 1L))
        // sklearn: precision [1, .5, .5] recall [2/3, .5, 1] f1 [.8, .5, 2/3]
        cm.precision(0) shouldBe 1.0; cm.precision(1) shouldBe 0.5; cm.precision(2) shouldBe 0.5
        cm.recall(0) shouldBe (2.0 / 3 plusOrMinus 1e-12); cm.recall(2) shouldBe 1.0
        cm.f1(0) shouldBe (0.8 plusOrMinus 1e-12); cm.f1(2) shouldBe (2.0 / 3 plusOrMinus 1e-12)
        run(Metrics.precision(3))["precision"]!! shouldBe (2.0 / 3 plusOrMinus 1e-12)
        run(Metrics.recall(3))["recall"]!! shouldBe ((2.0 / 3 + 0.5 + 1) / 3 plusOrMinus 1e-12)
        run(Metrics.f1(3))["f1"]!! shouldBe ((0.8 + 0.5 + 2.0 / 3) / 3 plusOrMinus 1e-12)
        run(Metrics.f1(3, Average.PER_CLASS)).keys shouldBe setOf("f1_0", "f1_1", "f1_2")
        run(Metrics.precision(3, Average.PER_CLASS))["precision_1"] shouldBe 0.5
        cm.toString() shouldContain "true\\pred"
        shouldThrow<IllegalArgumentException> { Metrics.confusionMatrix(2).update(logits, target) }.message shouldContain "outside [0, 2)"
    }

    "MAE and MSE" {
        val out = tensorOf(1f, 2f, 3f)
        val y = tensorOf(1.5f, 2f, 1f)
        Metrics.mae().apply { update(out, y) }.values()["mae"]!! shouldBe (2.5 / 3 plusOrMinus 1e-6)
        Metrics.mse().apply { update(out, y) }.values()["mse"]!! shouldBe (4.25 / 3 plusOrMinus 1e-6)
        shouldThrow<IllegalArgumentException> { Metrics.mse().update(out, tensorOf(1f)) }.message shouldContain "differ in size"
    }

    "mismatched prediction and target counts are reported" {
        shouldThrow<IllegalArgumentException> { Metrics.accuracy().update(logits, tensorOf(0L, 1L)) }
            .message shouldContain "6 predictions but 2 targets"
    }
})
