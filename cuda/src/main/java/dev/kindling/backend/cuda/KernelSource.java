package dev.kindling.backend.cuda;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One generated CUDA C translation unit with one {@code extern "C"} kernel. Its hash (SHA-256 of the text) is
 * what the compile cache keys on, with the device's compute capability, so an edited template never reuses
 * a stale binary.
 *
 * @param name the kernel's symbol, e.g. {@code ew_exp_f32_f32_c}
 * @param code the full source, prelude included
 */
record KernelSource(String name, String code) {
    /** SHA-256 of {@link #code}, as 64 hex digits. */
    String hash() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
