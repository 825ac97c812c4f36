@file:JvmName("Show")

package dev.kindling.jupyter

import dev.kindling.Tensor

/**
 * `plt.imshow(x); plt.show()` in one call: draws an image-shaped tensor ([toImage]) into the notebook, now,
 * wherever it is in the cell. A batch goes through [makeGrid] first: `makeGrid(images).show()`.
 * Outside a notebook there is nowhere to draw, so it throws; use [toImage] or [pngBytes] there.
 *
 * ```
 * val (image, label) = train[0]
 * image.show()
 * ```
 */
@JvmOverloads
fun Tensor.show(normalize: Boolean? = null, scale: Int = 0) {
    val sink = NotebookOutput.sink()
        ?: throw IllegalStateException("show: not running in a notebook; use toImage() or pngBytes(toImage()) to get the picture")
    sink.display(imageBundle(this, normalize, scale))
}

/** The MIME bundle of an image-shaped tensor: the PNG, and its shape as text for plain viewers. */
@JvmOverloads
fun imageBundle(t: Tensor, normalize: Boolean? = null, scale: Int = 0): Map<String, String> =
    mapOf("image/png" to pngBase64(pngBytes(t.toImage(normalize, scale))),
          "text/plain" to "<image ${t.shape().contentToString()}>")
