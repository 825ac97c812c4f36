@file:JvmName("Images")

package dev.kindling.jupyter

import dev.kindling.Kindling
import dev.kindling.Tensor
import java.awt.image.BufferedImage
import java.io.ByteArrayOutputStream
import java.util.Base64
import javax.imageio.ImageIO
import kotlin.math.ceil
import kotlin.math.max
import kotlin.math.min
import kotlin.math.roundToInt

/**
 * An image-shaped tensor as a picture: `[H, W]` (grey), `[1, H, W]` or `[3, H, W]` (RGB), as matplotlib's
 * `imshow` shows it. [normalize] stretches min..max to black..white; by default it does so for one channel
 * (imshow's auto range) and clips RGB floats to 0..1 (integer tensors to 0..255). Small images are scaled
 * up by whole pixels ([scale] 0 picks the factor) so that a 28 x 28 digit is visible.
 *
 * ```
 * val img = train[0].get(0).toImage()       // a BufferedImage, 448 x 448 for a 28 x 28 digit
 * ```
 */
@JvmOverloads
fun Tensor.toImage(normalize: Boolean? = null, scale: Int = 0): BufferedImage {
    val (c, h, w) = imageShape(this, "toImage")
    require(scale >= 0) { "toImage: scale must be >= 0 (0 = automatic), got $scale" }
    val values = Kindling.noGrad().use { contiguous().toDoubleArray() }
    val stretch = normalize ?: (c == 1)
    val (lo, hi) = when {
        stretch -> range(values)
        dtype().isFloatingPoint -> 0.0 to 1.0
        else -> 0.0 to 255.0
    }
    val k = if (scale == 0) max(1, (TARGET_SIDE.toDouble() / max(h, w)).roundToInt()) else scale
    val img = BufferedImage(w * k, h * k, BufferedImage.TYPE_INT_RGB)
    val plane = h * w
    for (y in 0 until h) for (x in 0 until w) {
        val i = y * w + x
        val r = byte(values[i], lo, hi)
        val g = if (c == 3) byte(values[plane + i], lo, hi) else r
        val b = if (c == 3) byte(values[2 * plane + i], lo, hi) else r
        val rgb = (r shl 16) or (g shl 8) or b
        for (dy in 0 until k) for (dx in 0 until k) img.setRGB(x * k + dx, y * k + dy, rgb)
    }
    return img
}

/**
 * torchvision's `make_grid`: a batch `[B, C, H, W]` (or `[B, H, W]`) laid out [nrow] images per row with
 * [padding] pixels of [padValue] between them, as one `[3, H', W']` tensor (grey batches become RGB).
 * With [normalize] the whole batch is stretched from its min..max to 0..1 first.
 *
 * ```
 * makeGrid(images[0 until 16], nrow = 8).show()
 * ```
 */
@JvmOverloads
fun makeGrid(batch: Tensor, nrow: Int = 8, padding: Int = 2, normalize: Boolean = false, padValue: Double = 0.0): Tensor {
    require(batch.dim() == 3 || batch.dim() == 4) {
        "makeGrid: expected a batch [B, C, H, W] or [B, H, W], got shape ${batch.shape().contentToString()}"
    }
    require(nrow >= 1 && padding >= 0) { "makeGrid: nrow must be >= 1 and padding >= 0, got nrow=$nrow, padding=$padding" }
    val b = batch.size(0)
    val c = if (batch.dim() == 4) batch.size(1) else 1
    require(b >= 1) { "makeGrid: the batch is empty" }
    require(c == 1 || c == 3) { "makeGrid: images need 1 or 3 channels, got $c" }
    val h = batch.size(batch.dim() - 2)
    val w = batch.size(batch.dim() - 1)
    var values = Kindling.noGrad().use { batch.contiguous().toDoubleArray() }
    if (normalize) {
        val (lo, hi) = range(values)
        val span = if (hi > lo) hi - lo else 1.0
        values = DoubleArray(values.size) { (values[it] - lo) / span }
    }
    val cols = min(nrow, b)
    val rows = ceil(b / cols.toDouble()).toInt()
    val gh = Math.addExact(Math.multiplyExact(rows, h + padding), padding)
    val gw = Math.addExact(Math.multiplyExact(cols, w + padding), padding)
    val grid = FloatArray(Math.multiplyExact(3, Math.multiplyExact(gh, gw))) { padValue.toFloat() }
    for (n in 0 until b) {
        val top = (n / cols) * (h + padding) + padding
        val left = (n % cols) * (w + padding) + padding
        for (ch in 0 until 3) {
            val src = ((n * c) + (if (c == 3) ch else 0)) * h * w
            for (y in 0 until h) for (x in 0 until w) {
                grid[(ch * gh + top + y) * gw + left + x] = values[src + y * w + x].toFloat()
            }
        }
    }
    return Tensor.of(*grid).reshape(3, gh, gw)
}

/** PNG bytes of [image]; works without a display (headless AWT). */
fun pngBytes(image: BufferedImage): ByteArray {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true")
    val out = ByteArrayOutputStream()
    check(ImageIO.write(image, "png", out)) { "pngBytes: no PNG writer available" }
    return out.toByteArray()
}

/** Base64 PNG, the form Jupyter's `image/png` outputs carry. */
internal fun pngBase64(png: ByteArray): String = Base64.getEncoder().encodeToString(png)

// matplotlib's default figure shows an image about this large; from 299 px up an image stays 1:1
private const val TARGET_SIDE = 448

private fun imageShape(t: Tensor, who: String): Triple<Int, Int, Int> {
    val s = t.shape()
    return when {
        s.size == 2 -> Triple(1, s[0], s[1])
        s.size == 3 && (s[0] == 1 || s[0] == 3) -> Triple(s[0], s[1], s[2])
        else -> throw IllegalArgumentException(
            "$who: expected an image [H, W], [1, H, W] or [3, H, W], got shape ${s.contentToString()}" +
                if (s.size == 4) " (a batch: use makeGrid(batch).show())" else "")
    }.also { (_, h, w) -> require(h > 0 && w > 0) { "$who: the image is empty, shape ${s.contentToString()}" } }
}

private fun range(values: DoubleArray): Pair<Double, Double> {
    var lo = Double.POSITIVE_INFINITY
    var hi = Double.NEGATIVE_INFINITY
    for (v in values) if (!v.isNaN()) { lo = min(lo, v); hi = max(hi, v) }
    return if (lo > hi) 0.0 to 1.0 else lo to hi
}

// NaN draws black, like a masked pixel; a flat image (lo == hi) draws mid-grey as imshow does
private fun byte(v: Double, lo: Double, hi: Double): Int {
    if (v.isNaN()) return 0
    if (hi <= lo) return 128
    return ((v.coerceIn(lo, hi) - lo) / (hi - lo) * 255.0).roundToInt()
}
