package dev.kindling;

import java.util.Objects;

/**
 * Where a tensor's data lives. Only the CPU backend exists today; {@code Device.cuda()} is accepted
 * everywhere a device is and fails with a clear message until a CUDA backend is installed.
 *
 * <pre>{@code Tensor x = Tensor.zeros(3, 4).to(Device.CPU);}</pre>
 */
public final class Device {
    /** The kind of device, as PyTorch names it. */
    public enum Type { CPU, CUDA }

    /** The CPU device ({@code torch.device("cpu")}). */
    public static final Device CPU = new Device(Type.CPU, -1);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    /** The CPU device, {@code torch.device("cpu")}: the same as {@link #CPU}. */
    public static Device cpu() { return CPU; }

    /** The first CUDA device, {@code torch.device("cuda")}. */
    public static Device cuda() { return cuda(0); }

    /** CUDA device {@code index}, {@code torch.device("cuda:1")}. */
    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("Device.cuda: index must be >= 0, got " + index);
        return new Device(Type.CUDA, index);
    }

    /** Parses PyTorch's spellings: {@code "cpu"}, {@code "cuda"}, {@code "cuda:1"}. */
    public static Device of(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (n.equals("cpu")) return CPU;
        if (n.equals("cuda")) return cuda();
        if (n.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(n.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Device.of: bad device index in '" + name + "'");
            }
        }
        throw new IllegalArgumentException("Device.of: unknown device '" + name + "' (expected cpu, cuda or cuda:N)");
    }

    /** The kind of device, e.g. CPU ({@code device.type}). */
    public Type type() { return type; }

    /** The device index, -1 for the CPU. */
    public int index() { return index; }

    /** True when this is the CPU device. */
    public boolean isCpu() { return type == Type.CPU; }

    @Override public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override public int hashCode() { return Objects.hash(type, index); }

    @Override public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
