package dev.kindling.dsl

import dev.kindling.Tensor

/** A tensor owned by no scope, for state that outlives training steps (best weights). Close it when done. */
internal class Owned private constructor(data: Tensor) : Tensor(data) {
    companion object {
        /** A copy of [t]'s values, detached and outside every scope. */
        fun copy(t: Tensor): Tensor {
            val c = t.detach().clone()
            return Owned(c).also { c.close() }
        }
    }
}
