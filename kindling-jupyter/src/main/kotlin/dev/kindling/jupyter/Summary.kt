@file:JvmName("Summary")

package dev.kindling.jupyter

import dev.kindling.nn.Module

/**
 * torchinfo's `summary(model, input_size=(1, 784))`: layers, output shapes, parameter counts and sizes.
 *
 * ```
 * summary(model, 1, 784)
 * ```
 */
fun summary(model: Module, vararg inputShape: Int): ModuleSummary = ModuleSummary.of(model, *inputShape)
