package dev.kindling.dsl

import dev.kindling.Kindling
import dev.kindling.nn.*
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

class FactoriesSpec : StringSpec({
    beforeTest { Kindling.manualSeed(0) }
    val params = Linear(3, 2).parameters()
    fun opts(o: dev.kindling.optim.Optimizer) = o.paramGroups()[0].options()

    "optimizer factories pass named arguments and keep PyTorch's defaults" {
        opts(adam(params, lr = 1e-2, weightDecay = 1e-4)).let {
            it["lr"] shouldBe 1e-2; it["weight_decay"] shouldBe 1e-4; it["eps"] shouldBe 1e-8; it["amsgrad"] shouldBe false
        }
        opts(adam(params, betas = 0.8 to 0.9))["betas"].toString() shouldBe "[0.8, 0.9]"
        opts(adamW(params))["weight_decay"] shouldBe 1e-2
        opts(sgd(params, lr = 0.1, momentum = 0.9, nesterov = true)).let { it["momentum"] shouldBe 0.9; it["nesterov"] shouldBe true }
        opts(rmsprop(params))["alpha"] shouldBe 0.99
        opts(rmsprop(params))["lr"] shouldBe 1e-2
        opts(adagrad(params, lrDecay = 0.1))["lr_decay"] shouldBe 0.1
    }

    "loss factories and functional losses agree with the engine" {
        val logits = randn(4, 3)
        val y = tensorOf(0L, 2L, 1L, 2L)
        crossEntropyLoss()(logits, y).item() shouldBe F.crossEntropy(logits, y).item()
        crossEntropy(logits, y, labelSmoothing = 0.1).item() shouldBe
            CrossEntropyLoss(null, -100, Reduction.MEAN, 0.1).forward(logits, y).item()
        crossEntropyLoss(reduction = Reduction.NONE)(logits, y).sizes shouldBe listOf(4)
        val logp = logits.logSoftmax(1)
        nllLoss(logp, y).item() shouldBe (crossEntropy(logits, y).item() plusOrMinus 1e-6)
        nllLoss(ignoreIndex = 2)(logp, y).item() shouldBe F.nllLoss(logp, y, null, 2, Reduction.MEAN).item()
        val a = randn(5); val b = randn(5)
        mseLoss(a, b).item() shouldBe mseLoss()(a, b).item()
        mseLoss(a, b).item() shouldBe (((a - b) pow 2).mean().item() plusOrMinus 1e-6)
        l1Loss(a, b).item() shouldBe ((a - b).abs().mean().item() plusOrMinus 1e-6)
        l1Loss(reduction = Reduction.SUM)(a, b).item() shouldBe ((a - b).abs().sum().item() plusOrMinus 1e-5)
        smoothL1Loss(beta = 0.5).shouldBeInstanceOf<SmoothL1Loss>()
        val p = a.sigmoid(); val t = rand(5).gt(0.5).to(dev.kindling.DType.FLOAT32)
        binaryCrossEntropy(p, t).item() shouldBe (bceLoss()(p, t).item() plusOrMinus 1e-6)
        binaryCrossEntropyWithLogits(a, t).item() shouldBe (binaryCrossEntropy(p, t).item() plusOrMinus 1e-5)
        bceWithLogitsLoss()(a, t).item() shouldBe (binaryCrossEntropyWithLogits(a, t).item() plusOrMinus 1e-6)
        klDivLoss(reduction = Reduction.BATCHMEAN).shouldBeInstanceOf<KLDivLoss>()
    }

    "lossOf wraps a lambda as a Loss" {
        val hinge = lossOf("Hinge") { out, y -> (1 - out * y).clampMin(0.0).mean() }
        hinge(tensorOf(2f, -0.5f), tensorOf(1f, 1f)).item() shouldBe (0.75 plusOrMinus 1e-6)
        hinge.toString() shouldBe "Hinge()"
    }
})
