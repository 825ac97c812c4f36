package dev.kindling.jupyter

import dev.kindling.DType
import dev.kindling.Kindling
import dev.kindling.Tensor
import java.util.Locale

/**
 * How a tensor shows in a notebook: a header with what `print(x.shape, x.dtype, x.device, x.requires_grad,
 * x.grad_fn)` would tell, then the values: an HTML table when the tensor is small and at most 2-D, PyTorch's
 * own abbreviated repr (`tensor([[...], ..., [...]])`) otherwise.
 *
 * ```
 * TensorView.html(randn(2, 3))   // header + a 2 x 3 table
 * ```
 */
object TensorView {
    /** Tensors with at most this many elements (and at most 2 dims) get a table; bigger ones get text. */
    const val TABLE_MAX_ELEMENTS = 200

    /** `shape [2, 3] · float32 · cpu · requires_grad=True · grad_fn=<AddBackward0>` */
    @JvmStatic
    fun header(t: Tensor): String {
        val parts = mutableListOf("shape ${t.shape().contentToString()}", t.dtype().torchName().removePrefix("torch."),
            t.device().toString(), "requires_grad=${py(t.requiresGrad())}")
        t.gradFn()?.let { parts.add("grad_fn=<${it.name()}>") }
        return parts.joinToString(" · ")
    }

    /** Whether [t] is shown as a table ([html]) rather than as abbreviated text. */
    @JvmStatic
    fun isTable(t: Tensor): Boolean = !t.isClosed && t.dim() <= 2 && t.numel() in 1..TABLE_MAX_ELEMENTS.toLong()

    /** The header and the values: a table for small tensors, PyTorch's abbreviated text for large ones. */
    @JvmStatic
    fun html(t: Tensor): String {
        if (t.isClosed) return "<pre>${escapeHtml(t.toString())}</pre>"
        val head = "<div style=\"font-family:monospace;font-size:12px;color:#555\">tensor · ${escapeHtml(header(t))}</div>"
        if (!isTable(t)) return head + "<pre style=\"margin:2px 0\">${escapeHtml(t.toString())}</pre>"
        val cells = values(t)
        val cols = if (t.dim() == 2) t.size(1) else cells.size
        val rows = cells.chunked(cols).mapIndexed { i, r -> listOf(if (t.dim() == 2) i.toString() else "") + r }
        val header = listOf("") + (0 until cols).map { it.toString() }
        return head + htmlTable(if (t.dim() == 0) emptyList() else header, if (t.dim() == 0) listOf(cells) else rows)
    }

    /** The plain-text twin of [html]: the header line, then PyTorch's repr. */
    @JvmStatic
    fun text(t: Tensor): String = if (t.isClosed) t.toString() else "${header(t)}\n$t"

    // one string per element, PyTorch's 4 decimals for floating point; read without recording autograd
    private fun values(t: Tensor): List<String> = Kindling.noGrad().use {
        when {
            t.dtype() == DType.BOOL -> t.toDoubleArray().map { if (it != 0.0) "True" else "False" }
            t.dtype().isIntegral -> t.to(DType.INT64).toLongArray().map { it.toString() }
            else -> t.toDoubleArray().map { "%.4f".format(Locale.ROOT, it) }
        }
    }

    private fun py(b: Boolean) = if (b) "True" else "False"
}
