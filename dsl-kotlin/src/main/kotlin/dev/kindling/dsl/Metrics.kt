package dev.kindling.dsl

import dev.kindling.Tensor
import kotlin.math.abs

/**
 * A metric accumulated over batches: [reset], then [update] per batch, then [values].
 * Values are read on the host from each batch's output, so they cost no autograd memory.
 *
 * ```
 * val m = Metrics.accuracy(); m.update(logits, labels); m.values()   // {accuracy=0.93}
 * ```
 */
interface Metric {
    /** The key in [History] and in the progress line (`accuracy`, `val_accuracy`). */
    val name: String
    /** True when larger is better; early stopping and checkpoints use it as their default mode. */
    val higherIsBetter: Boolean
    fun reset()
    fun update(output: Tensor, target: Tensor)
    /** The metric's value(s) so far: one entry named [name], or one per class for per-class averages. */
    fun values(): Map<String, Double>
}

/** How precision, recall and F1 combine the classes. */
enum class Average {
    /** Unweighted mean over classes (sklearn's `average='macro'`). */
    MACRO,
    /** One value per class, keys `precision_0`, `precision_1`, ... (sklearn's `average=None`). */
    PER_CLASS
}

/** Factories for the built-in metrics, callable from Java as `Metrics.accuracy()`. */
object Metrics {
    /** Fraction of correct predictions; [threshold] applies to single-column (binary) outputs. */
    @JvmStatic @JvmOverloads fun accuracy(threshold: Double = 0.5): Metric = Accuracy(threshold)
    /** Fraction of samples whose target is among the [k] largest outputs. */
    @JvmStatic fun topKAccuracy(k: Int): Metric = TopKAccuracy(k)
    @JvmStatic @JvmOverloads fun precision(numClasses: Int, average: Average = Average.MACRO): Metric = ClassScore("precision", numClasses, average)
    @JvmStatic @JvmOverloads fun recall(numClasses: Int, average: Average = Average.MACRO): Metric = ClassScore("recall", numClasses, average)
    @JvmStatic @JvmOverloads fun f1(numClasses: Int, average: Average = Average.MACRO): Metric = ClassScore("f1", numClasses, average)
    @JvmStatic fun confusionMatrix(numClasses: Int): ConfusionMatrix = ConfusionMatrix(numClasses)
    /** Mean absolute error over all elements. */
    @JvmStatic fun mae(): Metric = Regression("mae") { abs(it) }
    /** Mean squared error over all elements. */
    @JvmStatic fun mse(): Metric = Regression("mse") { it * it }
}

/** Predicted class per sample: argmax over dim 1 for `[N, C]` outputs, a threshold for `[N]` or `[N, 1]`. */
internal fun predictedClasses(output: Tensor, threshold: Double = 0.5): LongArray =
    if (output.dim() == 2 && output.size(1) > 1) output.argmax(1).toLongArray()
    else if (output.dim() == 1 || (output.dim() == 2 && output.size(1) == 1))
        output.toDoubleArray().map { if (it > threshold) 1L else 0L }.toLongArray()
    else throw IllegalArgumentException(
        "metrics: expected outputs [N, C] or [N] for classification, got ${output.shape().contentToString()}")

internal fun targetClasses(target: Tensor, n: Int, metric: String): LongArray {
    val t = target.reshape(-1).toLongArray()
    require(t.size == n) { "$metric: ${n} predictions but ${t.size} targets (target shape ${target.shape().contentToString()})" }
    return t
}

private class Accuracy(private val threshold: Double) : Metric {
    override val name = "accuracy"
    override val higherIsBetter = true
    private var correct = 0L
    private var total = 0L
    override fun reset() { correct = 0; total = 0 }
    override fun update(output: Tensor, target: Tensor) {
        val p = predictedClasses(output, threshold)
        val t = targetClasses(target, p.size, name)
        for (i in p.indices) if (p[i] == t[i]) correct++
        total += p.size
    }
    override fun values() = mapOf(name to if (total == 0L) Double.NaN else correct.toDouble() / total)
}

private class TopKAccuracy(private val k: Int) : Metric {
    init { require(k >= 1) { "topKAccuracy: k must be >= 1, got $k" } }
    override val name = "top${k}_accuracy"
    override val higherIsBetter = true
    private var correct = 0L
    private var total = 0L
    override fun reset() { correct = 0; total = 0 }
    override fun update(output: Tensor, target: Tensor) {
        require(output.dim() == 2 && output.size(1) >= k) {
            "$name: expected outputs [N, C] with C >= $k, got ${output.shape().contentToString()}"
        }
        val n = output.size(0)
        val top = output.topk(k, 1, true, false).indices().toLongArray()
        val t = targetClasses(target, n, name)
        for (i in 0 until n) if ((0 until k).any { top[i * k + it] == t[i] }) correct++
        total += n
    }
    override fun values() = mapOf(name to if (total == 0L) Double.NaN else correct.toDouble() / total)
}

