package dev.kindling.jupyter

/** Escapes text for HTML element content and attribute values. */
internal fun escapeHtml(s: String): String = buildString(s.length) {
    for (c in s) when (c) {
        '<' -> append("&lt;")
        '>' -> append("&gt;")
        '&' -> append("&amp;")
        '"' -> append("&quot;")
        else -> append(c)
    }
}

/**
 * A plain table: a header row and body rows, right-aligned numbers. Inline styles only, because notebook
 * front ends (JupyterLab, Kotlin Notebook, GitHub's viewer) strip or ignore stylesheets in outputs.
 */
internal fun htmlTable(head: List<String>, rows: List<List<String>>, rightAlign: (Int) -> Boolean = { true }): String =
    buildString {
        append("<table style=\"border-collapse:collapse;font-family:monospace;font-size:12px\">")
        if (head.isNotEmpty()) {
            append("<thead><tr>")
            head.forEachIndexed { i, h -> append(cell("th", h, rightAlign(i), "border-bottom:1px solid #888;")) }
            append("</tr></thead>")
        }
        append("<tbody>")
        for (r in rows) {
            append("<tr>")
            r.forEachIndexed { i, v -> append(cell("td", v, rightAlign(i), "")) }
            append("</tr>")
        }
        append("</tbody></table>")
    }

private fun cell(tag: String, text: String, right: Boolean, extra: String) =
    "<$tag style=\"padding:2px 8px;text-align:${if (right) "right" else "left"};$extra\">${escapeHtml(text)}</$tag>"
