package dev.kindling.backend.cuda;

/**
 * Loads a compiled image into the current CUDA context and finds its kernel; {@link CudaDriver} is the real
 * one, tests use fakes.
 *
 * @param <F> the handle of a loaded kernel
 */
interface ModuleLoader<F> {
    /** The kernel {@code name} of {@code image}, loaded. */
    F load(byte[] image, String name);

    /** Unloads the module behind {@code kernel} (evicted from the cache). */
    void unload(F kernel);
}
