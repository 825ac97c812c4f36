package dev.kindling.dsl

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.StringSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.awt.Color
import java.nio.file.Files
import javax.imageio.ImageIO

class HistorySpec : StringSpec({
    fun sample() = History().apply {
        record(linkedMapOf("loss" to 0.9, "accuracy" to 0.6, "val_loss" to 1.0, "val_accuracy" to 0.55, "lr" to 1e-3))
        record(linkedMapOf("loss" to 0.5, "accuracy" to 0.8, "val_loss" to 0.7, "val_accuracy" to 0.75, "lr" to 1e-3))
        record(linkedMapOf("loss" to 0.3, "accuracy" to 0.9, "val_loss" to 0.8, "val_accuracy" to 0.8, "lr" to 1e-4))
    }

    "columns, best epoch and last value" {
        val h = sample()
        h.epochs shouldBe 3
        h["val_loss"] shouldBe listOf(1.0, 0.7, 0.8)
        h.bestEpoch("val_loss") shouldBe 1
        h.bestEpoch("val_accuracy", higherIsBetter = true) shouldBe 2
        h.last("lr") shouldBe 1e-4
        shouldThrow<IllegalArgumentException> { h["f1"] }.message shouldContain "columns are [loss, accuracy"
    }

    "toString is an aligned table and toCsv has a header" {
        val h = sample()
        val lines = h.toString().lines()
        lines.size shouldBe 4
        lines[0].trim().split(Regex("\\s+")) shouldBe listOf("epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr")
        lines.map { it.length }.distinct().size shouldBe 1
        lines[2] shouldContain "0.5000"
        lines[3] shouldContain "1.0000e-04"
        val csv = h.toCsv().lines()
        csv[0] shouldBe "epoch,loss,accuracy,val_loss,val_accuracy,lr"
        csv[1] shouldBe "1,0.9000,0.6000,1.0000,0.5500,0.0010"
        csv[3] shouldBe "3,0.3000,0.9000,0.8000,0.8000,1.0000e-04"
    }

    "plot writes a PNG with a loss panel and a metric panel" {
        val path = Files.createTempDirectory("hist").resolve("sub/history.png")
        sample().plot(path)
        val img = ImageIO.read(path.toFile())
        img.width shouldBe 1280
        img.height shouldBe 420
        // both panels carry coloured curve pixels (XChart's series colours are not grey)
        fun coloured(x0: Int, x1: Int) = (x0 until x1).sumOf { x ->
            (0 until img.height).count { y -> Color(img.getRGB(x, y)).let { c -> maxOf(c.red, c.green, c.blue) - minOf(c.red, c.green, c.blue) > 60 } }
        }
        (coloured(0, 640) > 200) shouldBe true
        (coloured(640, 1280) > 200) shouldBe true
        shouldThrow<IllegalArgumentException> { History().plot(path) }.message shouldContain "no epochs"
    }
})
