package dev.kindling.io;

import dev.kindling.Device;

import java.util.Objects;

/**
 * How {@link Safetensors#load(java.nio.file.Path, LoadOptions)} reads a file: the target device, and whether
 * tensor data is read through a memory map ({@link #mmap()}) rather than copied through heap buffers, which
 * keeps the Java heap free of file data when loading large models.
 *
 * <pre>{@code var sd = Safetensors.load(path, LoadOptions.mmap().device(Device.CPU));}</pre>
 */
public final class LoadOptions {
    private final boolean mmap;
    private final Device device;

    private LoadOptions(boolean mmap, Device device) {
        this.mmap = mmap;
        this.device = device;
    }

    /** Plain reads onto the CPU. */
    public static LoadOptions defaults() { return new LoadOptions(false, Device.CPU); }

    /** Reads each tensor's bytes through a {@link java.nio.MappedByteBuffer} of the file, onto the CPU. */
    public static LoadOptions mmap() { return new LoadOptions(true, Device.CPU); }

    /** The same options, loading onto {@code device}. */
    public LoadOptions device(Device device) { return new LoadOptions(mmap, Objects.requireNonNull(device, "device")); }

    /** True when tensors are read through a memory map of the file. */
    public boolean isMmap() { return mmap; }

    /** The device the loaded tensors are placed on. */
    public Device device() { return device; }

    @Override public String toString() { return "LoadOptions(mmap=" + mmap + ", device=" + device + ")"; }
}
