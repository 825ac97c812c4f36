package dev.kindling.dsl

import dev.kindling.Tensor
import dev.kindling.io.Safetensors
import java.nio.file.Path

/**
 * Writes a state dict to a file; the keep-best checkpoint callback calls it. The default writes safetensors
 * (atomically), readable back with `Safetensors.load(path)` here and by PyTorch's `safetensors`.
 */
fun interface StateSaver {
    fun save(path: Path, stateDict: Map<String, Tensor>)

    companion object {
        /** Saves with [Safetensors.save]. */
        @JvmField val DEFAULT: StateSaver = StateSaver { path, sd -> Safetensors.save(sd, path) }
    }
}