private class ClassScore(override val name: String, numClasses: Int, private val average: Average) : Metric {
    override val higherIsBetter = true
    private val cm = ConfusionMatrix(numClasses)
    override fun reset() = cm.reset()
    override fun update(output: Tensor, target: Tensor) = cm.update(output, target)
    private fun score(c: Int) = when (name) { "precision" -> cm.precision(c); "recall" -> cm.recall(c); else -> cm.f1(c) }
    override fun values(): Map<String, Double> = when (average) {
        Average.MACRO -> mapOf(name to (0 until cm.numClasses).map { score(it) }.average())
        Average.PER_CLASS -> (0 until cm.numClasses).associate { "${name}_$it" to score(it) }
    }
}

private class Regression(override val name: String, private val err: (Double) -> Double) : Metric {
    override val higherIsBetter = false
    private var sum = 0.0
    private var count = 0L
    override fun reset() { sum = 0.0; count = 0 }
    override fun update(output: Tensor, target: Tensor) {
        val o = output.toDoubleArray()
        val t = target.toDoubleArray()
        require(o.size == t.size) {
            "$name: output ${output.shape().contentToString()} and target ${target.shape().contentToString()} differ in size"
        }
        for (i in o.indices) sum += err(o[i] - t[i])
        count += o.size
    }
    override fun values() = mapOf(name to if (count == 0L) Double.NaN else sum / count)
}

/**
 * Counts of (true class, predicted class), rows are true classes as in sklearn's `confusion_matrix`.
 * Also a [Metric] whose values are the macro precision, recall and F1; per class via [precision] etc.
 */
class ConfusionMatrix(val numClasses: Int) : Metric {
    init { require(numClasses >= 2) { "confusionMatrix: numClasses must be >= 2, got $numClasses" } }
    private val counts = LongArray(numClasses * numClasses)
    override val name = "confusion"
    override val higherIsBetter = true
    override fun reset() = counts.fill(0)

    override fun update(output: Tensor, target: Tensor) {
        val p = predictedClasses(output)
        val t = targetClasses(target, p.size, "confusionMatrix")
        for (i in p.indices) {
            require(t[i] in 0 until numClasses && p[i] in 0 until numClasses) {
                "confusionMatrix: class ${if (t[i] !in 0 until numClasses) t[i] else p[i]} outside [0, $numClasses)"
            }
            counts[(t[i] * numClasses + p[i]).toInt()]++
        }
    }

    /** Samples of true class [actual] predicted as [predicted]. */
    operator fun get(actual: Int, predicted: Int): Long = counts[actual * numClasses + predicted]

    /** The matrix as rows of counts. */
    fun toArray(): Array<LongArray> = Array(numClasses) { r -> LongArray(numClasses) { c -> this[r, c] } }

    /** Precision of class [c]: tp / predicted as c (0 when never predicted, as sklearn's zero_division=0). */
    fun precision(c: Int): Double = ratio(this[c, c], (0 until numClasses).sumOf { this[it, c] })
    /** Recall of class [c]: tp / actual c. */
    fun recall(c: Int): Double = ratio(this[c, c], (0 until numClasses).sumOf { this[c, it] })
    fun f1(c: Int): Double { val p = precision(c); val r = recall(c); return if (p + r == 0.0) 0.0 else 2 * p * r / (p + r) }

    override fun values(): Map<String, Double> = linkedMapOf(
        "precision" to (0 until numClasses).map { precision(it) }.average(),
        "recall" to (0 until numClasses).map { recall(it) }.average(),
        "f1" to (0 until numClasses).map { f1(it) }.average())

    private fun ratio(a: Long, b: Long) = if (b == 0L) 0.0 else a.toDouble() / b

    /** An aligned table, true classes down, predictions across. */
    override fun toString(): String {
        val w = maxOf(counts.maxOrNull().toString().length, numClasses.toString().length, 4) + 1
        val sb = StringBuilder("true\\pred".padEnd(10))
        for (c in 0 until numClasses) sb.append(c.toString().padStart(w))
        for (r in 0 until numClasses) {
            sb.append('\n').append(r.toString().padEnd(10))
            for (c in 0 until numClasses) sb.append(this[r, c].toString().padStart(w))
        }
        return sb.toString()
    }
}
