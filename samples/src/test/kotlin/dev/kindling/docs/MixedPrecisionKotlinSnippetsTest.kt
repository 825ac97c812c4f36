package dev.kindling.docs

import dev.kindling.DType
import dev.kindling.Device
import dev.kindling.Kindling
import dev.kindling.dsl.*
import dev.kindling.nn.CrossEntropyLoss
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The Kotlin code of mixed-precision.md. */
class MixedPrecisionKotlinSnippetsTest {
    @Test
    fun autocastBlock() {
        Kindling.manualSeed(0)
        val net = sequential { linear(10, 5); relu(); linear(5, 2) }
        val lossFn = CrossEntropyLoss()
        val x = randn(8, 10)
        val y = randint(0, 2, 8)
        // region amp-autocast-kotlin
        val loss = autocast(Device.cpu(), DType.BFLOAT16) { lossFn(net(x), y) }
        loss.backward()
        // endregion
        assertEquals(DType.FLOAT32, loss.dtype())
        assertEquals(DType.FLOAT32, net.parameters()[0].grad()!!.dtype())
    }
}
