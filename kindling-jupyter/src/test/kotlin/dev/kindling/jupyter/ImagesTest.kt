package dev.kindling.jupyter

import dev.kindling.Tensor
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import javax.imageio.ImageIO

class ImagesTest {
    @Test
    fun `a grey image is stretched from its min to its max and scaled up`() {
        val img = Tensor.of(arrayOf(floatArrayOf(-1f, 0f), floatArrayOf(0f, 1f))).toImage(scale = 3)
        assertEquals(6, img.width)
        assertEquals(0x000000, img.getRGB(0, 0) and 0xFFFFFF)
        assertEquals(0xFFFFFF, img.getRGB(5, 5) and 0xFFFFFF)
        assertEquals(0x808080, img.getRGB(3, 0) and 0xFFFFFF)   // 0 is half way: 127.5 rounds to 128
    }

    @Test
    fun `RGB floats are clipped to 0-1 as imshow does, and a 28 x 28 image is drawn 16x`() {
        val rgb = Tensor.zeros(3, 28, 28)
        rgb.select(0, 0).fill_(2.0)   // red beyond 1 clips to full red
        val img = rgb.toImage()
        assertEquals(448, img.width)
        assertEquals(2 * 242, makeGrid(Tensor.zeros(8, 1, 28, 28)).toImage().width)   // a grid of eight: 2x
        assertEquals(0xFF0000, img.getRGB(10, 10) and 0xFFFFFF)
    }

    @Test
    fun `makeGrid lays a batch out like torchvision`() {
        val batch = Tensor.ones(5, 1, 2, 3)
        val grid = makeGrid(batch, nrow = 2, padding = 1)
        // 3 rows of 2: height 3 * (2 + 1) + 1, width 2 * (3 + 1) + 1, always 3 channels
        assertArrayEquals(intArrayOf(3, 10, 9), grid.shape())
        val v = grid.toFloatArray()
        fun at(c: Int, y: Int, x: Int) = v[(c * 10 + y) * 9 + x]
        assertEquals(0f, at(0, 0, 0))        // padding
        assertEquals(1f, at(2, 1, 1))        // first image, blue channel copied from grey
        assertEquals(1f, at(0, 7, 1))        // fifth image: third row, first column
        assertEquals(0f, at(0, 7, 5))        // the empty sixth place
    }

    @Test
    fun `normalize stretches the whole batch to 0-1`() {
        val batch = Tensor.of(-1f, 3f).reshape(2, 1, 1)
        val grid = makeGrid(batch, padding = 0, normalize = true)
        assertArrayEquals(floatArrayOf(0f, 1f, 0f, 1f, 0f, 1f), grid.toFloatArray())
    }

    @Test
    fun `shapes that are not images are refused with the reason`() {
        val e = assertThrows(IllegalArgumentException::class.java) { Tensor.zeros(4, 1, 28, 28).toImage() }
        assertTrue(e.message!!.contains("makeGrid"), e.message)
        assertThrows(IllegalArgumentException::class.java) { makeGrid(Tensor.zeros(2, 2, 3, 3)) }
    }

    @Test
    fun `show outside a notebook says where to go instead`() {
        NotebookOutput.attach(null)
        val e = assertThrows(IllegalStateException::class.java) { Tensor.zeros(2, 2).show() }
        assertTrue(e.message!!.contains("toImage"))
        val png = pngBytes(Tensor.zeros(2, 2).toImage())
        assertEquals(448, ImageIO.read(png.inputStream()).width)
    }
}
