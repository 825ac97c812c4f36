package dev.kindling.jupyter

/**
 * Where rich output goes while a notebook cell runs. The integration points it at the kernel before each cell
 * and clears it after, so code outside notebooks (tests, scripts) sees no sink and falls back to text.
 * A sink receives MIME bundles (`"text/html"` to markup, `"image/png"` to base64), as Jupyter does.
 */
interface OutputSink {
    /** Shows [bundle] as a new output; with an [id] it can be replaced later by [update]. */
    fun display(bundle: Map<String, String>, id: String? = null)

    /** Replaces the output shown earlier under [id]. */
    fun update(bundle: Map<String, String>, id: String)
}

/** The sink of the running cell, if any (see [OutputSink]). */
object NotebookOutput {
    @Volatile
    private var current: OutputSink? = null

    /** The running cell's sink, or null outside a notebook. */
    @JvmStatic
    fun sink(): OutputSink? = current

    /** Installs [sink] (null clears it); the integration calls this around every cell. */
    @JvmStatic
    fun attach(sink: OutputSink?) { current = sink }
}
