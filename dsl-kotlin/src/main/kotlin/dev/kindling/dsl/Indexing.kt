@file:JvmName("TensorIndexing")

package dev.kindling.dsl

import dev.kindling.Tensor

/** Marks a whole dimension in an index, like Python's `:` in `x[:, 1]`: write `x[all, 1]`. */
object all

/** Stands for as many whole dimensions as needed, like Python's `...` in `x[..., 0]`: write `x[rest, 0]`. */
object rest

/** `x[i]` selects along the first dimension; negative indices count from the end. */
operator fun Tensor.get(index: Int): Tensor = select(0, index)

/** `x[0 until 80]` slices the first dimension (steps from `step` are honoured). */
operator fun Tensor.get(range: IntProgression): Tensor = sliceBy(this, 0, range)

/**
 * Multi-dimensional indexing: each entry is an `Int` (select), an `IntRange`/`IntProgression` (slice),
 * [all] (keep the dimension) or [rest] (keep as many dimensions as needed).
 * `x[all, 1]`, `x[0 until 2, all, 3]`, `x[rest, 0]`.
 */
operator fun Tensor.get(vararg index: Any): Tensor {
    val restCount = index.count { it === rest }
    require(restCount <= 1) { "index: at most one `rest` (...) is allowed, got $restCount" }
    val consumed = index.count { it !== rest }
    require(consumed <= dim()) { "index: too many indices ($consumed) for a tensor of ${dim()} dimensions ${sizes}" }
    var result = this
    var d = 0
    for (item in index) {
        when (item) {
            is Int -> result = result.select(d, item)
            is IntProgression -> { result = sliceBy(result, d, item); d++ }
            all -> d++
            rest -> d += dim() - consumed
            else -> throw IllegalArgumentException(
                "index: unsupported index ${item::class.simpleName} ($item); use Int, IntRange, all or rest")
        }
    }
    return result
}

/** `x[i] = value` fills the selected slice in place. */
operator fun Tensor.set(index: Int, value: Number) { select(0, index).fill_(value.toDouble()) }

/** `x[i] = t` copies `t` into the selected slice in place. */
operator fun Tensor.set(index: Int, value: Tensor) { select(0, index).copy_(value) }

private fun sliceBy(t: Tensor, dim: Int, range: IntProgression): Tensor {
    require(range.step > 0) { "slice: step must be positive, got ${range.step}" }
    // an IntRange is inclusive; Tensor.slice takes an exclusive end
    return t.slice(dim, range.first, range.last + 1, range.step)
}
