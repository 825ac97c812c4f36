package dev.kindling.jupyter

import com.fasterxml.jackson.databind.JsonNode
import com.fasterxml.jackson.databind.ObjectMapper
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * Runs every notebook in `notebooks/` on the Kotlin kernel from Maven under nbclient (Debian's
 * python3-nbclient), and checks what the outputs must show. Fails when a cell fails or an expected output
 * is missing; skips when nbclient is not installed. With `-Dkindling.notebooks.update=true` (what
 * `notebooks/run.sh` passes) the executed notebooks replace the committed ones; `-Dkindling.notebooks.only=a,b`
 * runs the named ones only.
 */
class NotebooksTest {
    private val notebooks = Path.of(System.getProperty("kindling.notebooksDir", "../notebooks")).toAbsolutePath().normalize()
    private val update = System.getProperty("kindling.notebooks.update").toBoolean()
    // -Dkindling.notebooks.only=ch01-tensors,ch07-fashion-mnist runs those only
    private val only = System.getProperty("kindling.notebooks.only").orEmpty().split(',').filter { it.isNotBlank() }

    @TestFactory
    fun notebooks(): List<DynamicTest> {
        val jupyterPath = NotebookKernel.write()   // also useful without nbclient: a kernel for `jupyter lab`
        val python = python()
        assumeTrue(python != null, "python3 with nbclient and nbformat not found: apt-get install -y python3-nbclient jupyter-nbconvert")
        val files = Files.list(notebooks).use { s -> s.filter { it.toString().endsWith(".ipynb") }.sorted().toList() }
        assertTrue(files.size >= EXPECTED.size, "notebooks missing in $notebooks: ${EXPECTED.keys - files.map { it.fileName.toString() }.toSet()}")
        return files.filter { f -> only.isEmpty() || f.fileName.toString().removeSuffix(".ipynb") in only }.map { nb -> DynamicTest.dynamicTest(nb.fileName.toString()) { check(python!!, jupyterPath, nb) } }
    }

    private fun check(python: String, jupyterPath: Path, notebook: Path) {
        val name = notebook.fileName.toString()
        val expect = EXPECTED[name] ?: error("$name has no expectations in NotebooksTest.EXPECTED; add its key outputs there")
        if (expect.needsFashionMnist) {
            assumeTrue(File("/usr/share/datasets/fashion-mnist").isDirectory || notebooks.resolve("data/FashionMNIST").toFile().isDirectory,
                "$name needs Fashion-MNIST: apt-get install -y dataset-fashion-mnist")
        }
        val out = if (update) notebook else Path.of("target/notebooks").toAbsolutePath().resolve(name)
        Files.createDirectories(out.parent)
        val log = Path.of("target/notebooks").toAbsolutePath().resolve("$name.log")
        Files.createDirectories(log.parent)
        val proc = ProcessBuilder(python, notebooks.resolve("execute.py").toString(), "--kernel", NotebookKernel.NAME,
            "--timeout", "600", notebook.toString(), out.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile())
            .also { it.environment()["JUPYTER_PATH"] = jupyterPath.toString() }
            .start()
        val finished = proc.waitFor(15, TimeUnit.MINUTES)
        if (!finished) proc.destroyForcibly()
        assertTrue(finished && proc.exitValue() == 0, "$name did not run cleanly; log $log:\n${Files.readString(log).takeLast(4000)}")

        val nb = ObjectMapper().readTree(out.toFile())
        val cells = nb["cells"].filter { it["cell_type"].asText() == "code" }
        for ((i, c) in cells.withIndex()) {
            assertTrue(!c["execution_count"].isNull, "$name: code cell ${i + 1} did not run")
            val errors = c["outputs"].filter { it["output_type"].asText() == "error" }
            assertEquals(emptyList<JsonNode>(), errors, "$name: code cell ${i + 1} failed")
        }
        val outputs = cells.flatMap { it["outputs"] }
        val text = outputs.joinToString("\n") { o ->
            (o["text"]?.let(::joined) ?: "") + (o["data"]?.fields()?.asSequence()
                ?.filter { it.key.startsWith("text/") }?.joinToString("\n") { joined(it.value) } ?: "")
        }
        for (pattern in expect.text) {
            assertTrue(Regex(pattern).containsMatchIn(text), "$name: no output matches /$pattern/")
        }
        for ((mime, count) in expect.mimes) {
            val n = outputs.count { it["data"]?.has(mime) == true }
            assertTrue(n >= count, "$name: expected at least $count $mime output(s), found $n")
        }
    }

    private fun joined(node: JsonNode): String = if (node.isArray) node.joinToString("") { it.asText() } else node.asText()

    private fun python(): String? = listOf("/usr/bin/python3", "python3").firstOrNull { py ->
        runCatching {
            val p = ProcessBuilder(py, "-c", "import nbclient, nbformat").redirectErrorStream(true).start()
            p.inputStream.readAllBytes()
            p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0
        }.getOrDefault(false)
    }

    /** What each notebook's outputs must contain: text patterns, and how many outputs of each MIME type. */
    private class Expect(val text: List<String>, val mimes: Map<String, Int> = emptyMap(), val needsFashionMnist: Boolean = false)

    private companion object {
        val EXPECTED = mapOf(
            "ch01-tensors.ipynb" to Expect(listOf("tensor · shape \\[3, 4\\] · float32", "\\[3, 1\\] \\* 10 \\+ \\[1, 4\\] -> \\[3, 4\\]"),
                mapOf("text/html" to 3)),
            "ch02-autograd.ipynb" to Expect(listOf("grad_fn=<", "dy/dx at x = 2: 4\\.0")),
            "ch03-linear-regression.ipynb" to Expect(listOf("w = (1\\.9|2\\.0)\\d+, b = -?0\\.0\\d+"), mapOf("image/png" to 1)),
            "ch04-logistic-regression.ipynb" to Expect(listOf("Training accuracy: \\d+\\.\\d+%"), mapOf("image/png" to 1)),
            "ch05-dataset-dataloader.ipynb" to Expect(listOf("batches per epoch: \\d+", "accuracy: 0\\.9\\d+"), mapOf("image/png" to 1)),
            "ch06-training-basics.ipynb" to Expect(listOf("Test accuracy: \\d+\\.\\d+%", "Total params"), mapOf("image/png" to 1)),
            "ch07-fashion-mnist.ipynb" to Expect(listOf("Test accuracy: \\d+\\.\\d+%", "Trained \\d+ epoch", "reloaded model: \\d+\\.\\d+%"),
                mapOf("image/png" to 2), needsFashionMnist = true),
            "ch08-mnist-cnn.ipynb" to Expect(listOf("Test accuracy: \\d+\\.\\d+%", "Conv2d", "Output shape"), mapOf("image/png" to 2),
                needsFashionMnist = true),
            "ch09-workflow.ipynb" to Expect(listOf("Test accuracy: \\d+\\.\\d+%", "best epoch \\d+"), mapOf("image/png" to 1)),
        )
    }
}
