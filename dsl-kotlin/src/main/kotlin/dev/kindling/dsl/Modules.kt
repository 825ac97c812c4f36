@file:JvmName("Modules")

package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.nn.Loss
import dev.kindling.nn.Module

/** `model(x)` runs `model.forward(x)`, like calling a PyTorch module. */
operator fun Module.invoke(x: Tensor): Tensor = forward(x)

/** `criterion(output, target)` runs `criterion.forward(output, target)`. */
operator fun Loss.invoke(input: Tensor, target: Tensor): Tensor = forward(input, target)
