package dev.kindling.backend.cuda;

import org.bytedeco.javacpp.Pointer;

/** A raw device (or host) address as JavaCPP's {@link Pointer}, to hand to a binding; owns nothing. */
final class DevicePtr extends Pointer {
    DevicePtr(long address) {
        this.address = address;
    }
}
