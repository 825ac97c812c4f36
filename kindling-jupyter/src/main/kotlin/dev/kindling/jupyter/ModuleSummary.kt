package dev.kindling.jupyter

import dev.kindling.Kindling
import dev.kindling.Tensor
import dev.kindling.nn.Module
import dev.kindling.nn.Sequential
import java.util.IdentityHashMap
import java.util.Locale

/**
 * A model at a glance, like `torchinfo.summary`: one row per module (indented by depth) with the output
 * shape for [inputShape], the parameters it holds itself, and whether they train; then the totals and the
 * bytes of parameters and buffers. Output shapes are traced through `Sequential` containers step by step;
 * inside other modules only the module's own output is known (Kindling has no forward hooks), shown as `--`.
 *
 * ```
 * ModuleSummary.of(model, 1, 784)          // print it, or let the notebook render it as a table
 * ```
 */
class ModuleSummary private constructor(
    /** The model's PyTorch-style repr. */
    val repr: String,
    /** The input shape the output shapes were traced with. */
    val inputShape: List<Int>?,
    /** One per module, pre-order. */
    val rows: List<Row>,
    val totalParams: Long,
    val trainableParams: Long,
    /** Bytes of all parameters and buffers (running statistics). */
    val totalBytes: Long,
) {
    /** [layer] is `name (Type)`; [outputShape] is null where it could not be traced. */
    data class Row(val depth: Int, val layer: String, val outputShape: List<Int>?, val params: Long, val trainable: String)

    /** An aligned text table with the totals below it. */
    override fun toString(): String {
        val head = listOf("Layer (type)", "Output shape", "Param #", "Trainable")
        val body = rows.map { listOf("  ".repeat(it.depth) + it.layer, shape(it.outputShape), count(it.params), it.trainable) }
        val widths = head.indices.map { c -> maxOf(head[c].length, body.maxOfOrNull { it[c].length } ?: 0) }
        val line = "-".repeat(widths.sum() + 3 * 2)
        fun fmt(r: List<String>) = r.mapIndexed { c, s -> if (c == 0) s.padEnd(widths[c]) else s.padStart(widths[c]) }.joinToString("  ")
        return (listOf(fmt(head), line) + body.map(::fmt) + listOf(line) + totals()).joinToString("\n")
    }

    /** The repr in a `<pre>`, then the table and the totals. */
    fun toHtml(): String = buildString {
        append("<details><summary style=\"font-family:monospace;font-size:12px\">").append(escapeHtml(firstLine()))
        append("</summary><pre>").append(escapeHtml(repr)).append("</pre></details>")
        append(htmlTable(listOf("Layer (type)", "Output shape", "Param #", "Trainable"),
            rows.map { listOf("\u00a0\u00a0".repeat(it.depth) + it.layer, shape(it.outputShape), count(it.params), it.trainable) },
            rightAlign = { it == 2 }))
        append("<pre style=\"margin:4px 0\">").append(escapeHtml(totals().joinToString("\n"))).append("</pre>")
    }

    private fun firstLine() = repr.lineSequence().first() + if (repr.contains('\n')) " ... )" else ""

    private fun totals() = listOf(
        "Total params: ${count(totalParams)}",
        "Trainable params: ${count(trainableParams)}",
        "Non-trainable params: ${count(totalParams - trainableParams)}",
        "Params and buffers size: ${"%.2f".format(Locale.ROOT, totalBytes / 1048576.0)} MB ($totalBytes bytes)",
    ) + (inputShape?.let { listOf("Input shape: $it") } ?: emptyList())

    companion object {
        /** The summary of [model] with output shapes traced on zeros of [inputShape] (batch dim included). */
        @JvmStatic
        fun of(model: Module, vararg inputShape: Int): ModuleSummary =
            if (inputShape.isEmpty()) build(model, null) else Tensor.zeros(*inputShape).use { build(model, it) }

        /** The summary of [model] with output shapes traced on [example] (for integer inputs, e.g. Embedding). */
        @JvmStatic
        fun of(model: Module, example: Tensor): ModuleSummary = build(model, example)

        private fun build(model: Module, example: Tensor?): ModuleSummary {
            val shapes = IdentityHashMap<Module, List<Int>>()
            if (example != null) trace(model, example, shapes)
            val rows = model.namedModules().map { (path, m) ->
                val own = m.namedParameters().filterKeys { '.' !in it }.values
                val trainable = when {
                    own.isEmpty() -> ""
                    own.all { it.requiresGrad() } -> "yes"
                    own.none { it.requiresGrad() } -> "no"
                    else -> "partly"
                }
                val name = if (path.isEmpty()) typeOf(m) else "${path.substringAfterLast('.')} (${typeOf(m)})"
                Row(path.count { it == '.' } + if (path.isEmpty()) 0 else 1, name, shapes[m], own.sumOf { it.numel() }, trainable)
            }
            val bytes = (model.parameters() + model.buffers()).sumOf { Math.multiplyExact(it.numel(), it.dtype().byteSize().toLong()) }
            return ModuleSummary(model.toString(), example?.shape()?.toList(), rows,
                model.numParameters(), model.numParameters(true), bytes)
        }

        // eval mode and no grad, as torchinfo runs it; the model's training flag is restored afterwards
        private fun trace(model: Module, x: Tensor, shapes: MutableMap<Module, List<Int>>) {
            val wasTraining = model.isTraining
            model.eval()
            try {
                Kindling.noGrad().use { Kindling.scope().use { step(model, x, shapes) } }
            } finally {
                model.train(wasTraining)
            }
        }

        private fun step(m: Module, x: Tensor, shapes: MutableMap<Module, List<Int>>): Tensor {
            val out = if (m is Sequential) m.children().fold(x) { acc, child -> step(child, acc, shapes) } else m.forward(x)
            shapes[m] = out.shape().toList()
            return out
        }

        private fun typeOf(m: Module) = m.toString().substringBefore('(')
    }
}

private fun shape(s: List<Int>?) = s?.toString() ?: "--"

private fun count(n: Long) = "%,d".format(Locale.ROOT, n)
