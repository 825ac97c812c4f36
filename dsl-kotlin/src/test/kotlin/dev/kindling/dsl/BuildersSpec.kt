package dev.kindling.dsl

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.data.Batch
import dev.kindling.data.Sample
import dev.kindling.nn.*
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

class BuildersSpec : StringSpec({
    beforeTest { Kindling.manualSeed(0) }

    "sequential builds the layers in order and runs forward" {
        val model = sequential { linear(784, 256); relu(); dropout(0.2); linear(256, 10); logSoftmax(dim = 1) }
        model.size() shouldBe 5
        model.children().map { it.javaClass.simpleName } shouldBe listOf("Linear", "ReLU", "Dropout", "Linear", "LogSoftmax")
        model(randn(3, 784)).sizes shouldBe listOf(3, 10)
        model.stateDict().keys.toList() shouldBe listOf("0.weight", "0.bias", "3.weight", "3.bias")
    }

    "nested blocks become one child and keep the size check across the boundary" {
        val model = sequential {
            linear(4, 8); relu()
            sequential { linear(8, 8); tanh() }
            linear(8, 2)
        }
        model.size() shouldBe 4
        model.get(2).shouldBeInstanceOf<Sequential>()
        model.stateDict().keys shouldContain "2.0.weight"
        model(randn(5, 4)).sizes shouldBe listOf(5, 2)
        val e = shouldThrow<IllegalArgumentException> {
            sequential { linear(4, 8); sequential { linear(9, 3) } }
        }
        e.message shouldContain "in_features=9"
        e.message shouldContain "produces 8 features"
    }

    "every builder function adds its engine layer with PyTorch's defaults" {
        val rows = listOf(
            row(Linear::class.java) { linear(2, 3) },
            row(Bilinear::class.java) { bilinear(2, 2, 3) },
            row(Embedding::class.java) { embedding(10, 4, paddingIdx = 0) },
            row(Identity::class.java) { identity() },
            row(Conv1d::class.java) { conv1d(1, 2, 3) },
            row(Conv2d::class.java) { conv2d(1, 2, kernelSize = 3, padding = 1) },
            row(Conv2d::class.java) { conv2dSame(1, 2, 3) },
            row(ConvTranspose2d::class.java) { convTranspose2d(1, 2, 2, stride = 2) },
            row(MaxPool2d::class.java) { maxPool2d(2) },
            row(AvgPool2d::class.java) { avgPool2d(2) },
            row(AdaptiveAvgPool2d::class.java) { adaptiveAvgPool2d(1) },
            row(AdaptiveAvgPool2d::class.java) { adaptiveAvgPool2d(2, 3) },
            row(BatchNorm1d::class.java) { batchNorm1d(3) },
            row(BatchNorm2d::class.java) { batchNorm2d(3) },
            row(GroupNorm::class.java) { groupNorm(2, 4) },
            row(LayerNorm::class.java) { layerNorm(5) },
            row(LayerNorm::class.java) { layerNorm(intArrayOf(2, 5)) },
            row(Dropout::class.java) { dropout() },
            row(Dropout2d::class.java) { dropout2d(0.1) },
            row(Flatten::class.java) { flatten() },
            row(Unflatten::class.java) { unflatten(1, 2, 3) },
            row(ReLU::class.java) { relu() },
            row(LeakyReLU::class.java) { leakyRelu(0.2) },
            row(ELU::class.java) { elu() },
            row(GELU::class.java) { gelu(approximate = "tanh") },
            row(SiLU::class.java) { silu() },
            row(Sigmoid::class.java) { sigmoid() },
            row(Tanh::class.java) { tanh() },
            row(Softplus::class.java) { softplus() },
            row(Softmax::class.java) { softmax(dim = 1) },
            row(LogSoftmax::class.java) { logSoftmax(dim = 1) },
        )
        for ((add, cls) in rows) {
            var made: Module? = null
            val s = sequential { made = add() }
            s.size() shouldBe 1
            s.get(0) shouldBe made
            s.get(0).javaClass shouldBe cls
        }
        (sequential { leakyRelu() }.get(0) as LeakyReLU).toString() shouldContain "0.01"
        (sequential { maxPool2d(3) }.get(0).toString()) shouldContain "stride=3"
    }

    "a CNN built with the DSL runs and infers the flattened size after adaptiveAvgPool2d" {
        val cnn = sequential {
            conv2d(1, 8, kernelSize = 3, padding = 1); batchNorm2d(8); relu(); maxPool2d(2)
            conv2d(8, 16, kernelSize = 3, padding = 1); relu(); adaptiveAvgPool2d(2)
            flatten(); linear(64, 10)
        }
        cnn(randn(2, 1, 28, 28)).sizes shouldBe listOf(2, 10)
        val e = shouldThrow<IllegalArgumentException> {
            sequential { conv2d(1, 8, 3); adaptiveAvgPool2d(2); flatten(); linear(16, 10) }
        }
        e.message shouldContain "in_features=16"
        e.message shouldContain "32 features"
    }

    "a Linear whose input does not match names both builder lines and sizes" {
        val e = shouldThrow<IllegalArgumentException> {
            sequential {
                linear(784, 256); relu()
                linear(300, 10)
            }
        }
        e.message shouldContain "linear(300, 10) at BuildersSpec.kt:"
        e.message shouldContain "linear(784, 256) at BuildersSpec.kt:"
        e.message shouldContain "(300 != 256)"
        // the reported lines are the builder lines: the second is one line after the first
        val lines = Regex("BuildersSpec.kt:(\\d+)").findAll(e.message!!).map { it.groupValues[1].toInt() }.toList()
        (lines[0] - lines[1]) shouldBe 1
    }

    "conv channels and norms are checked too" {
        shouldThrow<IllegalArgumentException> { sequential { conv2d(3, 16, 3); relu(); conv2d(8, 32, 3) } }
            .message shouldContain "in_channels=8"
        shouldThrow<IllegalArgumentException> { sequential { conv2d(3, 16, 3); batchNorm2d(32) } }
            .message shouldContain "num_features=32"
        shouldThrow<IllegalArgumentException> { sequential { linear(3, 16); batchNorm1d(8) } }
            .message shouldContain "(8 != 16)"
        shouldThrow<IllegalArgumentException> { sequential { embedding(100, 16); layerNorm(8) } }
            .message shouldContain "normalized_shape=8"
        // after an opaque module nothing is known, so nothing is checked
        sequential { linear(3, 16); add(Identity()); linear(5, 2) }.size() shouldBe 3
    }

    "module { x -> } is a layer, inside and outside sequential" {
        val double = module { x -> x * 2 }
        double(tensorOf(1f, 2f)).toFloatArray().toList() shouldBe listOf(2f, 4f)
        val s = sequential { linear(2, 2); module("Square") { it * it }; +Identity() }
        s.size() shouldBe 3
        s.get(1).toString() shouldBe "Square()"
    }

    "buildModule registers named sub-layers and parameters" {
        val net = buildModule("Net") {
            val fc1 = layer("fc1", Linear(4, 8))
            val fc2 = layer("fc2", Linear(8, 3))
            val scale = parameter("scale", ones(3))
            forward { x -> fc2(fc1(x).relu()) * scale }
        }
        net.stateDict().keys shouldBe setOf("scale", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")
        net.parameters().size shouldBe 5
        net(randn(2, 4)).sizes shouldBe listOf(2, 3)
        net.toString() shouldContain "Net("
        shouldThrow<IllegalStateException> { buildModule { layer("a", Linear(1, 1)) } }.message shouldContain "forward"
    }

    "Module and Loss are invocable; Batch and Sample destructure" {
        val lin = Linear(3, 2)
        val x = randn(4, 3)
        lin(x).allclose(lin.forward(x)) shouldBe true
        val logits = randn(4, 2)
        val y = tensorOf(0L, 1L, 1L, 0L)
        CrossEntropyLoss()(logits, y).item() shouldBe CrossEntropyLoss().forward(logits, y).item()
        val (bx, by) = Batch.of(x, y)
        bx shouldBe x; by shouldBe y
        val (sx, sy) = Sample.of(x[0], y[0])
        sx.sizes shouldBe listOf(3); sy.longItem() shouldBe 0L
    }
})

private fun row(cls: Class<*>, add: SequentialBuilder.() -> Module) = add to cls

private infix fun Set<String>.shouldContain(key: String) { (key in this) shouldBe true }
