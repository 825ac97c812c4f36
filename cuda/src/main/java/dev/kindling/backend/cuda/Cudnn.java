package dev.kindling.backend.cuda;

import org.bytedeco.javacpp.Loader;

import static org.bytedeco.cuda.global.cudnn.cudnnGetVersion;

/** The only class that touches cuDNN. Today it only reports the version ({@code Kindling.doctor()}); kernels come later. */
final class Cudnn {
    private Cudnn() {}

    /** Loads libcudnn and returns its version, e.g. "9.19.0". */
    static String load() {
        Loader.load(org.bytedeco.cuda.global.cudnn.class);
        long v = cudnnGetVersion();
        return v / 10000 + "." + v / 100 % 100 + "." + v % 100;
    }
}
