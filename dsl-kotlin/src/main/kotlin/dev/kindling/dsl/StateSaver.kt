package dev.kindling.dsl

import dev.kindling.DType
import dev.kindling.Tensor
import java.io.BufferedInputStream
import java.io.BufferedOutputStream
import java.io.DataInputStream
import java.io.DataOutputStream
import java.nio.file.Files
import java.nio.file.Path

/**
 * Writes a state dict to a file; the keep-best checkpoint callback calls it. The default is [TensorFile];
 * pass `StateSaver { path, sd -> Safetensors.save(sd, path) }` to write safetensors instead.
 */
fun interface StateSaver {
    fun save(path: Path, stateDict: Map<String, Tensor>)

    companion object {
        /** Saves with [TensorFile.save]. */
        @JvmField val DEFAULT: StateSaver = StateSaver { path, sd -> TensorFile.save(sd, path) }
    }
}

/**
 * A tiny self-describing tensor file for checkpoints until `dev.kindling.io.Safetensors` is available here.
 *
 * Layout (big-endian, java.io.DataOutput): magic `KTNS`, int version 1, int count, then per tensor:
 * UTF key, UTF dtype name (`FLOAT32`...), int rank, rank ints of shape, then numel values as doubles for
 * floating dtypes and longs for integer/bool dtypes (exact for every dtype the engine has).
 */
object TensorFile {
    private const val MAGIC = 0x4B544E53 // "KTNS"

    @JvmStatic fun save(stateDict: Map<String, Tensor>, path: Path) {
        DataOutputStream(BufferedOutputStream(Files.newOutputStream(path))).use { out ->
            out.writeInt(MAGIC); out.writeInt(1); out.writeInt(stateDict.size)
            for ((key, t) in stateDict) {
                out.writeUTF(key); out.writeUTF(t.dtype().name)
                val shape = t.shape()
                out.writeInt(shape.size); shape.forEach { out.writeInt(it) }
                if (t.dtype().isFloatingPoint) t.toDoubleArray().forEach { out.writeDouble(it) }
                else t.toLongArray().forEach { out.writeLong(it) }
            }
        }
    }

    /** Reads a file written by [save]; tensors come back with their dtype and shape, owned by no scope. */
    @JvmStatic fun load(path: Path): LinkedHashMap<String, Tensor> =
        DataInputStream(BufferedInputStream(Files.newInputStream(path))).use { inp ->
            require(inp.readInt() == MAGIC) { "TensorFile.load: $path is not a Kindling tensor file (bad magic)" }
            val version = inp.readInt()
            require(version == 1) { "TensorFile.load: $path has version $version, expected 1" }
            val result = LinkedHashMap<String, Tensor>()
            repeat(inp.readInt()) {
                val key = inp.readUTF()
                val dtype = DType.valueOf(inp.readUTF())
                val shape = IntArray(inp.readInt()) { inp.readInt() }
                val n = shape.fold(1) { a, b -> a * b }
                val t = if (dtype.isFloatingPoint) Tensor.fromArray(DoubleArray(n) { inp.readDouble() }, *shape)
                        else Tensor.fromArray(LongArray(n) { inp.readLong() }, *shape)
                result[key] = Owned.copy(t.to(dtype)).also { t.close() }
            }
            result
        }
}
