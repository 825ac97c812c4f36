package dev.kindling.backend.cuda;

/** Turns kernel source into a binary for one GPU architecture; {@link Nvrtc} is the real one, tests use fakes. */
interface KernelCompiler {
    /** A CUBIN (or PTX) image of {@code source} for {@code arch} (e.g. {@code sm_90}); throws with the compile log on error. */
    byte[] compile(KernelSource source, String arch);

    /** The compiler's version, part of the disk cache path so that binaries of another compiler are not reused. */
    String version();
}
