package dev.kindling.data.transforms;

import dev.kindling.Tensor;
import dev.kindling.data.Image;
import dev.kindling.data.WorkerInfo;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Image and tensor transforms with torchvision's names and semantics.
 *
 * <p>Images come in as {@link Image} (HWC unsigned bytes, what the data sets deliver). {@link #toTensor()}
 * turns one into a float tensor {@code [C, H, W]} in [0, 1]; {@link #normalize} works on such tensors. The
 * geometric transforms ({@link #randomHorizontalFlip}, {@link #randomCrop}, {@link #resize},
 * {@link #centerCrop}) are {@link ImageTransform}s: they take either an {@code Image} (and give an
 * {@code Image}) or a tensor whose last two dimensions are {@code H, W} (and give a tensor). Random choices come from {@link WorkerInfo#generator()},
 * so a seeded {@code DataLoader} repeats them exactly.
 *
 * <pre>{@code
 * var train = Transforms.compose(Transforms.randomCrop(28, 2), Transforms.randomHorizontalFlip(0.5),
 *                                Transforms.toTensor(), Transforms.normalize(0.2860, 0.3530));
 * }</pre>
 */
public final class Transforms {
    private Transforms() { }

    /** A transform whose {@code toString} is {@code name}, for readable errors and printing. */
    static <I, O> Transform<I, O> named(String name, Function<I, O> fn) {
        return new Transform<>() {
            @Override public O apply(I x) { return fn.apply(x); }

            @Override public String toString() { return name; }
        };
    }

    /**
     * Applies the steps in order ({@code transforms.Compose}). A step given the wrong kind of input fails
     * with a message naming it.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Transform<Object, Object> compose(Transform<?, ?>... steps) {
        List<Transform<?, ?>> list = List.of(steps);
        StringBuilder name = new StringBuilder("Compose(");
        for (int i = 0; i < steps.length; i++) name.append(i == 0 ? "" : ", ").append(steps[i]);
        return named(name.append(')').toString(), x -> {
            Object cur = x;
            for (int i = 0; i < list.size(); i++) {
                try {
                    cur = ((Transform) list.get(i)).apply(cur);
                } catch (ClassCastException e) {
                    throw new IllegalArgumentException("Transforms.compose: step " + i + " (" + list.get(i) + ") cannot take a "
                            + kind(cur) + ": " + e.getMessage(), e);
                }
            }
            return cur;
        });
    }

    /** Wraps a function ({@code transforms.Lambda}): {@code Transforms.lambda((Tensor t) -> t.mul(2))}. */
    public static <I, O> Transform<I, O> lambda(Function<I, O> fn) {
        if (fn == null) throw new IllegalArgumentException("Transforms.lambda: function must not be null");
        return named("Lambda()", fn);
    }

    /**
     * {@code transforms.ToTensor}: an {@link Image} of HWC bytes becomes a FLOAT32 tensor {@code [C, H, W]}
     * with values {@code byte / 255} in [0, 1]. A grayscale image gives {@code [1, H, W]}.
     */
    public static Transform<Image, Tensor> toTensor() {
        return named("ToTensor()", img -> {
            if (!(((Object) img) instanceof Image)) throw new IllegalArgumentException("ToTensor: expected an Image (HWC bytes), got " + kind(img));
            int h = img.height(), w = img.width(), c = img.channels(), plane = h * w;
            byte[] src = img.data();
            float[] out = new float[c * plane];
            if (c == 1) {
                for (int i = 0; i < plane; i++) out[i] = (src[i] & 0xFF) / 255f;
            } else {
                for (int p = 0; p < plane; p++) {
                    for (int ch = 0; ch < c; ch++) out[ch * plane + p] = (src[p * c + ch] & 0xFF) / 255f;
                }
            }
            return Tensor.fromArray(out, c, h, w);
        });
    }

    /** {@code transforms.Normalize} with one mean and std for every channel: {@code (x - mean) / std}. */
    public static Transform<Tensor, Tensor> normalize(double mean, double std) {
        return normalize(new double[]{mean}, new double[]{std});
    }

    /**
     * {@code transforms.Normalize}: channel {@code c} of a {@code [..., C, H, W]} tensor becomes
     * {@code (x - mean[c]) / std[c]}. Arrays of length 1 apply to every channel.
     */
    public static Transform<Tensor, Tensor> normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std need the same non-zero length, got " + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (s == 0 || !Double.isFinite(s)) throw new IllegalArgumentException("Normalize: std evaluated to zero or non-finite: " + Arrays.toString(std));
        }
        double[] m = mean.clone(), s = std.clone();
        return named("Normalize(mean=" + Arrays.toString(m) + ", std=" + Arrays.toString(s) + ")", t -> {
            if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException("Normalize: expected a floating point tensor, got " + t.dtype());
            if (t.dim() < 3) throw new IllegalArgumentException("Normalize: expected a tensor image of shape [..., C, H, W], got " + Arrays.toString(t.shape()));
            int c = t.size(-3);
            if (m.length == 1) return t.sub(m[0]).div(s[0]);
            if (m.length != c) {
                throw new IllegalArgumentException("Normalize: " + m.length + " means and stds for an image of " + c + " channels " + Arrays.toString(t.shape()));
            }
            // not closed here: div keeps std for the gradient should the input require one
            Tensor mt = Tensor.of(m).to(t.dtype()).view(c, 1, 1), st = Tensor.of(s).to(t.dtype()).view(c, 1, 1);
            return t.sub(mt).div(st);
        });
    }

    /** {@code transforms.RandomHorizontalFlip}: mirrors left-right with probability {@code p}. */
    public static ImageTransform randomHorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
        return new ImageTransform("RandomHorizontalFlip(p=" + p + ")", x -> {
            Geometry.check("RandomHorizontalFlip", x);
            return WorkerInfo.generator().nextDouble() < p ? Geometry.hflip(x) : x;
        });
    }

    /** {@code transforms.RandomCrop(size)}: a random {@code size x size} window. */
    public static ImageTransform randomCrop(int size) { return randomCrop(size, size, 0); }

    /** {@code transforms.RandomCrop(size, padding)}: pads every side with {@code padding} zeros, then crops. */
    public static ImageTransform randomCrop(int size, int padding) { return randomCrop(size, size, padding); }

    /** {@code transforms.RandomCrop((height, width), padding)}. */
    public static ImageTransform randomCrop(int height, int width, int padding) {
        Geometry.checkSize("RandomCrop", height, width);
        if (padding < 0) throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        return new ImageTransform("RandomCrop(size=(" + height + ", " + width + "), padding=" + padding + ")", x -> {
            int[] hw = Geometry.check("RandomCrop", x);
            int h = hw[0] + 2 * padding, w = hw[1] + 2 * padding;
            if (h < height || w < width) {
                throw new IllegalArgumentException("RandomCrop: required crop size (" + height + ", " + width
                        + ") is larger than the input image size (" + h + ", " + w + ") after padding " + padding);
            }
            var g = WorkerInfo.generator();
            int top = (int) g.nextLong(h - height + 1), left = (int) g.nextLong(w - width + 1);
            return Geometry.crop(x, top - padding, left - padding, height, width);
        });
    }

    /** {@code transforms.CenterCrop(size)}: a central square, padded with zeros if the image is smaller. */
    public static ImageTransform centerCrop(int size) { return centerCrop(size, size); }

    /** {@code transforms.CenterCrop((height, width))}. */
    public static ImageTransform centerCrop(int height, int width) {
        Geometry.checkSize("CenterCrop", height, width);
        return new ImageTransform("CenterCrop(size=(" + height + ", " + width + "))", x -> {
            int[] hw = Geometry.check("CenterCrop", x);
            return Geometry.crop(x, centre(hw[0], height), centre(hw[1], width), height, width);
        });
    }

    /** torchvision's offsets: rounded half to even when cropping, floor of half the padding when padding. */
    private static int centre(int size, int crop) {
        return crop > size ? -((crop - size) / 2) : (int) Math.rint((size - crop) / 2.0);
    }

    /**
     * {@code transforms.Resize(size)}: the smaller edge becomes {@code size}, keeping the aspect ratio;
     * bilinear, as {@code F.interpolate(mode="bilinear", align_corners=False)} (no antialiasing).
     */
    public static ImageTransform resize(int size) {
        Geometry.checkSize("Resize", size, size);
        return new ImageTransform("Resize(size=" + size + ", interpolation=bilinear)", x -> {
            int[] hw = Geometry.check("Resize", x);
            int h = hw[0], w = hw[1];
            if (h <= w) return Geometry.resize(x, size, (int) ((long) size * w / h));
            return Geometry.resize(x, (int) ((long) size * h / w), size);
        });
    }

    /** {@code transforms.Resize((height, width))}: bilinear to exactly that size. */
    public static ImageTransform resize(int height, int width) {
        Geometry.checkSize("Resize", height, width);
        return new ImageTransform("Resize(size=(" + height + ", " + width + "), interpolation=bilinear)", x -> {
            Geometry.check("Resize", x);
            return Geometry.resize(x, height, width);
        });
    }

    static String kind(Object o) {
        if (o == null) return "null";
        if (o instanceof Tensor t) return "Tensor" + t.dtype() + Arrays.toString(t.shape());
        return o.getClass().getSimpleName();
    }
}
