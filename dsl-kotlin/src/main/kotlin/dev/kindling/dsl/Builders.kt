@file:JvmName("Builders")

package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.*

/** Marks the layer builders so an inner block cannot call an outer block's functions by accident. */
@DslMarker
annotation class KindlingDsl

/**
 * Builds a [Sequential] from a block, like `nn.Sequential(...)`:
 * ```
 * val model = sequential { linear(784, 256); relu(); dropout(0.2); linear(256, 10) }
 * ```
 * Sizes that can be known while building (Linear features, conv channels, norms) are checked at once;
 * a mismatch names the builder line of both layers.
 */
fun sequential(block: SequentialBuilder.() -> Unit): Sequential = SequentialBuilder(null).apply(block).seq

/**
 * A module whose forward is a lambda, for one-off glue (`module { x -> x.flatten(1) }`).
 * It has no parameters of its own; use [buildModule] to declare sub-layers.
 */
fun module(name: String = "Lambda", forward: (Tensor) -> Tensor): Module = LambdaModule(name, forward)

/**
 * A custom module with named sub-layers and a lambda forward, like a small `nn.Module` subclass:
 * ```
 * val net = buildModule("Net") {
 *     val fc1 = layer("fc1", Linear(4, 8)); val fc2 = layer("fc2", Linear(8, 3))
 *     forward { x -> fc2(fc1(x).relu()) }
 * }
 * ```
 * Parameters appear in `stateDict()` under the given names (`fc1.weight`).
 */
fun buildModule(name: String = "Module", block: ModuleBuilder.() -> Unit): Module {
    val b = ModuleBuilder(LambdaModule(name, null))
    b.block()
    check(b.module.forwardFn != null) { "buildModule($name): the block must call forward { x -> ... }" }
    return b.module
}

/** A Module whose forward is a Kotlin lambda; sub-layers are registered by [ModuleBuilder]. */
class LambdaModule internal constructor(private val name: String, internal var forwardFn: ((Tensor) -> Tensor)?) : Module() {
    override fun forward(input: Tensor): Tensor = forwardFn!!(input)
    override fun toString(): String =
        if (children().isEmpty()) "$name()" else super.toString().replaceFirst("LambdaModule", name)
}

/** Receiver of [buildModule]: declares sub-layers and the forward lambda. */
@KindlingDsl
class ModuleBuilder internal constructor(internal val module: LambdaModule) {
    /** Registers [layer] under [name] and returns it, so the forward lambda can call it. */
    fun <M : Module> layer(name: String, layer: M): M = module.registerModule(name, layer)

    /** Registers a parameter under [name] (`val scale = parameter("scale", ones(3))`). */
    fun parameter(name: String, data: Tensor): Parameter = module.registerParameter(name, Parameter(data))

    /** Registers a sequential block under [name]. */
    fun sequential(name: String, block: SequentialBuilder.() -> Unit): Sequential =
        layer(name, SequentialBuilder(null).apply(block).seq)

    /** Sets the forward pass. */
    fun forward(fn: (Tensor) -> Tensor) { module.forwardFn = fn }
}
