/**
 * Automatic mixed precision ({@code torch.cuda.amp} / {@code torch.amp}): {@link dev.kindling.amp.GradScaler}
 * scales the loss so that small gradients survive a half-precision backward pass, unscales them before the
 * optimizer step and skips steps whose gradients overflowed.
 *
 * <pre>{@code
 * var scaler = new GradScaler();
 * scaler.scale(loss).backward();
 * scaler.step(opt);
 * scaler.update();
 * }</pre>
 */
package dev.kindling.amp;
