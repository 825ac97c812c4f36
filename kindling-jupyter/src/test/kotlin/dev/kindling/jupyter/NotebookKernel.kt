package dev.kindling.jupyter

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.SerializationFeature
import java.io.File
import java.nio.file.Files
import java.nio.file.Path

/**
 * Writes a Jupyter kernelspec for the Kotlin kernel 0.11.0-398 taken from Maven (this module's test
 * dependencies), and a local `kindling` library descriptor, under `target/kernel`:
 *
 * - `jupyter/kernels/kindling-kotlin/kernel.json`: `JUPYTER_PATH=kindling-jupyter/target/kernel/jupyter jupyter lab`
 *   lists it as "Kotlin (Kindling build)";
 * - `user-home/.jupyter_kotlin/libraries/kindling.json`: what `%use kindling` loads in that kernel, the classes
 *   of this build and their dependencies as local paths, so nothing is downloaded at run time.
 *
 * The kernel runs on the Kotlin 2.1 standard library (Kindling's), while its 1.8.20 compiler reads the 1.8.20
 * standard library, the only one whose metadata it understands.
 */
object NotebookKernel {
    const val NAME = "kindling-kotlin"

    /** Writes the kernelspec and the descriptor; returns the folder to put on `JUPYTER_PATH`. */
    fun write(): Path {
        val dir = Path.of(prop("kindling.kernelDir")).toAbsolutePath()
        val notebookCp = Files.readString(dir.resolve("notebook-classpath.txt")).trim().split(File.pathSeparator)
            .filter { it.isNotEmpty() }
        val testCp = (System.getProperty("surefire.test.class.path") ?: System.getProperty("java.class.path"))
            .split(File.pathSeparator).filter { it.isNotEmpty() }
        val moduleClasses = Path.of(prop("kindling.moduleClasses")).toAbsolutePath().toString()

        val isKotlinRuntime = { p: String -> name(p).matches(Regex("kotlin-(stdlib|reflect)(-jdk[78])?-.*\\.jar")) }
        // jars both sides need: the kernel gets them, in the version Maven chose for both, and shares them
        val shared = { p: String -> isKotlinRuntime(p) || name(p).matches(Regex("(jna|annotations)-[0-9.]+\\.jar")) }
        val kernelCp = testCp.filter { p ->
            (p !in notebookCp || shared(p)) && !File(p).isDirectory &&
                listOf("junit", "opentest4j", "apiguardian", "surefire").none { name(p).contains(it) }
        }
        val compileStdlib = Files.list(dir.resolve("compile-stdlib")).use { s -> s.map { it.toString() }.toList() }
        val scriptCp = testCp.filter { p ->
            listOf("kotlin-jupyter-api-", "kotlin-jupyter-lib-", "kotlin-script-runtime-").any { name(p).startsWith(it) }
        } + compileStdlib
        require(kernelCp.any { name(it).startsWith("kotlin-jupyter-kernel-") }) { "the kernel jar is not on the test classpath: $testCp" }

        val home = dir.resolve("home").also { Files.createDirectories(it) }
        val userHome = dir.resolve("user-home")
        val logback = dir.resolve("logback.xml")
        Files.writeString(logback, LOGBACK)
        val spec = mapOf(
            "argv" to listOf("java", "-Xmx2g", "-Djava.awt.headless=true", "-Duser.home=$userHome",
                "-Dlogback.configurationFile=$logback", "-cp", kernelCp.joinToString(File.pathSeparator),
                "org.jetbrains.kotlinx.jupyter.IkotlinKt", "{connection_file}", "-home=$home",
                "-cp=" + scriptCp.joinToString(File.pathSeparator)),
            "display_name" to "Kotlin (Kindling build)",
            "language" to "kotlin",
            "interrupt_mode" to "message",
        )
        val kernelJson = dir.resolve("jupyter/kernels/$NAME/kernel.json")
        Files.createDirectories(kernelJson.parent)
        JSON.writeValue(kernelJson.toFile(), spec)

        // the descriptor `%use kindling` finds in ~/.jupyter_kotlin/libraries: this build's classes and jars
        val deps = listOf(moduleClasses) + notebookCp.filter { !shared(it) }
        val descriptor = mapOf(
            "description" to "Kindling, PyTorch for the JVM (local build)",
            "link" to "docs/notebooks.md",
            "dependencies" to deps,
        )
        val libraries = userHome.resolve(".jupyter_kotlin/libraries")
        Files.createDirectories(libraries)
        JSON.writeValue(libraries.resolve("kindling.json").toFile(), descriptor)
        JSON.writeValue(dir.resolve("kindling.json").toFile(), descriptor)
        return dir.resolve("jupyter")
    }

    private fun prop(key: String) = System.getProperty(key) ?: error("system property $key is not set (run through Maven)")

    private fun name(path: String) = File(path).name

    private val JSON = ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)

    // the kernel logs its protocol at DEBUG by default; warnings are enough next to a test report
    private const val LOGBACK = """<configuration>
  <appender name="err" class="ch.qos.logback.core.ConsoleAppender"><target>System.err</target>
    <encoder><pattern>%d{HH:mm:ss} %-5level %logger{20} - %msg%n</pattern></encoder></appender>
  <root level="WARN"><appender-ref ref="err"/></root>
</configuration>
"""
}
