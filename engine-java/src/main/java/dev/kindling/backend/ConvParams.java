package dev.kindling.backend;

import java.util.Arrays;

/**
 * The geometry of a 2-D convolution or pooling window, height first: stride, padding (the same on both sides),
 * dilation (1 = dense) and groups. The ops layer has validated it against the shapes before a kernel sees it.
 */
public record ConvParams(int[] stride, int[] padding, int[] dilation, int groups) {
    /** Copies the arrays, so that a caller changing its own afterwards cannot change the plan this names. */
    public ConvParams {
        stride = stride.clone();
        padding = padding.clone();
        dilation = dilation.clone();
    }

    /** A stable text form for cache keys and messages: {@code s1,1 p1,1 d1,1 g1}. */
    public String key() {
        return "s" + stride[0] + "," + stride[1] + " p" + padding[0] + "," + padding[1]
                + " d" + dilation[0] + "," + dilation[1] + " g" + groups;
    }

    @Override public String toString() {
        return "stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups;
    }
}
