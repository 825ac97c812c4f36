@file:JvmName("AutocastBlocks")

package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Device
import dev.kindling.Kindling

/**
 * Runs [block] in an automatic mixed precision region, like `with torch.autocast("cpu", dtype=torch.bfloat16):`.
 * Matrix products, linear layers and convolutions run in [dtype], losses in float32 (see `dev.kindling.Autocast`);
 * `enabled = false` turns autocast off inside an enabled region.
 *
 * ```kotlin
 * val loss = autocast(Device.cpu(), DType.BFLOAT16) { lossFn(model(x), y) }
 * loss.backward()
 * ```
 */
inline fun <T> autocast(
    device: Device = Device.cpu(),
    dtype: DType = if (device.type() == Device.Type.CPU) DType.BFLOAT16 else DType.FLOAT16,
    enabled: Boolean = true,
    block: () -> T,
): T = Kindling.autocast(device, dtype, enabled).use { block() }
