package dev.kindling.jupyter

import dev.kindling.Tensor
import dev.kindling.dsl.Callbacks
import dev.kindling.dsl.History
import dev.kindling.nn.Module
import org.jetbrains.kotlinx.jupyter.api.FieldValue
import org.jetbrains.kotlinx.jupyter.api.KotlinKernelHost
import org.jetbrains.kotlinx.jupyter.api.MimeTypedResult
import org.jetbrains.kotlinx.jupyter.api.RendererHandler
import org.jetbrains.kotlinx.jupyter.api.ResultHandlerExecution
import org.jetbrains.kotlinx.jupyter.api.libraries.ExecutionHost
import org.jetbrains.kotlinx.jupyter.api.libraries.JupyterIntegration

/**
 * What `%use kindling` loads into a Kotlin notebook: the imports a PyTorch user expects to have, rich output
 * for tensors, modules, summaries and training histories, and `fit` progress drawn in place.
 * The kernel finds this class through `META-INF/kotlin-jupyter-libraries/libraries.json`.
 */
class KindlingIntegration : JupyterIntegration() {
    override fun Builder.onLoaded() {
        import(*IMPORTS.toTypedArray())
        addRenderer(MimeRenderer(Tensor::class.java) { t -> mapOf("text/html" to TensorView.html(t), "text/plain" to t.toString()) })
        addRenderer(MimeRenderer(ModuleSummary::class.java) { s -> mapOf("text/html" to s.toHtml(), "text/plain" to s.toString()) })
        addRenderer(MimeRenderer(Module::class.java) { m ->
            val s = ModuleSummary.of(m)
            mapOf("text/html" to s.toHtml(), "text/plain" to m.toString())
        })
        addRenderer(MimeRenderer(History::class.java) { h ->
            val bundle = mutableMapOf("text/html" to HistoryView.html(h), "text/plain" to h.toString())
            if (h.epochs > 0) bundle["image/png"] = pngBase64(HistoryView.png(h))
            bundle
        })
        onLoaded { Callbacks.defaultProgress = { LiveProgress() } }
        // the host handed to these callbacks discards displays (the kernel gives callbacks a no-op display
        // handler), so the sink asks the cell's own script object for the live host at each call instead
        afterCellExecution { snippet, _ -> KernelSink.of(snippet)?.let { NotebookOutput.attach(it) } }
        onShutdown {
            NotebookOutput.attach(null)
            Callbacks.defaultProgress = { Callbacks.progress() }
        }
    }

    companion object {
        /**
         * What a notebook imports once `%use kindling` ran: the engine, the DSL, nn, optim (and schedulers), data
         * with its data sets and transforms (torchvision's place), saving, and these helpers.
         */
        @JvmField
        val IMPORTS = listOf("dev.kindling.*", "dev.kindling.dsl.*", "dev.kindling.nn.*", "dev.kindling.optim.*",
            "dev.kindling.optim.lr.*", "dev.kindling.data.*", "dev.kindling.data.datasets.*",
            "dev.kindling.data.transforms.*", "dev.kindling.io.*", "dev.kindling.jupyter.*")
    }
}

/**
 * An [OutputSink] on the kernel host of whatever cell is running: cells are scripts whose `userHandlesProvider`
 * (the `DISPLAY(...)` helper's source) returns the running cell's host, or null between cells. Found by
 * reflection because that type belongs to the kernel's script template, not to the library API.
 */
private class KernelSink(private val host: () -> KotlinKernelHost?) : OutputSink {
    override fun display(bundle: Map<String, String>, id: String?) {
        current().display(MimeTypedResult(bundle, false, null), id)
    }

    override fun update(bundle: Map<String, String>, id: String) {
        current().updateDisplay(MimeTypedResult(bundle, false, null), id)
    }

    private fun current() = host() ?: throw IllegalStateException("no notebook cell is running")

    companion object {
        fun of(snippet: Any?): KernelSink? {
            if (snippet == null) return null
            return runCatching {
                val provider = snippet.javaClass.getMethod("getUserHandlesProvider").invoke(snippet)
                val getHost = provider.javaClass.getMethod("getHost")
                KernelSink { getHost.invoke(provider) as KotlinKernelHost? }
            }.getOrNull()
        }
    }
}

/**
 * Renders values of [type] (subclasses included) as a MIME bundle. A plain `isInstance` check instead of the
 * API's `render<T>`, which asks kotlin-reflect about supertypes and so reads Kotlin metadata the 0.11 kernel's
 * reflection library cannot read.
 */
private class MimeRenderer<T : Any>(private val type: Class<T>, private val bundle: (T) -> Map<String, String>) : RendererHandler {
    override fun accepts(value: Any?): Boolean = type.isInstance(value)

    override val execution: ResultHandlerExecution = object : ResultHandlerExecution {
        override fun execute(host: ExecutionHost, result: FieldValue): FieldValue =
            FieldValue(MimeTypedResult(bundle(type.cast(result.value)), false, null), result.name)

        override fun replaceVariables(mapping: Map<String, String>): ResultHandlerExecution = this
    }

    override fun replaceVariables(mapping: Map<String, String>): RendererHandler = this
}
