package dev.kindling;

import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.cpu.CpuBuffer;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code x.to(device)} between devices: the elements go as raw bytes through the non-CPU backend's
 * {@code readBytes}/{@code writeBytes}, straight from or into the CPU tensor's own memory; two GPUs exchange
 * through the host. The gradient goes back to the source device ({@code ToCopyBackward0}).
 */
final class DeviceCopy {
    private DeviceCopy() {}

    static Tensor to(Tensor t, Device target) {
        Backend dst = Backends.of(target); // a clear error when the target device cannot be used
        if (!t.device().isCpu() && !target.isCpu()) {
            Tensor viaHost = to(to(t, Device.CPU).detach(), target);
            return Autograd.record("ToCopyBackward0", viaHost, new Tensor[]{t}, (g, need) -> new Tensor[]{g.to(t.device())});
        }
        Tensor src = t.contiguous();
        Tensor out = Tensor.empty("to", t.dtype(), target, t.shapeInternal());
        if (t.numel() > 0) {
            try {
                if (target.isCpu()) {
                    src.backend().readBytes(src.view(), hostBytes(out));
                } else {
                    dst.writeBytes(out.view(), hostBytes(src));
                }
            } finally {
                Reference.reachabilityFence(src);
                Reference.reachabilityFence(out);
            }
        }
        return Autograd.record("ToCopyBackward0", out, new Tensor[]{t}, (g, need) -> new Tensor[]{g.to(t.device())});
    }

    /** The CPU tensor's elements as native-order bytes, positioned at its first element. */
    private static ByteBuffer hostBytes(Tensor cpu) {
        ByteBuffer b = ((CpuBuffer) cpu.storage().buffer()).data().duplicate().order(ByteOrder.nativeOrder());
        return b.position(cpu.offset() * cpu.dtype().byteSize());
    }
}
