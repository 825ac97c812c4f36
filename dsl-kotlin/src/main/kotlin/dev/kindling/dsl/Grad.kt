@file:JvmName("GradBlocks")

package dev.kindling.dsl

import dev.kindling.Kindling
import dev.kindling.Scope

/** Runs [block] without recording gradients, like `with torch.no_grad():`. */
inline fun <T> noGrad(block: () -> T): T = Kindling.noGrad().use { block() }

/** Re-enables gradient recording inside a [noGrad] block, like `with torch.enable_grad():`. */
inline fun <T> enableGrad(block: () -> T): T = Kindling.enableGrad().use { block() }

/**
 * Frees every tensor created in [block] when it returns, except the result if it is a tensor
 * (`val loss = scope { ... }`) and what the block passes to `keep`.
 */
inline fun <T> scope(block: Scope.() -> T): T = Kindling.scope().use { s ->
    val result = s.block()
    if (result is dev.kindling.Tensor) s.keep(result)
    result
}
