package dev.weft.internal.core;

import dev.weft.ObjectBuffer;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** {@link ObjectBuffer}s: over a pinned block of the shared store, or over a heap value. */
final class Views {
  private Views() {}

  static final class View implements ObjectBuffer {
    private final MemorySegment segment;
    private final boolean zeroCopy;
    private final AutoCloseable pin;

    View(MemorySegment segment, boolean zeroCopy, AutoCloseable pin) {
      this.segment = segment;
      this.zeroCopy = zeroCopy;
      this.pin = pin;
    }

    @Override
    public ByteBuffer buffer() {
      return segment.asByteBuffer().asReadOnlyBuffer();
    }

    @Override
    public MemorySegment segment() {
      return segment;
    }

    @Override
    public long sizeBytes() {
      return segment.byteSize();
    }

    @Override
    public boolean zeroCopy() {
      return zeroCopy;
    }

    @Override
    public void close() {
      if (pin != null) {
        try {
          pin.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
