package dev.kindling.data;

/**
 * An 8-bit image as the data sets deliver it before {@code Transforms.toTensor()}: {@code height * width
 * * channels} unsigned bytes in HWC order (row by row, channels interleaved), like a PIL image or a NumPy
 * {@code uint8} array. Grayscale images (MNIST) have one channel. The pixel array is shared, not copied:
 * treat it as read-only.
 *
 * <pre>{@code
 * Image im = (Image) mnistWithoutTransform.get(0).item(0);
 * int centre = im.get(14, 14, 0);                 // 0..255
 * Tensor x = Transforms.toTensor().apply(im);     // [1, 28, 28] floats in [0, 1]
 * }</pre>
 */
public record Image(byte[] data, int height, int width, int channels) {
    /** Checks that the sizes are positive and match the array length. */
    public Image {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("Image: height, width and channels must be positive, got " + height + "x" + width + "x" + channels);
        }
        if (data == null || (long) height * width * channels != data.length) {
            throw new IllegalArgumentException("Image: " + height + "x" + width + "x" + channels + " needs "
                    + (long) height * width * channels + " bytes, got " + (data == null ? "null" : data.length));
        }
    }

    /** A grayscale image of {@code height * width} bytes. */
    public static Image gray(byte[] data, int height, int width) { return new Image(data, height, width, 1); }

    /** The value of channel {@code c} at row {@code y}, column {@code x}, in 0..255. */
    public int get(int y, int x, int c) {
        if (y < 0 || y >= height || x < 0 || x >= width || c < 0 || c >= channels) {
            throw new IndexOutOfBoundsException("Image.get(" + y + ", " + x + ", " + c + ") outside " + height + "x" + width + "x" + channels);
        }
        return data[(y * width + x) * channels + c] & 0xFF;
    }

    @Override public String toString() { return "Image(" + height + "x" + width + "x" + channels + ")"; }
}
